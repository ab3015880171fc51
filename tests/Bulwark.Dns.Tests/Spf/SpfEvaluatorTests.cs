using System.Net;
using System.Net.Sockets;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;
using Bulwark.Dns;
using Bulwark.Dns.Spf;
using Bulwark.Tests.Shared;

namespace Bulwark.Dns.Tests.Spf;

/// <summary>check_host() behaviour beyond the suites: limits, timeouts, identities, result fields.</summary>
public sealed class SpfEvaluatorTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private static Task<SpfResult> Check(InMemoryDnsResolver zone, string mailFrom = "user@example.com",
        SpfOptions? options = null, IPAddress? ip = null) =>
        new SpfEvaluator(zone, options).CheckMailFromAsync(ip ?? Client, mailFrom, "mx.client.example");

    [Fact]
    public async Task Pass_reports_the_matching_mechanism_and_domain()
    {
        var zone = new InMemoryDnsResolver().AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        var result = await Check(zone);
        Assert.Equal(new SpfResult(SpfOutcome.Pass, "example.com", null, "ip4:192.0.2.0/24"), result);
    }

    [Fact]
    public async Task Fail_carries_the_expanded_explanation()
    {
        var zone = new InMemoryDnsResolver()
            .AddTxt("example.com", "v=spf1 -all exp=why.%{d}")
            .AddTxt("why.example.com", "%{c} may not send for %{o} (ask %{r}, %{l})");
        var options = new SpfOptions { ReceivingHost = "mx.bulwark.example" };
        var result = await Check(zone, options: options);
        Assert.Equal(SpfOutcome.Fail, result.Result);
        Assert.Equal("-all", result.Mechanism);
        Assert.Equal("192.0.2.10 may not send for example.com (ask mx.bulwark.example, user)", result.Explanation);
    }

    [Fact]
    public async Task Eleventh_dns_term_is_a_permerror_and_stops_querying()
    {
        var zone = new InMemoryDnsResolver().AddTxt("example.com", "v=spf1 include:i0.example.com ip4:192.0.2.10");
        for (var i = 0; i < 20; i++)
            zone.AddTxt($"i{i}.example.com", $"v=spf1 include:i{i + 1}.example.com");
        var result = await Check(zone);
        Assert.Equal(SpfOutcome.PermError, result.Result);
        Assert.Contains("more than 10", result.Problem);
        Assert.Equal(11, zone.QueryCount); // the record itself + 10 includes, never the 11th
    }

    [Fact]
    public async Task Third_void_lookup_is_a_permerror()
    {
        var zone = new InMemoryDnsResolver()
            .AddTxt("example.com", "v=spf1 a:v1.example.com mx:v2.example.com exists:v3.example.com ip4:192.0.2.10");
        Assert.Equal(SpfOutcome.PermError, (await Check(zone)).Result);
        var two = new InMemoryDnsResolver()
            .AddTxt("example.com", "v=spf1 a:v1.example.com mx:v2.example.com ip4:192.0.2.10");
        Assert.Equal(SpfOutcome.Pass, (await Check(two)).Result);
    }

    [Fact]
    public async Task More_than_ten_mx_names_is_a_permerror()
    {
        var zone = new InMemoryDnsResolver().AddTxt("example.com", "v=spf1 mx -all");
        for (var i = 0; i < 11; i++) zone.AddMx("example.com", i, $"mx{i}.example.com");
        Assert.Equal(SpfOutcome.PermError, (await Check(zone)).Result);
    }

    [Fact]
    public async Task Servfail_and_timeouts_are_temperrors()
    {
        var servfail = new InMemoryDnsResolver().MarkServerFailure("example.com");
        Assert.Equal(SpfOutcome.TempError, (await Check(servfail)).Result);
        var included = new InMemoryDnsResolver()
            .AddTxt("example.com", "v=spf1 include:broken.example.net -all")
            .MarkTimeout("broken.example.net", InMemoryDnsResolver.RecordType.Txt);
        Assert.Equal(SpfOutcome.TempError, (await Check(included)).Result);
    }

    [Fact]
    public async Task Overall_budget_turns_a_hanging_resolver_into_temperror()
    {
        var options = new SpfOptions { Timeout = TimeSpan.FromMilliseconds(100) };
        var result = await new SpfEvaluator(new HangingResolver(), options)
            .CheckMailFromAsync(Client, "user@example.com", "helo.example");
        Assert.Equal(SpfOutcome.TempError, result.Result);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_result()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SpfEvaluator(new HangingResolver()).CheckMailFromAsync(Client, "user@example.com", "helo.example", cts.Token));
    }

    [Fact]
    public async Task Null_sender_is_checked_as_postmaster_at_helo()
    {
        var zone = new InMemoryDnsResolver()
            .AddTxt("mx.client.example", "v=spf1 -all exp=e.mx.client.example")
            .AddTxt("e.mx.client.example", "%{s}");
        var result = await Check(zone, mailFrom: "");
        Assert.Equal(("mx.client.example", SpfOutcome.Fail), (result.Domain, result.Result));
        Assert.Equal("postmaster@mx.client.example", result.Explanation);
        // No local part: postmaster too; angle brackets are tolerated.
        zone.AddTxt("example.org", "v=spf1 -all exp=e.mx.client.example");
        Assert.Equal("postmaster@example.org", (await Check(zone, mailFrom: "<@example.org>")).Explanation);
    }

    [Fact]
    public async Task Ipv4_mapped_client_is_matched_as_ipv4()
    {
        var zone = new InMemoryDnsResolver().AddTxt("example.com", "v=spf1 ip6:::/0 ip4:192.0.2.10 -all");
        var result = await Check(zone, ip: IPAddress.Parse("::ffff:192.0.2.10"));
        Assert.Equal(("ip4:192.0.2.10", SpfOutcome.Pass), (result.Mechanism, result.Result));
    }

    [Fact]
    public async Task Type_spf_is_never_consulted_and_no_record_is_none()
    {
        var zone = new InMemoryDnsResolver().AddTxt("example.com", "some verification token");
        var result = await Check(zone);
        Assert.Equal(SpfOutcome.None, result.Result);
        Assert.All(zone.Queries, q => Assert.Equal(InMemoryDnsResolver.RecordType.Txt, q.Type));
    }

    [Fact]
    public async Task Ptr_mechanism_needs_forward_confirmation()
    {
        var zone = new InMemoryDnsResolver()
            .AddTxt("example.com", "v=spf1 ptr -all")
            .AddPtr(Client, "liar.example.com")
            .AddA("liar.example.com", "198.51.100.1");
        Assert.Equal(SpfOutcome.Fail, (await Check(zone)).Result);
        zone.AddPtr(Client, "mail.example.com").AddA("mail.example.com", "192.0.2.10");
        Assert.Equal(SpfOutcome.Pass, (await Check(zone)).Result);
    }

    /// <summary>Never answers: stands in for a DNS server that is down.</summary>
    private sealed class HangingResolver : IDnsResolver
    {
        private static async Task<DnsAnswer<T>> Hang<T>(CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }

        public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => Hang<string>(ct);
        public Task<DnsAnswer<IPAddress>> AddressAsync(string name, AddressFamily family, CancellationToken ct) => Hang<IPAddress>(ct);
        public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct) => Hang<MxRecord>(ct);
        public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => Hang<string>(ct);
    }
}
