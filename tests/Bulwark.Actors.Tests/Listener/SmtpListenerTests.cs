using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Gate;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Sessions;
using Bulwark.Contracts.IpReputation;
using Bulwark.NodeCaches;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The accept gate over real loopback sockets.</summary>
public sealed class SmtpListenerTests : TestKit, IAsyncLifetime
{
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-gate-").FullName;
    private readonly BlockList _blocks = new();
    private readonly Akka.TestKit.TestProbe _reputation;
    private readonly ConcurrentQueue<Socket> _accepted = new();
    private readonly SmtpListener _listener;

    public SmtpListenerTests()
    {
        _reputation = CreateTestProbe();
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            TimeSpan.FromSeconds(2), ReputationEnabled: false);
        var deps = new SessionDependencies(CreateTestProbe(), _reputation, CreateTestProbe(), CreateTestProbe(), new FileSpool(_spoolRoot), settings);
        _listener = new SmtpListener(new IPEndPoint(IPAddress.Loopback, 0), _blocks, Sys, deps, new SmtpTimeouts(), 2,
            Logging.GetLogger(Sys, "test"), _accepted.Enqueue);
        _listener.Start();
    }

    private async Task<(Socket Socket, string? FirstLine)> ConnectAsync(string source = "127.0.0.1")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(_listener.LocalEndpoint!);
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return (socket, read == 0 ? null : Encoding.ASCII.GetString(buffer, 0, read).TrimEnd());
    }

    [Fact]
    public async Task Accepted_sockets_have_TCP_NODELAY_set()
    {
        var (client, greeting) = await ConnectAsync();
        using var _ = client;
        Assert.StartsWith("220 mx.test", greeting);
        Assert.True(_accepted.TryDequeue(out var server));
        Assert.True(server!.NoDelay);
    }

    [Fact]
    public async Task A_blocked_IP_gets_421_and_is_closed_before_the_greeting_while_others_are_served()
    {
        _blocks.Apply(new IpBlocked("127.0.0.8", DateTimeOffset.UtcNow.AddMinutes(5), "test", 1));

        var (blocked, first) = await ConnectAsync("127.0.0.8");
        using (blocked)
        {
            Assert.Equal("421 4.7.0 too much abuse from your address, try again later", first);
            var rest = new byte[16];
            Assert.Equal(0, await blocked.ReceiveAsync(rest, SocketFlags.None));
        }
        Assert.Equal(1, _listener.RefusedAtGate);

        var (other, greeting) = await ConnectAsync("127.0.0.9");
        using var __ = other;
        Assert.StartsWith("220 ", greeting);
    }

    [Fact]
    public async Task Past_the_node_connection_limit_new_clients_get_421_4_3_2()
    {
        var (a, _) = await ConnectAsync();
        var (b, _) = await ConnectAsync();
        var (c, third) = await ConnectAsync();
        using (a) using (b) using (c)
            Assert.Equal("421 4.3.2 too many connections, try again later", third);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }
}
