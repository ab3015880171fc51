using System.Globalization;
using System.Net;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns;

/// <summary>
/// Where and how the node asks DNS. Point it at a recursive resolver the farm runs itself
/// (a local unbound, say): Bulwark asks it, it does the recursion.
/// </summary>
public sealed record DnsResolverOptions
{
    /// <summary>"ip:port" or "ip" (port 53); IPv6 as "[::1]:53". Default 127.0.0.1:53.</summary>
    public IReadOnlyList<string> NameServers { get; init; } = ["127.0.0.1:53"];

    /// <summary>Per attempt. Default 2 s: a healthy resolver answers cached names in under a
    /// millisecond and fresh ones in tens; a mail session can afford a few seconds, a retry included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of one server after a timeout or network error. Default 1.</summary>
    public int Retries { get; init; } = 1;

    public static readonly DnsResolverOptions Default = new();

    /// <summary>Parses <see cref="NameServers"/>; throws FormatException on a bad entry (a config error).</summary>
    public IReadOnlyList<IPEndPoint> ParseNameServers()
    {
        if (NameServers.Count == 0) throw new FormatException("DNS: at least one name server is needed");
        return NameServers.Select(Parse).ToArray();
    }

    private static IPEndPoint Parse(string s)
    {
        s = s.Trim();
        if (IPAddress.TryParse(s, out var bare)) return new IPEndPoint(bare, 53);
        if (IPEndPoint.TryParse(s, out var ep))
            return ep.Port == 0 ? new IPEndPoint(ep.Address, 53) : ep;
        throw new FormatException(string.Format(CultureInfo.InvariantCulture, "DNS: bad name server '{0}' (want ip or ip:port)", s));
    }
}
