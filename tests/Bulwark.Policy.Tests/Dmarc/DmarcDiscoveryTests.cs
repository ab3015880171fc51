using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;

namespace Bulwark.Policy.Tests.Dmarc;

public class DmarcDiscoveryTests
{
    private static DnsAnswer<string> Txt(params string[] records) => new(DnsStatus.Ok, records, TimeSpan.FromMinutes(5));
    private static DnsAnswer<string> Status(DnsStatus status) => DnsAnswer<string>.Of(status);

    /// <summary>Runs discovery against a fixed map of answers, returning the result and the names asked.</summary>
    private static (DmarcDiscoveryResult Result, List<string> Asked) Discover(string from, Dictionary<string, DnsAnswer<string>> zone)
    {
        var answers = new List<DnsAnswer<string>>();
        var asked = new List<string>();
        var step = DmarcDiscovery.Next(from, DmarcTestData.Psl, answers);
        while (!step.IsDone)
        {
            asked.Add(step.QueryName);
            answers.Add(zone.TryGetValue(step.QueryName, out var answer) ? answer : Status(DnsStatus.NxDomain));
            step = DmarcDiscovery.Next(from, DmarcTestData.Psl, answers);
        }
        return (step.Result, asked);
    }

    [Fact]
    public void Record_at_the_from_domain_is_found_with_one_query()
    {
        var (result, asked) = Discover("example.com", new() { ["_dmarc.example.com"] = Txt("v=DMARC1; p=reject") });
        Assert.Equal(DmarcDiscoveryStatus.Found, result.Status);
        Assert.Equal("example.com", result.PolicyDomain);
        Assert.False(result.IsOrganizationalDomainPolicy);
        Assert.Equal(["_dmarc.example.com"], asked);
    }

    [Fact]
    public void A_subdomain_without_a_record_falls_back_to_the_organizational_domain()
    {
        var (result, asked) = Discover("mail.example.co.uk", new() { ["_dmarc.example.co.uk"] = Txt("v=DMARC1; p=none; sp=reject") });
        Assert.Equal(DmarcDiscoveryStatus.Found, result.Status);
        Assert.Equal("example.co.uk", result.PolicyDomain);
        Assert.True(result.IsOrganizationalDomainPolicy);
        Assert.Equal(["_dmarc.mail.example.co.uk", "_dmarc.example.co.uk"], asked);
    }

    [Fact]
    public void No_record_anywhere_is_no_policy()
    {
        var (result, asked) = Discover("a.example.com", []);
        Assert.Equal(DmarcDiscoveryStatus.NoPolicy, result.Status);
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public void A_timeout_is_a_temporary_error_never_no_policy()
    {
        var (result, _) = Discover("example.com", new() { ["_dmarc.example.com"] = Status(DnsStatus.Timeout) });
        Assert.Equal(DmarcDiscoveryStatus.TempError, result.Status);
    }

    [Fact]
    public void A_server_failure_at_the_organizational_domain_is_a_temporary_error()
    {
        var (result, _) = Discover("mail.example.com", new() { ["_dmarc.example.com"] = Status(DnsStatus.ServerFailure) });
        Assert.Equal(DmarcDiscoveryStatus.TempError, result.Status);
    }

    [Fact]
    public void Two_records_at_the_from_domain_end_discovery_without_asking_the_organizational_domain()
    {
        var (result, asked) = Discover("mail.example.com", new()
        {
            ["_dmarc.mail.example.com"] = Txt("v=DMARC1; p=reject", "v=DMARC1; p=none"),
            ["_dmarc.example.com"] = Txt("v=DMARC1; p=reject"),
        });
        Assert.Equal(DmarcDiscoveryStatus.NoPolicy, result.Status);
        Assert.Single(asked);
    }

    [Fact]
    public void A_public_suffix_from_domain_is_asked_once_and_has_no_fallback()
    {
        var (result, asked) = Discover("co.uk", []);
        Assert.Equal(DmarcDiscoveryStatus.NoPolicy, result.Status);
        Assert.Equal(["_dmarc.co.uk"], asked);
    }

    [Fact]
    public void An_unusable_domain_is_not_asked_at_all()
    {
        var (result, asked) = Discover("not a domain", []);
        Assert.Equal(DmarcDiscoveryStatus.NoPolicy, result.Status);
        Assert.Empty(asked);
    }
}
