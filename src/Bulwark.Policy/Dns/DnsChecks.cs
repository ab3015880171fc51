using System.Net;
using Bulwark.Policy.Reputation;

namespace Bulwark.Policy.Dns;

/// <summary>What the session asks of the DNS authority, and of whom it does not ask it.</summary>
/// <param name="AskTimeout">For the DnsPolicy asks: SPF may need ten lookups in a row, so this is
/// longer than other asks; the evaluator's own budget bounds it.</param>
public sealed record DnsChecks(bool Enabled, IReadOnlyList<IPNetwork> TrustedNetworks, MailFromOptions MailFrom, IprevAction Iprev, TimeSpan AskTimeout)
{
    public static readonly DnsChecks Off = new(false, [], MailFromOptions.Default, IprevAction.Off, TimeSpan.FromSeconds(30));

    /// <summary>Local injectors and health checks on trusted networks skip SPF and iprev.</summary>
    public bool AppliesTo(IPAddress client) => Enabled && !TrustedNetworks.Any(n => n.Covers(client));
}
