using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>A raw SMTP client that can switch to TLS: writes exactly what it is given in one
/// write, reads reply lines, and after STARTTLS trusts the server only if its certificate has
/// the expected thumbprint (or any, when none is expected).</summary>
public sealed class TlsSmtpClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly List<byte> _pending = new();
    private Stream _stream;

    private TlsSmtpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public SslStream? Tls => _stream as SslStream;
    public X509Certificate2? ServerCertificate { get; private set; }

    public static async Task<TlsSmtpClient> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server);
        var client = new TlsSmtpClient(socket);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        return client;
    }

    public async Task SendAsync(string text)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await _stream.FlushAsync();
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one command and returns its reply (the last line of a multi-line one).</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>EHLO and every keyword line of its reply (the text after "250-" / "250 ").</summary>
    public async Task<List<string>> EhloAsync(string name = "client.test")
    {
        await SendAsync($"EHLO {name}\r\n");
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException("closed during EHLO");
            Assert.StartsWith("250", line);
            lines.Add(line[4..]);
            if (line[3] == ' ') return lines;
        }
    }

    public async Task<string> ReadReplyAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException("connection closed");
            if (line.Length < 4 || line[3] != '-') return line;
        }
    }

    /// <summary>The TLS handshake as client, after the server's 220 to STARTTLS.</summary>
    public async Task HandshakeAsync(SslProtocols protocols, string? expectedThumbprint = null)
    {
        Assert.Empty(_pending);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(Patience);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "mx.test",
            EnabledSslProtocols = protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                ServerCertificate = certificate is null ? null : new X509Certificate2(certificate);
                return certificate is not null && (expectedThumbprint is null || ServerCertificate!.Thumbprint == expectedThumbprint);
            },
        }, timeout.Token);
        _stream = tls;
    }

    /// <summary>STARTTLS, its 220, and the handshake.</summary>
    public async Task StartTlsAsync(SslProtocols protocols = SslProtocols.None, string? expectedThumbprint = null)
    {
        Assert.Equal("220 2.0.0 ready to start TLS", await CommandAsync("STARTTLS"));
        await HandshakeAsync(protocols, expectedThumbprint);
    }

    /// <summary>Bytes that arrive within <paramref name="wait"/>; empty if none came, null if the server closed.</summary>
    public async Task<byte[]?> ReadRawAsync(TimeSpan wait)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            return read == 0 ? null : buffer[..read];
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }

    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.ASCII.GetString(_pending.GetRange(0, lf).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, lf + 1);
                return line;
            }
            // One byte at a time before TLS is not needed: the server sends nothing after its 220
            // to STARTTLS, so nothing is read here that belongs to the handshake.
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) return null;
            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
