using System.Net.Sockets;
using Akka.Actor;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Protocol;

/// <summary>Per-command and per-DATA timeouts (RFC 5321 section 4.5.3.2 minimums by default).</summary>
public sealed record SmtpTimeouts
{
    public TimeSpan Command { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan DataBlock { get; init; } = TimeSpan.FromMinutes(3);
    public TimeSpan DataTermination { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>How long the I/O loop waits for its session actor; the actor's own asks time out sooner.</summary>
    public TimeSpan SessionReply { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The I/O loop of one connection: reads lines and bodies with <see cref="SmtpWire"/>, hands
/// each command to the session actor and writes back what it answers. It owns no policy.
/// </summary>
public sealed class SmtpConnection
{
    private readonly Socket _socket;
    private readonly IActorRef _session;
    private readonly SessionLimits _limits;
    private readonly SmtpTimeouts _timeouts;
    private readonly SmtpWire _wire;

    public SmtpConnection(Socket socket, IActorRef session, SessionLimits limits, SmtpTimeouts timeouts)
    {
        _socket = socket;
        _session = session;
        _limits = limits;
        _timeouts = timeouts;
        _wire = new SmtpWire(socket);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var reason = "closed";
        try
        {
            var greeting = await Ask(SessionOpened.Instance);
            if (!await Send(greeting, stopping)) return;
            reason = await DialogueAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            reason = "shutdown";
            await TrySend(Replies.ShuttingDown);
        }
        catch (OperationCanceledException)
        {
            reason = "timeout";
            await TrySend(Replies.CommandTimeout);
        }
        catch (AskTimeoutException)
        {
            reason = "session-timeout";
            await TrySend(Replies.TemporaryFailure);
        }
        catch (SocketException e)
        {
            reason = $"socket:{e.SocketErrorCode}";
        }
        catch (IOException)
        {
            reason = "io";
        }
        finally
        {
            _session.Tell(new ConnectionEnded(reason));
            Close();
        }
    }

    private async Task<string> DialogueAsync(CancellationToken stopping)
    {
        while (true)
        {
            LineRead line;
            using (var timeout = Deadline(_timeouts.Command, stopping))
                line = await _wire.ReadLineAsync(_limits.MaxCommandLineBytes, timeout.Token);
            if (line.EndOfStream) return "client-closed";

            ISessionMessage message = line.TooLong
                ? CommandLineTooLong.Instance
                : new CommandReceived(SmtpCommand.Parse(line.Line!));
            var reply = await Ask(message);
            if (reply.Data is { } data)
            {
                if (!await Send(reply, stopping)) return "closed";
                reply = await ReceiveBodyAsync(data, stopping);
                if (reply is null) return "client-closed-in-data";
            }
            if (!await Send(reply, stopping)) return "closed-by-server";
        }
    }

    private async Task<SessionReply?> ReceiveBodyAsync(DataTarget data, CancellationToken stopping)
    {
        data.Entry.Body.Write(data.TraceHeader);
        DataOutcome outcome;
        using (var timeout = Deadline(_timeouts.DataTermination, stopping))
            outcome = await _wire.ReadDataAsync(data.Entry.Body, _limits, _timeouts.DataBlock, timeout.Token, data.Headers);
        if (!outcome.Completed) return null;
        return await Ask(new DataBodyReceived(outcome));
    }

    /// <summary>Queues the reply; sends now unless the client already pipelined more.
    /// False when the session must end.</summary>
    private async ValueTask<bool> Send(SessionReply reply, CancellationToken stopping)
    {
        if (reply.Lines is { } lines) _wire.EnqueueMultiline(reply.Reply.Code, lines);
        else _wire.Enqueue(reply.Reply);
        if (reply.Close || reply.Data is not null || !_wire.HasBufferedLine)
            await _wire.FlushAsync(stopping);
        return !reply.Close;
    }

    private async Task TrySend(SmtpReply reply)
    {
        try
        {
            _wire.Enqueue(reply);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _wire.FlushAsync(timeout.Token);
        }
        catch (Exception)
        {
            // The client may be gone already; nothing more to tell it.
        }
    }

    private Task<SessionReply> Ask(ISessionMessage message) =>
        _session.Ask<SessionReply>(message, _timeouts.SessionReply);

    private static CancellationTokenSource Deadline(TimeSpan after, CancellationToken stopping)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        source.CancelAfter(after);
        return source;
    }

    private void Close()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }
}
