using System.Net;
using System.Net.Sockets;
using System.Text;
using Bulwark.Delivery.Spool;

namespace Bulwark.Delivery.Tests;

/// <summary>A fresh directory under the system temp folder, removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bulwark-delivery-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

public static class TestMail
{
    public static byte[] Message(string subject = "hello", string body = "Body line 1\r\n.leading dot\r\nBody line 3\r\n") =>
        Encoding.UTF8.GetBytes(
            $"From: Alice <alice@example.org>\r\nTo: bob@example.com\r\nSubject: {subject}\r\n" +
            "Message-ID: <m1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n" +
            "Content-Transfer-Encoding: 8bit\r\n\r\n" + body + "Ünïcödé stays 8bit\r\n");

    public static Envelope Envelope(string queueId, params string[] recipients) =>
        new(queueId, "alice@example.org", recipients, "192.0.2.1", "mx.example.org", DateTimeOffset.UtcNow);

    /// <summary>Writes and commits one message; returns its committed envelope.</summary>
    public static async Task<Envelope> CommitAsync(ISpool spool, byte[] body, Func<string, Envelope> envelope)
    {
        using var entry = spool.Create();
        await entry.Body.WriteAsync(body);
        var env = envelope(entry.QueueId);
        await entry.CommitAsync(env);
        return env;
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public static async Task Eventually(Func<bool> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(25);
        }
    }
}
