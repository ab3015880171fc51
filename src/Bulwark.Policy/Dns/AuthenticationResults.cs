using System.Text;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Dns;

/// <summary>
/// The Authentication-Results header field (RFC 8601): its result keywords, and the test that
/// tells whether an incoming one claims to be ours (it must then be removed: a sender could
/// otherwise forge our verdicts, RFC 8601 section 5). The listener builds the field itself with
/// MimeKit. The test is ours on purpose: it must recognise our authserv-id in a field too broken
/// for a parser to accept, or a forgery would slip through by being malformed.
/// </summary>
public static class AuthenticationResults
{
    public const string FieldName = "Authentication-Results";

    /// <summary>RFC 7208 / RFC 8601 result keywords.</summary>
    public static string SpfName(SpfOutcome outcome) => outcome switch
    {
        SpfOutcome.None => "none",
        SpfOutcome.Neutral => "neutral",
        SpfOutcome.Pass => "pass",
        SpfOutcome.Fail => "fail",
        SpfOutcome.SoftFail => "softfail",
        SpfOutcome.TempError => "temperror",
        SpfOutcome.PermError => "permerror",
        _ => "neutral",
    };

    /// <summary>
    /// True when <paramref name="headerValue"/> (the field body after the colon, possibly folded)
    /// names <paramref name="authservId"/> as its authserv-id: leading CFWS (spaces, folds,
    /// nested comments) is skipped, the id may be a token or a quoted-string, a version number
    /// may follow it. Case-insensitive (domain names), and a trailing dot is ignored.
    /// </summary>
    public static bool ClaimsAuthServId(string headerValue, string authservId)
    {
        var i = SkipCfws(headerValue, 0);
        if (i >= headerValue.Length) return false;
        string id;
        if (headerValue[i] == '"')
        {
            var sb = new StringBuilder();
            for (i++; i < headerValue.Length && headerValue[i] != '"'; i++)
            {
                if (headerValue[i] == '\\' && i + 1 < headerValue.Length) i++;
                if (headerValue[i] is not ('\r' or '\n')) sb.Append(headerValue[i]);
            }
            id = sb.ToString().Trim();
        }
        else
        {
            var start = i;
            while (i < headerValue.Length && IsTokenChar(headerValue[i])) i++;
            id = headerValue[start..i];
        }
        return id.Length > 0 &&
            string.Equals(id.TrimEnd('.'), authservId.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }

    private static int SkipCfws(string s, int i)
    {
        var depth = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '(') depth++;
            else if (c == ')' && depth > 0) depth--;
            else if (depth > 0 && c == '\\') i++;
            else if (depth == 0 && c is not (' ' or '\t' or '\r' or '\n')) return i;
        }
        return i;
    }

    // RFC 2045 token: printable ASCII without SPACE and tspecials.
    private static bool IsTokenChar(char c) => c > ' ' && c < 127 && "()<>@,;:\\\"/[]?=".IndexOf(c) < 0;
}
