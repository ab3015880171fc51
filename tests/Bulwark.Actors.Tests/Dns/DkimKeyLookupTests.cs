using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Dns;
using Bulwark.Dns.Spf;
using Bulwark.Entities.DnsPolicy;
using Bulwark.Policy.Dns;

namespace Bulwark.Actors.Tests.Dns;

/// <summary>The DnsPolicy entity answers DKIM key lookups through the node's caching resolver.</summary>
public sealed class DkimKeyLookupTests : TestKit
{
    private static DnsAnswer<string> Txt(params string[] records) => new(DnsStatus.Ok, records, TimeSpan.FromMinutes(5));

    [Fact]
    public void The_key_record_at_the_selector_is_answered_and_a_repeat_comes_from_the_node_cache()
    {
        var inner = new ScriptedResolver().Set("TXT sel._domainkey.signer.test", Txt("v=DKIM1; k=rsa; p=MIIB"));
        var entity = Sys.ActorOf(DnsPolicyActor.Props(new CachingDnsResolver(inner), SpfOptions.Default));

        entity.Tell(new LookUpDkimKey("Signer.Test", "sel"));
        var first = ExpectMsg<DkimKeyAnswer>();
        entity.Tell(new LookUpDkimKey("signer.test", "sel"));
        ExpectMsg<DkimKeyAnswer>();

        Assert.Equal(DnsStatus.Ok, first.Status);
        Assert.Equal("v=DKIM1; k=rsa; p=MIIB", first.Record);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData(DnsStatus.NxDomain)]
    [InlineData(DnsStatus.Timeout)]
    [InlineData(DnsStatus.ServerFailure)]
    public void A_lookup_that_finds_nothing_or_fails_says_so(DnsStatus status)
    {
        var inner = new ScriptedResolver().Set("TXT sel._domainkey.signer.test", DnsAnswer<string>.Of(status));
        var entity = Sys.ActorOf(DnsPolicyActor.Props(inner, SpfOptions.Default));

        entity.Tell(new LookUpDkimKey("signer.test", "sel"));

        Assert.Equal(status, ExpectMsg<DkimKeyAnswer>().Status);
    }

    [Fact]
    public void An_answer_says_how_long_it_may_be_reused_and_a_failure_says_not_at_all()
    {
        var before = DateTimeOffset.UtcNow;
        var inner = new ScriptedResolver().Set("TXT sel._domainkey.signer.test", Txt("v=DKIM1; p=MIIB"))
            .Set("TXT slow._domainkey.signer.test", DnsAnswer<string>.Of(DnsStatus.Timeout));
        var entity = Sys.ActorOf(DnsPolicyActor.Props(inner, SpfOptions.Default));

        entity.Tell(new LookUpDkimKey("signer.test", "sel"));
        var until = ExpectMsg<DkimKeyAnswer>().ValidUntil!.Value;
        entity.Tell(new LookUpDkimKey("signer.test", "slow"));

        Assert.InRange(until, before + TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5));
        Assert.Null(ExpectMsg<DkimKeyAnswer>().ValidUntil);
    }

    [Fact]
    public void The_lookup_routes_to_the_signing_domains_entity() =>
        Assert.Equal("signer.test", new LookUpDkimKey("Signer.TEST.", "sel").Key);
}
