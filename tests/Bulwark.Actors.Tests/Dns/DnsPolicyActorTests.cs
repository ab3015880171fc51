using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Entities.DnsPolicy;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;
using Bulwark.Policy.Verdicts;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Contracts.Sharding;
using Bulwark.Dns;
using Bulwark.Dns.Spf;

namespace Bulwark.Actors.Tests.Dns;

/// <summary>The DnsPolicy entity against the real loopback DNS (dnsmasq + unbound), end to end
/// down to the MAIL FROM verdict.</summary>
[Collection(LoopbackDnsCollection.Name)]
public sealed class DnsPolicyActorTests(LoopbackDnsFixture fixture) : TestKit
{
    private readonly CachingDnsResolver _dns = new(new DnsClientResolver(new DnsResolverOptions
    {
        NameServers = [fixture.Dns.NameServer], Timeout = TimeSpan.FromSeconds(1), Retries = 1, // generous: ActorSystems start in parallel tests
    }));

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IActorRef Entity(DnsPolicySettings? settings = null) =>
        Sys.ActorOf(DnsPolicyActor.Props(_dns, SpfOptions.Default, settings));

    private SenderCheck Check(string mailFrom, string ip, string helo = "helo.example.test", IActorRef? entity = null)
    {
        var at = mailFrom.LastIndexOf('@');
        var domain = at >= 0 ? mailFrom[(at + 1)..] : helo;
        (entity ?? Entity()).Tell(new CheckSender(domain, ip, helo, mailFrom));
        return ExpectMsg<SenderCheck>(Wait);
    }

    private static Verdict Decide(SenderCheck c) => MailFromPolicy.Decide(c.Spf.Result, c.DomainState, MailFromOptions.Default);

    [Fact]
    public void Spf_pass_from_an_authorised_address_continues()
    {
        var c = Check("alice@example.test", "192.0.2.7");
        Assert.Equal(SpfOutcome.Pass, c.Spf.Result);
        Assert.Equal(SenderDomainState.Exists, c.DomainState);
        Assert.Equal("example.test", c.Domain);
        Assert.Equal(VerdictKind.Continue, Decide(c).Kind);
    }

    [Fact]
    public void Spf_pass_over_ipv6()
    {
        Assert.Equal(SpfOutcome.Pass, Check("alice@example.test", "2001:db8::25").Spf.Result);
    }

    [Fact]
    public void Spf_fail_is_550_5_7_23_with_evidence()
    {
        var c = Check("alice@example.test", "192.0.2.200");
        Assert.Equal(SpfOutcome.Fail, c.Spf.Result);
        var v = Decide(c);
        Assert.Equal("550 5.7.23", $"{v.Reply.Code} {v.Reply.EnhancedCode}");
        Assert.Equal(Evidence.SpfFail, v.Evidence);
    }

    [Fact]
    public void Softfail_is_not_refused()
    {
        var c = Check("bob@softfail.test", "192.0.2.200");
        Assert.Equal(SpfOutcome.SoftFail, c.Spf.Result);
        Assert.Equal(VerdictKind.Continue, Decide(c).Kind);
    }

    [Fact]
    public void Include_and_redirect_follow_the_other_domain()
    {
        Assert.Equal(SpfOutcome.Pass, Check("a@include.test", "192.0.2.7").Spf.Result);
        Assert.Equal(SpfOutcome.Fail, Check("a@include.test", "192.0.2.200").Spf.Result);
        Assert.Equal(SpfOutcome.Pass, Check("a@redirect.test", "192.0.2.7").Spf.Result);
        Assert.Equal(SpfOutcome.Fail, Check("a@redirect.test", "192.0.2.200").Spf.Result);
    }

    [Fact]
    public void Null_mx_sender_is_550_5_7_27()
    {
        var c = Check("x@nullmx.test", "192.0.2.7");
        Assert.Equal(SenderDomainState.NullMx, c.DomainState);
        var v = Decide(c);
        Assert.Equal("550 5.7.27", $"{v.Reply.Code} {v.Reply.EnhancedCode}");
        Assert.Equal(Evidence.NullMxSender, v.Evidence);
    }

    [Fact]
    public void Nonexistent_sender_domain_is_550_5_1_8()
    {
        var c = Check("x@nope.test", "192.0.2.7");
        Assert.Equal(SenderDomainState.NxDomain, c.DomainState);
        Assert.Equal(SpfOutcome.None, c.Spf.Result);
        Assert.Equal("550 5.1.8", $"{Decide(c).Reply.Code} {Decide(c).Reply.EnhancedCode}");
    }

    [Fact]
    public void Implicit_mx_counts_as_existing()
    {
        Assert.Equal(SenderDomainState.Exists, Check("x@aonly.test", "192.0.2.7").DomainState);
        Assert.Equal(SenderDomainState.NoMailRoute, Check("x@txtonly.test", "192.0.2.7").DomainState);
    }

    [Fact]
    public void A_sender_domain_that_times_out_is_4xx_never_5xx()
    {
        var c = Check("x@d.timeout.test", "192.0.2.7");
        Assert.Equal(SenderDomainState.TemporaryFailure, c.DomainState);
        var v = Decide(c);
        Assert.Equal(VerdictKind.DenySoft, v.Kind);
        Assert.Equal("451 4.4.3", $"{v.Reply.Code} {v.Reply.EnhancedCode}");
    }

    [Fact]
    public void A_sender_domain_that_servfails_is_4xx_never_5xx()
    {
        var c = Check("x@d.servfail.test", "192.0.2.7");
        Assert.Equal(SenderDomainState.TemporaryFailure, c.DomainState);
        Assert.Equal(SpfOutcome.TempError, c.Spf.Result);
        Assert.True(Decide(c).Reply.IsTransient);
    }

    [Fact]
    public void An_include_that_times_out_is_spf_temperror_451_4_7_24()
    {
        var c = Check("x@spf-timeout.test", "192.0.2.200");
        Assert.Equal(SpfOutcome.TempError, c.Spf.Result);
        var v = Decide(c);
        Assert.Equal("451 4.7.24", $"{v.Reply.Code} {v.Reply.EnhancedCode}");
    }

    [Fact]
    public void Null_sender_checks_the_helo_identity_only()
    {
        var pass = Check("", "192.0.2.7", helo: "helo.example.test");
        Assert.Equal(SpfOutcome.Pass, pass.Spf.Result);
        Assert.Equal(SenderDomainState.NotChecked, pass.DomainState);
        var fail = Check("", "192.0.2.200", helo: "helo.example.test");
        Assert.Equal(SpfOutcome.Fail, fail.Spf.Result);
    }

    [Fact]
    public void Concurrent_identical_checks_are_coalesced_and_results_reused()
    {
        var entity = Entity();
        var probes = Enumerable.Range(0, 5).Select(_ => CreateTestProbe()).ToArray();
        foreach (var p in probes) entity.Tell(new CheckSender("example.test", "192.0.2.7", "h.test", "a@example.test"), p.Ref);
        foreach (var p in probes) Assert.Equal(SpfOutcome.Pass, p.ExpectMsg<SenderCheck>(Wait).Spf.Result);
        var misses = _dns.Misses;
        entity.Tell(new CheckSender("example.test", "192.0.2.7", "h.test", "a@example.test"));
        Assert.Equal(SpfOutcome.Pass, ExpectMsg<SenderCheck>(Wait).Spf.Result);
        Assert.Equal(misses, _dns.Misses);
        Assert.Equal(0, _dns.Coalesced); // coalesced in the entity, so the resolver saw each question once
    }

    [Fact]
    public void Forward_confirmed_reverse_dns_passes()
    {
        Sys.ActorOf(DnsPolicyActor.Props(_dns, SpfOptions.Default)).Tell(CheckClientIp.For("192.0.2.7"));
        var r = ExpectMsg<ClientIpCheck>(Wait);
        Assert.Equal(IprevResult.Pass, r.Result);
        Assert.Equal("mail.example.test", r.PtrName);

        Sys.ActorOf(DnsPolicyActor.Props(_dns, SpfOptions.Default)).Tell(CheckClientIp.For("2001:db8::7"));
        Assert.Equal(IprevResult.Pass, ExpectMsg<ClientIpCheck>(Wait).Result);
    }

    [Fact]
    public void A_ptr_that_does_not_resolve_back_fails()
    {
        Entity().Tell(CheckClientIp.For("192.0.2.66"));
        var r = ExpectMsg<ClientIpCheck>(Wait);
        Assert.Equal(IprevResult.Fail, r.Result);
        Assert.Null(r.PtrName);
        Assert.Equal("550 5.7.25", IprevPolicy.Decide(r.Result, IprevAction.Reject).Reply.ToWire()[..10]);
    }

    [Fact]
    public void No_ptr_at_all_fails()
    {
        Entity().Tell(CheckClientIp.For("192.0.2.201"));
        Assert.Equal(IprevResult.Fail, ExpectMsg<ClientIpCheck>(Wait).Result);
    }

    [Fact]
    public void Iprev_messages_route_by_ip_and_sender_checks_by_domain()
    {
        var extractor = EntityMessageExtractors.DnsPolicy();
        Assert.Equal("iprev:192.0.2.7", extractor.EntityId(CheckClientIp.For("192.0.2.7")));
        Assert.Equal("example.test", extractor.EntityId(new CheckSender("Example.TEST", "192.0.2.7", "h", "a@Example.TEST")));
        Assert.Null(extractor.EntityId("something else"));
    }

    [Theory]
    [InlineData("198.51.100.9")]  // the reverse zone never answers
    [InlineData("203.0.113.9")]   // the reverse zone answers SERVFAIL
    [InlineData("192.0.2.77")]    // the PTR name's own zone never answers
    public void Reverse_dns_that_cannot_be_resolved_now_is_a_temperror_and_never_5xx(string ip)
    {
        Entity().Tell(CheckClientIp.For(ip));
        var r = ExpectMsg<ClientIpCheck>(Wait);
        Assert.Equal(IprevResult.TempError, r.Result);
        var v = IprevPolicy.Decide(r.Result, IprevAction.Reject);
        Assert.Equal("451 4.4.3", $"{v.Reply.Code} {v.Reply.EnhancedCode}");
    }

    [Fact]
    public void Concurrent_iprev_checks_of_one_ip_share_one_lookup()
    {
        var entity = Entity();
        var probes = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToArray();
        foreach (var p in probes) entity.Tell(CheckClientIp.For("2001:db8::7"), p.Ref);
        foreach (var p in probes) Assert.Equal(IprevResult.Pass, p.ExpectMsg<ClientIpCheck>(Wait).Result);
        Assert.Equal(2, _dns.Misses); // one PTR, one AAAA
    }
}
