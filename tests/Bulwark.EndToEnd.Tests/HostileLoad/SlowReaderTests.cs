using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Bulwark.EndToEnd.Tests.Infrastructure;

namespace Bulwark.EndToEnd.Tests.HostileLoad;

/// <summary>A client that sends commands but never reads the replies fills the socket buffers;
/// the node's write must not wait for it forever (the command timeout bounds writes too).</summary>
public sealed class SlowReaderTests
{
    [Fact]
    public async Task A_client_that_never_reads_is_cut_at_the_command_timeout()
    {
        using var node = await BulwarkNode.StartAsync(new Dictionary<string, string>
        {
            ["BULWARK_Smtp__CommandTimeoutSeconds"] = "3",
            ["BULWARK_Reputation__Enabled"] = "false",
        });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.ReceiveBufferSize = 4096;
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.130"), 0));
        await socket.ConnectAsync(IPAddress.Loopback, node.SmtpPort);

        var noops = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOOP\r\n", 1000)));
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var cut = false;
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        while (!overall.IsCancellationRequested)
        {
            try
            {
                using var step = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
                step.CancelAfter(TimeSpan.FromSeconds(1));
                sent += await socket.SendAsync(noops, SocketFlags.None, step.Token);
            }
            catch (OperationCanceledException) when (!overall.IsCancellationRequested)
            {
                // Our own send buffer is full too: keep trying until the node gives up on us.
                if (await NodeProbe.SampleAsync(node, "bulwark_smtp_sessions_active") == 0) { cut = true; break; }
            }
            catch (SocketException)
            {
                cut = true;
                break;
            }
        }

        Assert.True(cut, $"still connected after {clock.Elapsed} and {sent} bytes sent without reading");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"cut only after {clock.Elapsed}");
        Assert.Equal(0, await NodeProbe.WaitForSessionsAsync(node, 0, TimeSpan.FromSeconds(10)));
        Assert.StartsWith("250", await Send.MessageAsync(node.SmtpPort, "alice@example.test", "after-slow-reader"));
    }
}
