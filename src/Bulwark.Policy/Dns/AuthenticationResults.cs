using System.Text;
using Bulwark.Policy.Spf;

namespace Bulwark.Policy.Dns;

/// <summary>
/// The Authentication-Results header field (RFC 8601) this farm adds for the next hop, and the
/// test that tells whether an incoming one claims to be ours (it must then be removed: a sender
/// could otherwise forge our verdicts, RFC 8601 section 5).
/// </summary>
public static class AuthenticationResults
{
    public const string FieldName = "Authentication-Results";

    /// <summary>
    /// The field value, e.g. <c>mx.example.test; spf=pass smtp.mailfrom=a@b.test; iprev=pass
    /// policy.iprev=192.0.2.7 (mail.b.test)</c>. SPF names smtp.mailfrom, or smtp.helo for the
    /// null sender (RFC 7208 9.1); iprev names the IP and, in a comment, the confirmed PTR name.
    /// With neither method: <c>authserv-id; none</c>.
    /// </summary>
    public static string Format(string authservId, SpfOutcome? spf, string? mailFrom, string? helo,
        IprevResult? iprev, string? clientIp, string? ptrName = null)
    {
        var sb = new StringBuilder(Value(authservId));
        var any = false;
        if (spf is { } s)
        {
            sb.Append("; spf=").Append(SpfName(s));
            if (!string.IsNullOrEmpty(mailFrom)) sb.Append(" smtp.mailfrom=").Append(Value(mailFrom));
            else if (!string.IsNullOrEmpty(helo)) sb.Append(" smtp.helo=").Append(Value(helo));
            any = true;
        }
        if (iprev is { } i)
        {
            sb.Append("; iprev=").Append(i switch
            {
                IprevResult.Pass => "pass",
                IprevResult.Fail => "fail",
                _ => "temperror",
            });
            if (!string.IsNullOrEmpty(clientIp)) sb.Append(" policy.iprev=").Append(Value(clientIp));
            if (i == IprevResult.Pass && !string.IsNullOrEmpty(ptrName)) sb.Append(" (").Append(CommentText(ptrName)).Append(')');
            any = true;
        }
        if (!any) sb.Append("; none");
        return sb.ToString();
    }

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

    /// <summary>A pvalue: a token, an address (local-part@domain, RFC 8601 2.2) or else a quoted-string.</summary>
    private static string Value(string v)
    {
        if (v.Length > 0 && v.All(IsTokenChar)) return v;
        var at = v.LastIndexOf('@');
        if (at > 0 && at < v.Length - 1 && v[..at].All(IsAtomText) && v[(at + 1)..].All(IsTokenChar)) return v;
        return "\"" + v.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    private static bool IsAtomText(char c) => c == '.' || (c > ' ' && c < 127 && "()<>@,;:\\\"[]".IndexOf(c) < 0);

    private static string CommentText(string v) => v.Replace("\\", "\\\\").Replace("(", "\\(").Replace(")", "\\)");
}
