using System.Net.Sockets;
using System.Text;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Gate;

public enum PregreetOutcome
{
    /// <summary>The client kept quiet for the whole pause (or the node is leaving): greet it.</summary>
    Quiet,
    /// <summary>The client sent something before the greeting.</summary>
    Talked,
    /// <summary>The client closed the connection during the pause.</summary>
    Closed,
}

/// <summary>
/// The early-talker test on one connection (see <see cref="PregreetRules"/>). The socket is
/// watched with a one-byte peek: it completes as soon as the client writes anything, consumes
/// nothing and holds no thread while waiting; the pause ends by cancelling the peek.
/// </summary>
public static class PregreetWatch
{
    /// <summary>Sends the "220-" banner line (when <paramref name="multiline"/>), waits out the
    /// pause and, if the client talked, answers 554 5.5.1. The final 220 line is left to the
    /// caller, which sends it only on Quiet.</summary>
    public static async Task<PregreetOutcome> HoldGreetingAsync(Socket socket, SmtpWire wire, SmtpReply greeting,
        TimeSpan pause, bool multiline, CancellationToken draining, CancellationToken stopping, Action? talkedEarly)
    {
        if (multiline)
        {
            // The greeting's first word is the host name ("mx.example ESMTP Bulwark"). Nothing
            // is queued in the wire yet, so a direct send keeps the order of the lines.
            var host = greeting.Reason.Split(' ', 2)[0];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.SendAsync(Encoding.ASCII.GetBytes($"220-{host} ESMTP\r\n"), SocketFlags.None, timeout.Token);
        }
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(draining, stopping);
        var outcome = await WaitAsync(socket, pause, leaving.Token);
        if (outcome != PregreetOutcome.Talked) return outcome;

        var refusal = PregreetRules.EarlyTalker.Reply;
        SmtpCounters.Reply(SmtpPhase.Connect, refusal);
        SmtpCounters.Connection("pregreet");
        // Evidence first: a client that does not wait for our answer is an early talker all the same.
        talkedEarly?.Invoke();
        try
        {
            wire.Enqueue(refusal);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await wire.FlushAsync(timeout.Token);
        }
        catch (Exception)
        {
            // The client may have hung up already; nothing more to tell it.
        }
        DiscardPendingInput(socket);
        return outcome;
    }

    /// <param name="leaving">Draining or stopping: ends the pause early as Quiet, so that the
    /// dialogue loop says goodbye in its usual way.</param>
    public static async Task<PregreetOutcome> WaitAsync(Socket socket, TimeSpan pause, CancellationToken leaving)
    {
        if (pause <= TimeSpan.Zero || leaving.IsCancellationRequested) return PregreetOutcome.Quiet;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(leaving);
        timer.CancelAfter(pause);
        var probe = new byte[1];
        try
        {
            var peeked = await socket.ReceiveAsync(probe, SocketFlags.Peek, timer.Token).ConfigureAwait(false);
            return peeked == 0 ? PregreetOutcome.Closed : PregreetOutcome.Talked;
        }
        catch (OperationCanceledException)
        {
            return PregreetOutcome.Quiet;
        }
    }

    /// <summary>Closing a socket with unread input sends a RST, and a RST can make the client's
    /// kernel drop our 554 before the client reads it. What already arrived is read (it is
    /// there, so nothing waits) and thrown away.</summary>
    private static void DiscardPendingInput(Socket socket)
    {
        try
        {
            var sink = new byte[4096];
            for (var i = 0; i < 16 && socket.Available > 0; i++)
                socket.Receive(sink, SocketFlags.None);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }
}
