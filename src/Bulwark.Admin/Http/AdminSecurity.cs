using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Admin.Http;

/// <summary>
/// Who may do what on the admin port. Pure, so each rule is tested without a server.
///   - Health, metrics and the page's own files are open: probes and scrapers carry no token,
///     and none of them changes or reveals mail data.
///   - Off loopback every other request needs the bearer token.
///   - A state-changing request needs the token whenever one is set, even on loopback.
///   - On loopback the Host header must name a loopback address, so a web page the operator
///     visits cannot reach the API by rebinding its own name to 127.0.0.1.
///   - A state-changing request sent by a browser from another origin is refused, so such a
///     page cannot unblock an attacker through the operator's browser either.
/// </summary>
public static class AdminSecurity
{
    public sealed record Decision(int Status, string? Reason)
    {
        public bool Allowed => Status == 0;
    }

    private static readonly Decision Allow = new(0, null);

    public static Decision Check(AdminSettings settings, string method, string path, string? host, string? origin, string? authorization)
    {
        if (settings.IsLoopbackOnly && !IsLoopbackHost(host))
            return new Decision(403, "the Host header must name a loopback address");
        var changesState = !HttpMethods.IsRead(method);
        if (changesState && origin is { Length: > 0 } && !SameOrigin(origin, host))
            return new Decision(403, "cross-origin request refused");
        if (IsOpen(path) && !changesState) return Allow;
        var tokenNeeded = changesState ? settings.Token is not null : !settings.IsLoopbackOnly;
        if (!tokenNeeded) return Allow;
        return TokenMatches(settings.Token!, authorization)
            ? Allow
            : new Decision(401, "this admin API needs its token: Authorization: Bearer <token>");
    }

    public static bool IsOpen(string path) =>
        path is "/" or "/metrics" || path.StartsWith("/health/", StringComparison.Ordinal) || StaticAssets.IsAsset(path);

    private static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrEmpty(host)) return false;
        string name;
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']');
            if (end < 0) return false;
            name = host[1..end];
        }
        else
        {
            var colon = host.LastIndexOf(':');
            name = colon >= 0 ? host[..colon] : host;
        }
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address);
    }

    private static bool SameOrigin(string origin, string? host) =>
        host is not null && (origin.Equals("http://" + host, StringComparison.OrdinalIgnoreCase) ||
                             origin.Equals("https://" + host, StringComparison.OrdinalIgnoreCase));

    private static bool TokenMatches(string token, string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        // Fixed-time comparison: the time to refuse must not tell how much of a guess was right.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    private static class HttpMethods
    {
        public static bool IsRead(string method) => method is "GET" or "HEAD" or "OPTIONS";
    }
}
