using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Bulwark.Delivery.Spool;

/// <summary>
/// The dead/ folder both spools share the layout of: &lt;id&gt;.eml body, &lt;id&gt;.env envelope and
/// &lt;id&gt;.reason ("&lt;ISO time&gt; &lt;why&gt;"). Reading it is the same whichever spool wrote it.
/// </summary>
internal static class DeadLetterFolder
{
    public const string Body = ".eml";
    public const string Envelope = ".env";
    public const string Reason = ".reason";

    /// <summary>Dead letters whose body and envelope are both in the folder (a move in progress is
    /// not listed), oldest DeadAt first.</summary>
    public static IReadOnlyList<DeadLetter> List(string deadDir, ILogger log)
    {
        var result = new List<DeadLetter>();
        foreach (var envPath in Directory.EnumerateFiles(deadDir, "*" + Envelope))
        {
            var id = Path.GetFileNameWithoutExtension(envPath);
            if (!QueueIdGenerator.IsValid(id) || !File.Exists(Path.Combine(deadDir, id + Body))) continue;
            try
            {
                var envelope = EnvelopeFile.Read(envPath) with { QueueId = id };
                var (why, deadAt) = ReadReason(Path.Combine(deadDir, id + Reason), envPath);
                result.Add(new DeadLetter(envelope, why, deadAt));
            }
            catch (FileNotFoundException)
            {
                // Requeued while we listed.
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
            {
                log.LogError(e, "Dead letter {Path} is unreadable; left in place", envPath);
            }
        }
        result.Sort((a, b) => a.DeadAt != b.DeadAt
            ? a.DeadAt.CompareTo(b.DeadAt)
            : string.CompareOrdinal(a.Envelope.QueueId, b.Envelope.QueueId));
        return result;
    }

    /// <summary>Counts envelope names only: no file is opened.</summary>
    public static int Count(string deadDir) => Directory.EnumerateFiles(deadDir, "*" + Envelope).Count();

    private static (string Reason, DateTimeOffset DeadAt) ReadReason(string reasonPath, string envPath)
    {
        string text;
        try { text = File.ReadAllText(reasonPath).Trim(); }
        catch (FileNotFoundException) { text = ""; }
        var space = text.IndexOf(' ');
        var stamp = space > 0 ? text[..space] : text;
        if (DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
            return (space > 0 ? text[(space + 1)..] : "", at);
        return (text, new DateTimeOffset(File.GetLastWriteTimeUtc(envPath), TimeSpan.Zero));
    }
}
