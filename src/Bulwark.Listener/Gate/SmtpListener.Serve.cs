using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Protocol.ProxyProtocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.IpReputation;
using Bulwark.Policy.Checks;

namespace Bulwark.Listener.Gate;

/// <summary>One connection's task, from the gate's verdict to the end of its dialogue.</summary>
public sealed partial class SmtpListener
{
    /// <summary>A connection from a trusted proxy: the header comes first and names the client;
    /// then the same gate and session as a direct connection, for that client.</summary>
    private async Task ServeProxiedAsync(Socket client, IPAddress proxy)
    {
        var serving = false;
        try
        {
            var header = await ProxyHeaderReader.ReadAsync(client, ProxyHeaderTimeout, _draining.Token);
            IPAddress? ip = header.Kind switch
            {
                ProxyHeaderKind.Proxy => Normalize(header.Source!.Address),
                // A health check or a transport without addresses: the balancer itself is the client.
                ProxyHeaderKind.Local or ProxyHeaderKind.Unknown => proxy,
                _ => null,
            };
            if (ip is null)
            {
                // Nothing is said to a broken proxy: an SMTP reply would reach whoever is behind it
                // as if it came from a session that never started.
                _log.Warning("closing connection from trusted proxy {0}: {1}", proxy,
                    header.Kind == ProxyHeaderKind.NotProxy ? "no PROXY header" : header.Error);
                SmtpCounters.Connection("proxy-error");
                CloseSilently(client);
                return;
            }
            if (RefusedIfBlocked(client, ip)) return;
            serving = true;
            await ServeAsync(client, ip);
        }
        catch (OperationCanceledException)
        {
            CloseSilently(client);
        }
        catch (Exception e)
        {
            _log.Warning("PROXY header from {0} failed: {1}", proxy, e.Message);
            SmtpCounters.Connection("proxy-error");
            CloseSilently(client);
        }
        finally
        {
            // ServeAsync gives the slot back itself.
            if (!serving) Interlocked.Decrement(ref _open);
        }
    }

    private async Task ServeAsync(Socket client, IPAddress ip)
    {
        try
        {
            var info = new ConnectionInfo($"{_nodeTag}-{Interlocked.Increment(ref _sequence):x}", ip, IpKey.For(ip));
            var session = _actors.ActorOf(SessionActor.Props(info, _deps), $"session-{info.ConnectionId}");
            var connection = new SmtpConnection(client, session, _deps.Settings.Limits, _timeouts)
            {
                PregreetPause = PregreetRules.PauseFor(Pregreet, ip,
                    Pregreet.Enabled ? RecentlyAccepted.LastAccepted(info.IpKey, DateTimeOffset.UtcNow) : null, DateTimeOffset.UtcNow),
                MultilineBanner = Pregreet.MultilineBanner,
                TalkedEarly = () => OnEarlyTalker(info),
                MessageAccepted = Pregreet.Enabled ? () => RecentlyAccepted.Record(info.IpKey, DateTimeOffset.UtcNow) : null,
            };
            await Task.Yield();
            await connection.RunAsync(_draining.Token, _stopping.Token);
        }
        catch (Exception e)
        {
            _log.Error(e, "session for {0} failed", ip);
            client.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private void OnEarlyTalker(ConnectionInfo info)
    {
        _log.Info("{0} [{1}] talked before the greeting; closed", info.ConnectionId, info.ClientIp);
        if (_deps.Settings.ReputationEnabled)
            _deps.IpReputation.Tell(new ReportEvidence(info.IpKey, PregreetRules.EarlyTalker.Evidence, DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// Writes one reply line and closes, reading nothing the client sent. This path answers
    /// floods, so it is one non-blocking send on the accept loop: a new connection's send buffer
    /// is empty and takes the line at once, without an async send and a timer per refusal. If the
    /// kernel will not take it (a client advertising no window), the client is just closed.
    /// </summary>
    private static void Refuse(Socket client, byte[] line)
    {
        try
        {
            client.Blocking = false;
            client.Send(line, SocketFlags.None, out _);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A client that does not take our 421 needs nothing else from us.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>A refusal line as it goes on the wire, built once.</summary>
    private static byte[] WireLine(SmtpReply reply) => Encoding.ASCII.GetBytes(reply.ToWire() + "\r\n");

    private static void CloseSilently(Socket client)
    {
        try { client.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        client.Dispose();
    }
}
