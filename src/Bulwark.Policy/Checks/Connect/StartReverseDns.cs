using Bulwark.Policy.Dns;
using Bulwark.Policy.Verdicts;
using Bulwark.Policy.Checks;

namespace Bulwark.Policy.Checks.Connect;

/// <summary>connect.iprev: starts the client's reverse-DNS lookup at once, so that it runs while
/// the client says EHLO; <see cref="Mail.ClientIprev{TFacts}"/> reads the answer later. Decides
/// nothing. Clients on trusted networks are not looked up.</summary>
public sealed class StartReverseDns(DnsChecks dns) : ICheck<SessionFacts>
{
    public const string CheckName = "connect.iprev";

    private static readonly Verdict NoObjection = Verdict.Continue(CheckName);

    public string Name => CheckName;

    public ValueTask<Verdict> CheckAsync(SessionFacts facts)
    {
        if (dns.AppliesTo(facts.Client.ClientIp)) _ = facts.Asks.ReverseDnsAsync();
        return new(NoObjection);
    }
}
