using System.Net.Sockets;
using Akka.Actor;
using Bulwark.Listener.Tls;
using Bulwark.Listener.Gate;
using Bulwark.Listener.Observability;
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
    /// <summary>Longest STARTTLS handshake; a client that stalls in it is dropped without a reply.</summary>
    public TimeSpan TlsHandshake { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The I/O loop of one connection: reads lines and bodies with <see cref="SmtpWire"/>, hands
/// each command to the session actor and writes back what it answers. It owns no policy.
/// </summary>
public sealed partial class SmtpConnection
{
    private readonly Socket _socket;
    private readonly IActorRef _session;
    private readonly SessionLimits _limits;
    private readonly SmtpTimeouts _timeouts;
    private readonly SmtpWire _wire;
    private readonly SessionReplySlot _replies;

    public SmtpConnection(Socket socket, IActorRef session, SessionLimits limits, SmtpTimeouts timeouts)
    {
        _socket = socket;
        _session = session;
        _limits = limits;
        _timeouts = timeouts;
        _wire = new SmtpWire(socket);
        _replies = new SessionReplySlot(((IInternalActorRef)session).Provider);
    }

    /// <summary>How long to hold the greeting while watching for an early talker; zero (the
    /// default) greets at once without looking at the socket.</summary>
    public TimeSpan PregreetPause { get; init; }

    /// <summary>Send "220-host ESMTP" before the pause and the final 220 line after it.</summary>
    public bool MultilineBanner { get; init; } = true;

    /// <summary>Called once when the client spoke before the greeting, just before the 554 goes out.</summary>
    public Action? TalkedEarly { get; init; }

    /// <summary>Called each time a message is accepted (250 at the end of DATA).</summary>
    public Action? MessageAccepted { get; init; }

    /// <param name="draining">Set when the node is leaving: an idle session (no transaction
    /// open) is told 421 and closed; a session inside a transaction may finish it first.</param>
    /// <param name="stopping">Set when draining is over: every session still open gets 421.</param>
    public async Task RunAsync(CancellationToken draining, CancellationToken stopping)
    {
        var reason = "closed";
        try
        {
            if (await GreetAsync(draining, stopping) is { } ended)
            {
                reason = ended;
                return;
            }
            reason = await DialogueAsync(draining, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested || draining.IsCancellationRequested)
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
        catch (WriteTimeoutException)
        {
            reason = "write-timeout";
        }
        catch (IOException e)
        {
            // The wire reads through a stream, which wraps socket errors.
            reason = e.InnerException is SocketException socket ? $"socket:{socket.SocketErrorCode}" : "io";
        }
        finally
        {
            _session.Tell(new ConnectionEnded(reason));
            Close();
        }
    }

    /// <summary>Asks the session for its greeting and sends it (after the early-talker pause when
    /// one applies). Null when the dialogue may begin, else why the connection ends. A method of
    /// its own so that the greeting is not kept alive for the whole session by RunAsync's frame.</summary>
    private async Task<string?> GreetAsync(CancellationToken draining, CancellationToken stopping)
    {
        var greeting = await Ask(SessionOpened.Instance);
        if (PregreetPause > TimeSpan.Zero && !greeting.Close && greeting.Reply.Code == 220)
        {
            var outcome = await PregreetWatch.HoldGreetingAsync(_socket, _wire, greeting.Reply, PregreetPause,
                MultilineBanner, draining, stopping, TalkedEarly);
            if (outcome != PregreetOutcome.Quiet)
                return outcome == PregreetOutcome.Talked ? "pregreet" : "client-closed";
        }
        SmtpCounters.Reply(SmtpPhase.Connect, greeting.Reply);
        return await Send(greeting, stopping) ? null : "closed";
    }

    private async Task<string> DialogueAsync(CancellationToken draining, CancellationToken stopping)
    {
        var inTransaction = false;
        using var deadline = new CommandDeadline(draining, stopping);
        while (true)
        {
            // Between transactions a leaving node lets the client go at once; inside one it waits
            // for the transaction to end, so a rolling restart loses no mail in flight.
            if (!inTransaction && draining.IsCancellationRequested && !_wire.HasBufferedLine)
                throw new OperationCanceledException(draining);
            var line = await _wire.ReadLineAsync(_limits.MaxCommandLineBytes,
                deadline.Arm(_timeouts.Command, drainingApplies: !inTransaction));
            if (line.EndOfStream) return "client-closed";

            var command = line.TooLong ? null : SmtpCommand.Parse(line.Line!);
            ISessionMessage message = command is null ? CommandLineTooLong.Instance : new CommandReceived(command);
            var reply = await Ask(message);
            if (reply.StartTls is { } certificates)
            {
                // Only an accepted STARTTLS carries the store; a 220 decides nothing worth a verdict count.
                if (!await Send(reply, stopping)) return "closed-by-server";
                if (await StartTlsAsync(certificates, stopping) is { } failed) return failed;
                inTransaction = false;
                continue;
            }
            if (reply.Data is { } data)
            {
                SmtpCounters.Reply(SmtpPhase.Data, reply.Reply);
                if (!await Send(reply, stopping)) return "closed";
                reply = await ReceiveBodyAsync(data, stopping);
                if (reply is null) return "client-closed-in-data";
                SmtpCounters.Reply(SmtpPhase.DataEnd, reply.Reply);
                if (reply.Reply.Code == 250) MessageAccepted?.Invoke();
                inTransaction = false;
            }
            else if (command is not null)
            {
                if (SmtpCounters.PhaseOf(command.Verb, reply.Reply) is { } phase) SmtpCounters.Reply(phase, reply.Reply);
                inTransaction = TransactionAfter(command.Verb, reply, inTransaction);
            }
            else
            {
                SmtpCounters.Reply(SmtpPhase.Other, reply.Reply);
            }
            if (!await Send(reply, stopping)) return "closed-by-server";
        }
    }

    /// <summary>A transaction opens with an accepted MAIL and closes with RSET, HELO/EHLO or the end of DATA.</summary>
    private static bool TransactionAfter(SmtpVerb verb, SessionReply reply, bool before) => verb switch
    {
        SmtpVerb.Mail when reply.Reply.IsPositive => true,
        SmtpVerb.Rset or SmtpVerb.Helo or SmtpVerb.Ehlo or SmtpVerb.StartTls when reply.Reply.IsPositive => false,
        _ => before,
    };

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
        // The 220 to STARTTLS always goes out at once: what is buffered behind it is dropped, not answered.
        if (reply.Close || reply.Data is not null || reply.StartTls is not null || !_wire.HasBufferedLine)
            await FlushWithDeadlineAsync(stopping);
        return !reply.Close;
    }

    /// <summary>A client that sends but never reads fills the socket buffers, and the write then
    /// waits forever: the command timeout bounds the write too (found by the slow-client tests).
    /// Most flushes complete at once and cost no timer.</summary>
    private async ValueTask FlushWithDeadlineAsync(CancellationToken stopping)
    {
        var flush = _wire.FlushAsync(stopping);
        if (flush.IsCompletedSuccessfully) return;
        var pending = flush.AsTask();
        try
        {
            await pending.WaitAsync(_timeouts.Command, stopping);
        }
        catch (TimeoutException)
        {
            // Closing the socket ends the stuck write; it is awaited so that nothing still uses
            // the wire's pooled buffer when the connection releases it. Nothing more is said:
            // a client that does not read would not read a 421 either.
            _socket.Dispose();
            try { await pending; } catch (Exception) { /* the abort we just caused */ }
            throw new WriteTimeoutException();
        }
    }

    private sealed class WriteTimeoutException() : IOException("the client does not read its replies");

    private async Task TrySend(SmtpReply reply)
    {
        try
        {
            SmtpCounters.Reply(SmtpPhase.Other, reply);
            _wire.Enqueue(reply);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _wire.FlushAsync(timeout.Token);
        }
        catch (Exception)
        {
            // The client may be gone already; nothing more to tell it.
        }
    }

    private ValueTask<SessionReply> Ask(ISessionMessage message) =>
        _replies.AskAsync(_session, message, _timeouts.SessionReply);

    private static CancellationTokenSource Deadline(TimeSpan after, CancellationToken stopping, CancellationToken also = default)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping, also);
        source.CancelAfter(after);
        return source;
    }

    private void Close()
    {
        // Releases the TLS session's native state; the socket is closed just below.
        if (_wire.Stream is System.Net.Security.SslStream tls) tls.Dispose();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
        // Nothing reads or writes any more: the wire's buffers can go back to the pool.
        _wire.Release();
        _replies.Dispose();
    }
}
