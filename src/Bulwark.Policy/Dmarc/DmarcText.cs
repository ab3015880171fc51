using System.Text;

namespace Bulwark.Policy.Dmarc;

/// <summary>Text from DNS or a header on its way into a reason: DMARC reasons end up in logs and
/// SMTP replies, which must stay one line of printable ASCII whatever a TXT record contains.</summary>
internal static class DmarcText
{
    private const int MaxShown = 64;

    /// <summary><paramref name="text"/> with every character outside printable ASCII shown as '?',
    /// cut to 64 characters (then ending in "...").</summary>
    public static string Printable(ReadOnlySpan<char> text)
    {
        var cut = text.Length > MaxShown;
        var shown = cut ? text[..MaxShown] : text;
        if (!cut && !shown.ContainsAnyExceptInRange(' ', '~')) return shown.ToString();
        var sb = new StringBuilder(shown.Length + 3);
        foreach (var ch in shown) sb.Append(ch is >= ' ' and <= '~' ? ch : '?');
        if (cut) sb.Append("...");
        return sb.ToString();
    }
}
