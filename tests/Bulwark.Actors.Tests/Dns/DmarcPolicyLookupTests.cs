using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Dns.Spf;
using Bulwark.Entities.DnsPolicy;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;

namespace Bulwark.Actors.Tests.Dns;

/// <summary>The DnsPolicy entity of a From domain discovers its DMARC policy, keeps it for the
/// records' TTL, shares one discovery among concurrent askers and never keeps a temporary failure.</summary>
public sealed class DmarcPolicyLookupTests : TestKit
{
    private static readonly PublicSuffixList Psl = PublicSuffixList.Parse(["com", "uk", "co.uk"]);
    private static readonly DnsPolicySettings Settings = DnsPolicySettings.Default with { PublicSuffixes = Psl };

    private static DnsAnswer<string> Txt(TimeSpan ttl, params string[] records) => new(DnsStatus.Ok, records, ttl);

    [Fact]
    public void A_policy_at_the_organizational_domain_is_found_for_a_subdomain()
    {
        var dns = new ScriptedResolver().Set("TXT _dmarc.example.co.uk", Txt(TimeSpan.FromMinutes(5), "v=DMARC1; p=none; sp=reject"));
        var entity = Sys.ActorOf(DnsPolicyActor.Props(dns, SpfOptions.Default, Settings));

        entity.Tell(new LookUpDmarcPolicy("mail.example.co.uk"));
        var answer = ExpectMsg<DmarcPolicyAnswer>();

        Assert.Equal(DmarcDiscoveryStatus.Found, answer.Status);
        Assert.Equal("example.co.uk", answer.PolicyDomain);
        var result = answer.ToResult("mail.example.co.uk");
        Assert.True(result.IsOrganizationalDomainPolicy);
        Assert.Equal(DmarcPolicy.Reject, result.Record!.SubdomainPolicy);
        Assert.Equal(2, dns.Calls);
    }

    [Fact]
    public void The_policy_is_kept_for_its_ttl_and_asked_again_after()
    {
        var time = new ManualTime();
        var dns = new ScriptedResolver().Set("TXT _dmarc.example.com", Txt(TimeSpan.FromMinutes(5), "v=DMARC1; p=reject"));
        var entity = Sys.ActorOf(DnsPolicyActor.Props(dns, SpfOptions.Default, Settings, () => time.Now));

        entity.Tell(new LookUpDmarcPolicy("example.com"));
        var first = ExpectMsg<DmarcPolicyAnswer>();
        time.Advance(TimeSpan.FromMinutes(1));
        entity.Tell(new LookUpDmarcPolicy("example.com"));
        var second = ExpectMsg<DmarcPolicyAnswer>();
        Assert.Equal("v=DMARC1; p=reject", second.Record);
        Assert.Equal(1, dns.Calls);
        // Whoever asked may reuse the answer as long as the entity keeps it, and no longer.
        Assert.Equal(time.Now + TimeSpan.FromMinutes(4), second.ValidUntil);
        Assert.Equal(first.ValidUntil, second.ValidUntil);

        time.Advance(TimeSpan.FromMinutes(6));
        entity.Tell(new LookUpDmarcPolicy("example.com"));
        ExpectMsg<DmarcPolicyAnswer>();
        Assert.Equal(2, dns.Calls);
    }

    [Fact]
    public void A_long_ttl_is_capped_by_the_settings()
    {
        var time = new ManualTime();
        var dns = new ScriptedResolver().Set("TXT _dmarc.example.com", Txt(TimeSpan.FromDays(2), "v=DMARC1; p=reject"));
        var entity = Sys.ActorOf(DnsPolicyActor.Props(dns, SpfOptions.Default,
            Settings with { DmarcPolicyMaxCacheTime = TimeSpan.FromMinutes(10) }, () => time.Now));

        entity.Tell(new LookUpDmarcPolicy("example.com"));
        ExpectMsg<DmarcPolicyAnswer>();
        time.Advance(TimeSpan.FromMinutes(11));
        entity.Tell(new LookUpDmarcPolicy("example.com"));
        ExpectMsg<DmarcPolicyAnswer>();

        Assert.Equal(2, dns.Calls);
    }

    [Fact]
    public void Concurrent_askers_share_one_discovery()
    {
        var dns = new ScriptedResolver { Hold = true }.Set("TXT _dmarc.example.com", Txt(TimeSpan.FromMinutes(5), "v=DMARC1; p=quarantine"));
        var entity = Sys.ActorOf(DnsPolicyActor.Props(dns, SpfOptions.Default, Settings));

        for (var i = 0; i < 5; i++) entity.Tell(new LookUpDmarcPolicy("example.com"));
        AwaitCondition(() => dns.Calls == 1);
        dns.Release();

        for (var i = 0; i < 5; i++) Assert.Equal(DmarcDiscoveryStatus.Found, ExpectMsg<DmarcPolicyAnswer>().Status);
        Assert.Equal(1, dns.Calls);
    }

    [Fact]
    public void A_timeout_is_answered_as_temperror_and_not_kept()
    {
        var dns = new ScriptedResolver().Set("TXT _dmarc.example.com", DnsAnswer<string>.Of(DnsStatus.Timeout));
        var entity = Sys.ActorOf(DnsPolicyActor.Props(dns, SpfOptions.Default, Settings));

        entity.Tell(new LookUpDmarcPolicy("example.com"));
        var failed = ExpectMsg<DmarcPolicyAnswer>();
        Assert.Equal((DmarcDiscoveryStatus.TempError, null), (failed.Status, failed.ValidUntil));
        entity.Tell(new LookUpDmarcPolicy("example.com"));
        Assert.Equal(DmarcDiscoveryStatus.TempError, ExpectMsg<DmarcPolicyAnswer>().Status);

        Assert.Equal(2, dns.Calls);
    }

    [Fact]
    public void The_lookup_routes_to_the_from_domains_entity() =>
        Assert.Equal("example.com", new LookUpDmarcPolicy("Example.COM.").Key);
}
