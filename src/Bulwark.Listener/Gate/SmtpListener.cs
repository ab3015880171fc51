using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Bulwark.Entities.IpReputation;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Gate;

/// <summary>
/// The accept loop and its gate. The gate reads only the node's local block cache: a blocked
/// client gets 421 4.7.0 and the connection is closed before the greeting, with none of its
/// input read. Anyone else gets a session actor and an I/O loop of its own; nothing slow
/// runs on the accept loop itself.
/// </summary>
public sealed class SmtpListener : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly BlockList _blocks;
    private readonly IActorRefFactory _actors;
    private readonly SessionDependencies _deps;
    private readonly SmtpTimeouts _timeouts;
    private readonly int _maxConnections;
    private readonly ILoggingAdapter _log;
    private readonly Action<Socket>? _onAccepted;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _draining = new();
    private readonly string _nodeTag = Guid.NewGuid().ToString("N")[..8];
    private Socket? _socket;
    private Task? _acceptLoop;
    private long _sequence;
    private int _open;

    public SmtpListener(IPEndPoint endpoint, BlockList blocks, IActorRefFactory actors, SessionDependencies deps,
        SmtpTimeouts timeouts, int maxConnections, ILoggingAdapter log, Action<Socket>? onAccepted = null)
    {
        _onAccepted = onAccepted;
        _endpoint = endpoint;
        _blocks = blocks;
        _actors = actors;
        _deps = deps;
        _timeouts = timeouts;
        _maxConnections = maxConnections;
        _log = log;
    }

    private static readonly SmtpReply NodeBusy = new(421, "4.3.2", "too many connections, try again later");

    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>The sessions open on this listener, for the dashboard.</summary>
    public LiveSessions Sessions => _deps.Sessions;
    private long _refusedAtGate;

    /// <summary>Connections answered 421 by the gate because their IP is blocked.</summary>
    public long RefusedAtGate => Interlocked.Read(ref _refusedAtGate);

    public IPEndPoint? LocalEndpoint => _socket?.LocalEndPoint as IPEndPoint;

    public void Start()
    {
        _socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(_endpoint);
        _socket.Listen(1024);
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _log.Info("SMTP listening on {0}", _socket.LocalEndPoint);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_draining.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket!.AcceptAsync(_draining.Token);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException e)
            {
                _log.Warning("accept failed: {0}", e.SocketErrorCode);
                continue;
            }
            // Without it pipelined replies wait on Nagle's algorithm and delayed ACKs.
            client.NoDelay = true;
            _onAccepted?.Invoke(client);
            var remote = (IPEndPoint)client.RemoteEndPoint!;
            var ip = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
            if (_blocks.IsBlocked(ip, DateTimeOffset.UtcNow, out _))
            {
                Interlocked.Increment(ref _refusedAtGate);
                SmtpCounters.Connection("blocked");
                SmtpCounters.Reply(SmtpPhase.Connect, Replies.Blocked);
                _ = RefuseAsync(client, Replies.Blocked);
                continue;
            }
            if (Interlocked.Increment(ref _open) > _maxConnections)
            {
                Interlocked.Decrement(ref _open);
                SmtpCounters.Connection("busy");
                SmtpCounters.Reply(SmtpPhase.Connect, NodeBusy);
                _ = RefuseAsync(client, NodeBusy);
                continue;
            }
            _ = ServeAsync(client, ip);
        }
    }

    private async Task ServeAsync(Socket client, IPAddress ip)
    {
        try
        {
            var info = new ConnectionInfo($"{_nodeTag}-{Interlocked.Increment(ref _sequence):x}", ip, IpKey.For(ip));
            var session = _actors.ActorOf(SessionActor.Props(info, _deps), $"session-{info.ConnectionId}");
            var connection = new SmtpConnection(client, session, _deps.Settings.Limits, _timeouts);
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

    /// <summary>Writes one reply line and closes, reading nothing the client sent.</summary>
    private static async Task RefuseAsync(Socket client, SmtpReply reply)
    {
        try
        {
            var bytes = Encoding.ASCII.GetBytes(reply.ToWire() + "\r\n");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.SendAsync(bytes, SocketFlags.None, timeout.Token);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
            // A client that does not take our 421 needs nothing else from us.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>
    /// Leaves gracefully: stops accepting, lets idle sessions go with 421 and sessions inside a
    /// transaction finish it, for at most <paramref name="drainTimeout"/>; then closes the rest.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        _socket?.Dispose();
        _draining.Cancel();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        var deadline = DateTime.UtcNow + drainTimeout;
        while (OpenConnections > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50).ConfigureAwait(false);
        if (OpenConnections > 0) _log.Warning("{0} sessions still open after draining; closing them", OpenConnections);
        _stopping.Cancel();
        var closing = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (OpenConnections > 0 && DateTime.UtcNow < closing)
            await Task.Delay(20).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _draining.Cancel();
        _stopping.Cancel();
        _socket?.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
    }
}
