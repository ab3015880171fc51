using Bulwark.Tests.Shared;

namespace Bulwark.Actors.Tests.Dns;

/// <summary>One dnsmasq + unbound pair for all DNS tests of this project (xunit collection).
/// Documentation addresses only (192.0.2.0/24, 2001:db8::/32); every answer has TTL 60.</summary>
public sealed class LoopbackDnsFixture : IDisposable
{
    public LoopbackDns Dns { get; } = new LoopbackDns(ttl: 60)
        .Txt("multi.test", "part one", " part two")
        .Host("mail.example.test", "192.0.2.7", "2001:db8::7")
        .Mx("example.test", "mail.example.test", 10)
        .Txt("example.test", "v=spf1 ip4:192.0.2.0/25", " ip6:2001:db8::/64 -all")
        .NullMx("nullmx.test")
        .Txt("nullmx.test", "v=spf1 -all")
        .Host("aonly.test", "192.0.2.8")
        .Txt("txtonly.test", "v=spf1 ~all")
        .Ptr("192.0.2.66", "liar.example.test")
        .Host("liar.example.test", "192.0.2.99")
        .Cname("alias.example.test", "mail.example.test")
        .Txt("softfail.test", "v=spf1 ~all")
        .Mx("softfail.test", "mail.example.test")
        .Txt("include.test", "v=spf1 include:example.test -all")
        .Mx("include.test", "mail.example.test")
        .Txt("redirect.test", "v=spf1 redirect=example.test")
        .Mx("redirect.test", "mail.example.test")
        .Host("helo.example.test", "192.0.2.7")
        .Txt("helo.example.test", "v=spf1 a -all")
        .Txt("spf-timeout.test", "v=spf1 include:x.timeout.test -all")
        .Mx("spf-timeout.test", "mail.example.test")
        .Ptr("192.0.2.77", "host.timeout.test")
        .Start();

    public void Dispose() => Dns.Dispose();
}

[CollectionDefinition(Name)]
public sealed class LoopbackDnsCollection : ICollectionFixture<LoopbackDnsFixture>
{
    public const string Name = "loopback-dns";
}
