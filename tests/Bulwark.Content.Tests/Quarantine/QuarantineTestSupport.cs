using System.Text;
using Bulwark.Content.Quarantine;

namespace Bulwark.Content.Tests.Quarantine;

/// <summary>A clock the test moves by hand (retention is days long).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>A fresh directory under the system temp folder, removed afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bulwark-quarantine-" + Guid.NewGuid().ToString("N"));

    public TempDir() => Directory.CreateDirectory(Path);

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static byte[] Message(string subject = "cheap pills") =>
        Encoding.ASCII.GetBytes($"From: <spammer@example.com>\r\nTo: <bob@example.org>\r\nSubject: {subject}\r\n\r\nbuy now\r\n");

    public static QuarantineEntry Entry(params string[] recipients) => new(
        Id: "",
        Reason: "spam: score 12.00",
        Recipients: recipients.Length == 0 ? ["bob@example.org"] : recipients,
        Sender: "spammer@example.com",
        ClientIp: "192.0.2.7",
        Helo: "mx.example.com",
        QueueId: "01JQ0000000000ABCD",
        ReceivedAt: T0.AddMinutes(-1),
        Score: 12,
        RequiredScore: 15,
        Symbols: ["BAYES_SPAM", "R_DKIM_REJECT"]);

    public static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
    }
}
