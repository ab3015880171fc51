using System.Text;

namespace Bulwark.Delivery.Transports;

/// <summary>Pure helpers for Maildir paths and file names.</summary>
public static class MaildirNames
{
    private static long _sequence;

    /// <summary>
    /// One file-system-safe path segment from a domain or local part: lower case (mailboxes are
    /// matched case-insensitively here), '/', '\\', NUL and control characters replaced by '_',
    /// and never empty, "." or ".." or starting with '.' (no escaping the root, no hidden folders).
    /// </summary>
    public static string Segment(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        foreach (var c in raw.ToLowerInvariant())
            sb.Append(c is '/' or '\\' or ':' || char.IsControl(c) ? '_' : c);
        var s = sb.ToString();
        if (s.Length == 0) return "_";
        if (s[0] == '.') s = "_" + s[1..];
        return s.Length > 200 ? s[..200] : s;
    }

    /// <summary>(domain, localpart) segments of a recipient, or null if it is not local@domain.</summary>
    public static (string Domain, string Local)? Split(string recipient)
    {
        var at = recipient.LastIndexOf('@');
        if (at <= 0 || at == recipient.Length - 1) return null;
        return (Segment(recipient[(at + 1)..]), Segment(recipient[..at]));
    }

    /// <summary>
    /// A unique Maildir file name in the usual "time.MusecPpidQseqRrand.host" form: seconds, then
    /// microseconds, process id, a process-wide counter and random bits, then the host name with
    /// '/' and ':' escaped as the Maildir convention asks (\057, \072).
    /// </summary>
    public static string UniqueName(DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        var micros = (now.UtcTicks / 10) % 1_000_000;
        var seq = Interlocked.Increment(ref _sequence);
        var rand = Random.Shared.Next(0, int.MaxValue);
        var host = Environment.MachineName.Replace("/", "\\057").Replace(":", "\\072");
        return $"{seconds}.M{micros}P{Environment.ProcessId}Q{seq}R{rand:x8}.{host}";
    }
}
