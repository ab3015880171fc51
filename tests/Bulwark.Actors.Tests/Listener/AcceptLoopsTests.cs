using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery.Spool;
using Bulwark.Entities.IpReputation;
using Bulwark.Listener.Gate;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Sessions;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>Several accept loops on one socket, over real loopback sockets: every connection is
/// taken once, the gate holds in each loop, and stopping ends them all.</summary>
public sealed class AcceptLoopsTests : TestKit, IAsyncLifetime
{
    private const int Loops = 3;
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-loops-").FullName;
    private readonly BlockList _blocks = new();
    private readonly SmtpListener _listener;

    public AcceptLoopsTests()
    {
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            TimeSpan.FromSeconds(2), ReputationEnabled: false);
        var deps = new SessionDependencies(CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), new FileSpool(_spoolRoot), settings);
        _listener = new SmtpListener(new IPEndPoint(IPAddress.Loopback, 0), _blocks, Sys, deps, new SmtpTimeouts(), 1000,
            Logging.GetLogger(Sys, "test")) { AcceptLoops = Loops };
        _listener.Start();
    }

    [Fact]
    public async Task Concurrent_clients_are_each_answered_once_blocked_ones_by_the_gate()
    {
        _blocks.Apply(new IpBlocked("127.0.0.40", DateTimeOffset.UtcNow.AddMinutes(5), "test", 1));
        const int each = 40;
        var blocked = Enumerable.Range(0, each).Select(_ => FirstLineAsync("127.0.0.40"));
        var served = Enumerable.Range(0, each).Select(_ => FirstLineAsync("127.0.0.41"));
        var lines = await Task.WhenAll(blocked.Concat(served));

        Assert.All(lines[..each], l => Assert.Equal("421 4.7.0 too much abuse from your address, try again later", l));
        Assert.All(lines[each..], l => Assert.StartsWith("220 mx.test", l));
        Assert.Equal(each, _listener.RefusedAtGate);
    }

    [Fact]
    public async Task Stopping_ends_every_accept_loop_and_the_port_refuses()
    {
        Assert.StartsWith("220 ", await FirstLineAsync("127.0.0.42"));
        var endpoint = _listener.LocalEndpoint!;
        var stop = _listener.StopAsync(TimeSpan.FromSeconds(1));
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(15))));
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAnyAsync<SocketException>(() => late.ConnectAsync(endpoint));
    }

    /// <summary>Connects from <paramref name="source"/>, reads the first line, closes.</summary>
    private async Task<string> FirstLineAsync(string source)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(_listener.LocalEndpoint!);
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read).TrimEnd();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }
}
