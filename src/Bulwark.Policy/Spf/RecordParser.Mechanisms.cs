namespace Bulwark.Policy.Spf;

/// <summary>Mechanism syntax (RFC 7208 section 5 and the ABNF of section 12).</summary>
public static partial class RecordParser
{
    private static bool TryMechanism(string term, out SpfMechanism mechanism, out string problem)
    {
        mechanism = null!;
        var qualifier = term[0] switch
        {
            '+' => SpfQualifier.Pass,
            '-' => SpfQualifier.Fail,
            '~' => SpfQualifier.SoftFail,
            '?' => SpfQualifier.Neutral,
            _ => (SpfQualifier?)null,
        };
        var body = qualifier is null ? term : term[1..];
        var nameEnd = 0;
        while (nameEnd < body.Length && char.IsAsciiLetterOrDigit(body[nameEnd])) nameEnd++;
        var name = body[..nameEnd].ToLowerInvariant();
        var rest = body[nameEnd..];
        var q = qualifier ?? SpfQualifier.Pass;
        problem = "";
        switch (name)
        {
            case "all":
                if (rest.Length != 0) return Fail($"'all' takes no argument: '{term}'", out problem);
                mechanism = new SpfMechanism(q, SpfMechanismKind.All, term);
                return true;
            case "include" or "exists":
                if (!rest.StartsWith(':') || !IsDomainSpec(rest[1..], out problem))
                    return Fail(problem.Length > 0 ? problem : $"'{name}' needs a domain: '{term}'", out problem);
                mechanism = new SpfMechanism(q, name == "include" ? SpfMechanismKind.Include : SpfMechanismKind.Exists, term, rest[1..]);
                return true;
            case "ptr":
                string? ptrDomain = null;
                if (rest.Length > 0)
                {
                    if (!rest.StartsWith(':')) return Fail($"invalid ptr mechanism '{term}'", out problem);
                    if (!IsDomainSpec(rest[1..], out problem)) return false;
                    ptrDomain = rest[1..];
                }
                mechanism = new SpfMechanism(q, SpfMechanismKind.Ptr, term, ptrDomain);
                return true;
            case "a" or "mx":
                return TryAddressMechanism(q, name == "a" ? SpfMechanismKind.A : SpfMechanismKind.Mx, term, rest, out mechanism, out problem);
            case "ip4" or "ip6":
                return TryIpMechanism(q, name, term, rest, out mechanism, out problem);
            default:
                return Fail($"unknown mechanism '{term}'", out problem);
        }
    }

    private static bool TryAddressMechanism(SpfQualifier q, SpfMechanismKind kind, string term, string rest,
        out SpfMechanism mechanism, out string problem)
    {
        mechanism = null!;
        var cidr6 = 128;
        var cidr4 = 32;
        // The dual-cidr-length sits at the end: [ "/" ip4-cidr ] [ "//" ip6-cidr ].
        var slash6 = rest.LastIndexOf("//", StringComparison.Ordinal);
        if (slash6 >= 0 && IsAllDigits(rest.AsSpan(slash6 + 2)))
        {
            if (!TryCidr(rest.AsSpan(slash6 + 2), 128, out cidr6)) return Fail($"invalid ip6 cidr in '{term}'", out problem);
            rest = rest[..slash6];
        }
        var slash4 = rest.LastIndexOf('/');
        if (slash4 >= 0 && IsAllDigits(rest.AsSpan(slash4 + 1)))
        {
            if (!TryCidr(rest.AsSpan(slash4 + 1), 32, out cidr4)) return Fail($"invalid ip4 cidr in '{term}'", out problem);
            rest = rest[..slash4];
        }
        string? domain = null;
        if (rest.Length > 0)
        {
            if (rest[0] != ':') return Fail($"invalid mechanism '{term}'", out problem);
            if (!IsDomainSpec(rest[1..], out problem)) return false;
            domain = rest[1..];
        }
        mechanism = new SpfMechanism(q, kind, term, domain, null, cidr4, cidr6);
        problem = "";
        return true;
    }

    private static bool TryIpMechanism(SpfQualifier q, string name, string term, string rest,
        out SpfMechanism mechanism, out string problem)
    {
        mechanism = null!;
        if (!rest.StartsWith(':')) return Fail($"'{name}' needs an address: '{term}'", out problem);
        var value = rest.AsSpan(1);
        var max = name == "ip4" ? 32 : 128;
        var prefix = max;
        var slash = value.IndexOf('/');
        if (slash >= 0)
        {
            if (!TryCidr(value[(slash + 1)..], max, out prefix)) return Fail($"invalid cidr in '{term}'", out problem);
            value = value[..slash];
        }
        System.Net.IPAddress network;
        var ok = name == "ip4" ? DomainNames.TryParseIp4(value, out network) : DomainNames.TryParseIp6(value, out network);
        if (!ok) return Fail($"invalid address in '{term}'", out problem);
        var kind = name == "ip4" ? SpfMechanismKind.Ip4 : SpfMechanismKind.Ip6;
        mechanism = new SpfMechanism(q, kind, term, null, network, kind == SpfMechanismKind.Ip4 ? prefix : 32, kind == SpfMechanismKind.Ip6 ? prefix : 128);
        problem = "";
        return true;
    }
}
