using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;
using Bulwark.NodeCaches;

namespace Bulwark.Listener.Gate;

/// <summary>
/// The accept loop and its gate. The gate reads only the node's local block cache: a blocked
/// client gets 421 4.7.0 and the connection is closed before the greeting, with none of its
/// input read. Anyone else gets a session actor and an I/O loop of its own; nothing slow
/// runs on the accept loop itself.
/// <para>
/// Behind a load balancer (<see cref="TrustedProxies"/>) the socket's peer is the balancer, so
/// for those peers the gate runs in the connection's own task, after the PROXY header has told
/// the real client IP. Other peers never have a PROXY header parsed: a client cannot claim an
/// address it does not have.
/// </para>
/// </summary>
public sealed partial class SmtpListener : IAsyncDisposable
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
    private RecentlyAccepted? _recent;
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

    private static readonly byte[] NodeBusyLine = WireLine(Replies.NodeBusy);
    private static readonly byte[] BlockedLine = WireLine(Replies.Blocked);

    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Load balancers that send a PROXY header (v1 or v2) before the client's bytes.
    /// Empty (the default): PROXY is off and every peer is the client itself.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>How long a trusted proxy has to send the whole header before the connection is closed.</summary>
    public TimeSpan ProxyHeaderTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The early-talker test; off by default (<see cref="PregreetOptions.Pause"/> zero).</summary>
    public PregreetOptions Pregreet { get; init; } = new();

    /// <summary>IP keys this node accepted mail from lately: they skip the pregreet pause.</summary>
    public RecentlyAccepted RecentlyAccepted => LazyInitializer.EnsureInitialized(ref _recent,
        () => new RecentlyAccepted(Pregreet.GoodHistoryCapacity, Pregreet.GoodHistory));

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
            _onAccepted?.Invoke(client);
            var ip = Normalize(((IPEndPoint)client.RemoteEndPoint!).Address);
            var proxied = TrustedProxies.Count > 0 && IsTrustedProxy(ip);
            // The block check first: a refused client costs no more system calls than it must.
            if (!proxied && RefusedIfBlocked(client, ip)) continue;
            // Without it pipelined replies wait on Nagle's algorithm and delayed ACKs.
            client.NoDelay = true;
            if (!TryOpen(client)) continue;
            // Behind a trusted proxy the block check waits for the header; only the node's own limit applies now.
            _ = proxied ? ServeProxiedAsync(client, ip) : ServeAsync(client, ip);
        }
    }

    /// <summary>Counts the connection against the node's limit, or refuses it with 421 4.3.2.</summary>
    private bool TryOpen(Socket client)
    {
        if (Interlocked.Increment(ref _open) <= _maxConnections) return true;
        Interlocked.Decrement(ref _open);
        SmtpCounters.Connection("busy");
        SmtpCounters.Reply(SmtpPhase.Connect, Replies.NodeBusy);
        Refuse(client, NodeBusyLine);
        return false;
    }

    /// <summary>The gate: a blocked IP gets 421 4.7.0 and is closed. True when refused.</summary>
    private bool RefusedIfBlocked(Socket client, IPAddress ip)
    {
        if (!_blocks.IsBlocked(ip, DateTimeOffset.UtcNow, out _)) return false;
        Interlocked.Increment(ref _refusedAtGate);
        SmtpCounters.Connection("blocked");
        SmtpCounters.Reply(SmtpPhase.Connect, Replies.Blocked);
        Refuse(client, BlockedLine);
        return true;
    }

    private bool IsTrustedProxy(IPAddress ip)
    {
        foreach (var network in TrustedProxies)
            if (network.Covers(ip)) return true;
        return false;
    }

    private static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;

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
