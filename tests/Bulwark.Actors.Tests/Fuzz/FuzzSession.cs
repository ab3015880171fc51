using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Sessions;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>
/// One fuzzed connection, fully determined by its seed: batches of pipelined lines, a body
/// after each 354, then QUIT, a plain close, or a close after half a line or half a body.
/// Every reply is checked as it arrives; the whole connection has a deadline.
/// </summary>
public sealed partial class FuzzSession
{
    private enum Outcome { Replied, BodyWanted, Closed }

    private readonly FuzzNode _node;
    private readonly int _seed;
    private readonly FuzzStats _stats;
    private readonly Random _r;
    private readonly FuzzScript _script;
    private Socket _socket = null!;
    private ReplyReader _reader = null!;

    public FuzzSession(FuzzNode node, int seed, FuzzStats stats)
    {
        _node = node;
        _seed = seed;
        _stats = stats;
        _r = new Random(seed);
        _script = new FuzzScript(_r, node.Limits);
    }

    private SessionLimits Limits => _node.Limits;

    private bool _wantBodies;

    private void Violation(string what) => _stats.Violation(_seed, _wantBodies, what);

    [GeneratedRegex(@"^250 2\.0\.0 queued as \S+$")]
    private static partial Regex Queued();

    public async Task RunAsync(bool wantBodies, TimeSpan deadline)
    {
        _wantBodies = wantBodies;
        using var cts = new CancellationTokenSource(deadline);
        using var socket = _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Interlocked.Increment(ref _stats.Connections);
        try
        {
            await socket.ConnectAsync(_node.Endpoint, cts.Token);
            _reader = new ReplyReader(socket, Violation);
            var greeting = await _reader.ReadReplyAsync(cts.Token);
            if (greeting?[^1] != "220 mx.test ESMTP Bulwark")
            {
                Violation($"greeting was {greeting?[^1] ?? "<closed>"}");
                return;
            }
            var budget = 1 + _r.Next(_r.Next(2) == 0 ? 40 : 300);
            for (var sent = 0; sent < budget;)
            {
                var batch = _script.NextBatch(transactional: _r.NextDouble() < (wantBodies ? 0.4 : 0.08));
                sent += batch.Count;
                if (batch.Count == 0) continue;
                var outcome = await ExchangeAsync(batch, cts.Token);
                if (outcome == Outcome.Closed) return;
                if (outcome == Outcome.BodyWanted && !await BodyAsync(cts.Token)) return;
            }
            await EndAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Violation($"connection did not finish within {deadline.TotalSeconds} s");
        }
        finally
        {
            Interlocked.Add(ref _stats.MutatedLines, _script.Mutated);
        }
    }

    /// <summary>Pipelines the batch and reads one reply per line.</summary>
    private async Task<Outcome> ExchangeAsync(List<byte[]> batch, CancellationToken token)
    {
        var bytes = batch.SelectMany(b => b).ToArray();
        var sending = SendAsync(bytes, token, allowByteByByte: true);
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var verb = FuzzScript.Verb(batch[i], Limits);
                var reply = await _reader.ReadReplyAsync(token);
                if (reply is null)
                {
                    // A reset after QUIT may take its 221 with it; anything else closed too early.
                    if (verb != SmtpVerb.Quit) Violation($"server closed with no reply to line {i} of {batch.Count}: {Show(batch[i])}");
                    return Outcome.Closed;
                }
                Interlocked.Increment(ref _stats.Lines);
                var final = reply[^1];
                _stats.Reply(final);
                if (FuzzScript.TooLong(batch[i], Limits))
                {
                    Interlocked.Increment(ref _stats.OverlongLines);
                    if (final != "500 5.5.6 line too long") Violation($"overlong line answered {final}");
                }
                if (final.StartsWith("354") && verb != SmtpVerb.Data)
                    Violation($"354 to a non-DATA line {Show(batch[i])}");
                if (final.StartsWith("221") && verb != SmtpVerb.Quit) Violation($"221 to {Show(batch[i])}");
                if (verb == SmtpVerb.Quit || final.StartsWith("421"))
                {
                    if (verb == SmtpVerb.Quit && final != "221 2.0.0 bye") Violation($"QUIT answered {final}");
                    await ExpectClosedAsync(final, token);
                    return Outcome.Closed;
                }
                if (final.StartsWith("354"))
                {
                    if (i == batch.Count - 1) return Outcome.BodyWanted;
                    Violation($"354 to line {i} of {batch.Count}: the client's model of the DATA verb is wrong");
                    return Outcome.Closed;
                }
            }
            return Outcome.Replied;
        }
        finally
        {
            await sending;
        }
    }

    /// <summary>Sends a body after the 354 and checks the verdict against <see cref="BodyModel"/>.
    /// False when the connection was closed (a body abandoned half way).</summary>
    private async Task<bool> BodyAsync(CancellationToken token)
    {
        var stream = BodyModel.Terminate(_script.Bodies.Body(Limits.MaxMessageBytes));
        if (_r.Next(40) == 0)
        {
            Interlocked.Increment(ref _stats.BodiesAborted);
            await SendAsync(stream[..^(1 + _r.Next(Math.Min(stream.Length, 2000)))], token, allowByteByByte: false);
            _socket.Shutdown(SocketShutdown.Send);
            await ExpectClosedAsync("a half-sent body", token);
            return false;
        }
        var faults = BodyModel.Faults(stream, Limits);
        var sending = SendAsync(stream, token, allowByteByByte: false);
        var reply = await _reader.ReadReplyAsync(token);
        await sending;
        Interlocked.Increment(ref _stats.Bodies);
        if (reply is null)
        {
            Violation($"server closed instead of answering a body (faults {faults})");
            return false;
        }
        var final = reply[^1];
        _stats.Reply(final);
        if (BodyModel.HasBareLineEndOrNul(faults) && final.StartsWith('2'))
            Violation($"2xx to the end of a body with {faults}: {final}");
        var expected = BodyModel.ExpectedRefusal(faults);
        if (expected is null ? !Queued().IsMatch(final) : final != expected.ToWire())
            Violation($"body with faults {faults} answered {final}, expected {expected?.ToWire() ?? "250 queued"}");
        if (final.StartsWith("250")) Interlocked.Increment(ref _stats.BodiesAccepted);
        else Interlocked.Increment(ref _stats.BodiesRefused);
        return true;
    }
}
