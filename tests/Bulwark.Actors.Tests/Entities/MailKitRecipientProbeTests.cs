using System.Net;
using System.Net.Sockets;
using System.Text;
using Bulwark.Entities.RecipientDirectory;
using Bulwark.Policy.Recipients;

namespace Bulwark.Actors.Tests.Entities;

public sealed class MailKitRecipientProbeTests
{
    /// <summary>A minimal next hop on 127.0.0.1: 250 for RCPT to known@, 550 for anyone else,
    /// 451 for busy@. Records the commands it received.</summary>
    private sealed class TinySmtpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public TinySmtpServer()
        {
            _listener.Start();
            _loop = Task.Run(AcceptLoop);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public List<string> Commands { get; } = [];

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 tiny.test ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (Commands)
                    Commands.Add(line);
                var verb = line.Split(' ', ':')[0].ToUpperInvariant();
                var reply = verb switch
                {
                    "EHLO" => "250 tiny.test",
                    "MAIL" => "250 2.1.0 ok",
                    "RCPT" when line.Contains("<known@example.org>", StringComparison.OrdinalIgnoreCase) => "250 2.1.5 ok",
                    "RCPT" when line.Contains("<busy@example.org>", StringComparison.OrdinalIgnoreCase) => "451 4.3.0 try later",
                    "RCPT" => "550 5.1.1 no such user",
                    "RSET" => "250 2.0.0 reset",
                    "QUIT" => "221 2.0.0 bye",
                    _ => "502 5.5.1 what",
                };
                await writer.WriteLineAsync(reply);
                if (verb == "QUIT")
                    return;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _loop;
        }
    }

    [Fact]
    public async Task The_probe_maps_the_next_hops_rcpt_replies_to_exists_unknown_and_failed()
    {
        await using var server = new TinySmtpServer();
        var probe = new MailKitRecipientProbe(new CallAheadOptions { Enabled = true, Host = "127.0.0.1", Port = server.Port });

        var known = await probe.ProbeAsync("known@example.org", CancellationToken.None);
        var unknown = await probe.ProbeAsync("nobody@example.org", CancellationToken.None);
        var busy = await probe.ProbeAsync("busy@example.org", CancellationToken.None);

        Assert.Equal(RecipientExistence.Exists, known);
        Assert.Equal(RecipientExistence.Unknown, unknown);
        Assert.Equal(RecipientExistence.TemporaryFailure, busy);
        lock (server.Commands)
        {
            Assert.Contains("MAIL FROM:<>", server.Commands);
            Assert.Contains("RCPT TO:<known@example.org>", server.Commands);
            Assert.Contains(server.Commands, c => c.StartsWith("EHLO ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_next_hop_that_refuses_the_connection_is_a_failed_probe()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var probe = new MailKitRecipientProbe(new CallAheadOptions { Enabled = true, Host = "127.0.0.1", Port = port });

        var result = await probe.ProbeAsync("known@example.org", CancellationToken.None);

        Assert.Equal(RecipientExistence.TemporaryFailure, result);
    }

    [Fact]
    public async Task An_address_that_could_inject_a_command_is_never_sent()
    {
        var probe = new MailKitRecipientProbe(new CallAheadOptions { Enabled = true, Host = "127.0.0.1", Port = 9 });

        var result = await probe.ProbeAsync("a@example.org>\r\nDATA", CancellationToken.None);

        Assert.Equal(RecipientExistence.TemporaryFailure, result);
    }
}
