using System.Net;
using System.Net.Sockets;
using Bulwark.Entities.DnsPolicy;
using Bulwark.Policy.Dns;
using Xunit.Abstractions;

namespace Bulwark.Actors.Tests.Dns;

[Collection(LoopbackDnsCollection.Name)]
public sealed class TmpStressTests(LoopbackDnsFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Stress()
    {
        var bad = new Dictionary<string, int>();
        var ip = IPAddress.Parse("2001:db8::7");
        for (var i = 0; i < 300; i++)
        {
            var r = new DnsClientResolver(new DnsResolverOptions { NameServers = [fixture.Dns.NameServer], Timeout = TimeSpan.FromMilliseconds(400), Retries = 0 });
            var p = r.PtrAsync(ip, default);
            var a = r.AddressAsync("mail.example.test", AddressFamily.InterNetworkV6, default);
            var p4 = r.PtrAsync(IPAddress.Parse("192.0.2.7"), default);
            foreach (var (n, s) in new[] { ("ptr6", (await p).Status), ("aaaa", (await a).Status), ("ptr4", (await p4).Status) })
                if (s != DnsStatus.Ok) bad[n + " " + s] = bad.GetValueOrDefault(n + " " + s) + 1;
        }
        output.WriteLine(string.Join(", ", bad.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Empty(bad);
    }
}
