using System.Net;
using System.Net.Sockets;
using System.Text;
using Bulwark.Listener.Protocol.ProxyProtocol;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The PROXY protocol v1/v2 parser (pure) and the socket reader (loopback).</summary>
public sealed class ProxyProtocolTests
{
    internal static readonly byte[] Ehlo = "EHLO x\r\n"u8.ToArray();
    private const string MaxV6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

    internal static byte[] Text(string s) => Encoding.Latin1.GetBytes(s);

    private static readonly byte[] V2Sig = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>A v2 header; <paramref name="length"/> overrides the length field.</summary>
    private static byte[] V2(byte versionCommand, byte family, byte[] block, int? length = null)
    {
        var len = length ?? block.Length;
        return [.. V2Sig, versionCommand, family, (byte)(len >> 8), (byte)len, .. block];
    }

    private static byte[] Inet4Block => [192, 0, 2, 1, 198, 51, 100, 2, 0xDC, 0x04, 0x00, 0x19]; // :56324 -> :25
    private static byte[] Inet6Block =>
        [.. IPAddress.Parse("2001:db8::1").GetAddressBytes(), .. IPAddress.Parse("2001:db8::2").GetAddressBytes(), 0xFF, 0xFF, 0x00, 0x19];
    private static byte[] Tlvs => [0x04, 0x00, 0x03, 0x61, 0x62, 0x63, 0x05, 0x00, 0x01, 0x07, 0x03, 0x00, 0x00];

    internal sealed record Valid(byte[] Bytes, ProxyHeaderKind Kind, string? Source = null, string? Destination = null);

    internal static readonly Dictionary<string, Valid> ValidCases = new()
    {
        ["v1 tcp4"] = new(Text("PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n"), ProxyHeaderKind.Proxy, "192.0.2.1:56324", "198.51.100.2:25"),
        ["v1 tcp4 zeros"] = new(Text("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n"), ProxyHeaderKind.Proxy, "0.0.0.0:0", "255.255.255.255:65535"),
        ["v1 tcp6"] = new(Text("PROXY TCP6 2001:db8::1 2001:DB8::2 65535 25\r\n"), ProxyHeaderKind.Proxy, "[2001:db8::1]:65535", "[2001:db8::2]:25"),
        ["v1 tcp6 v4-mapped"] = new(Text("PROXY TCP6 ::ffff:192.0.2.1 ::1 1 2\r\n"), ProxyHeaderKind.Proxy, "[::ffff:192.0.2.1]:1", "[::1]:2"),
        ["v1 tcp6 longest"] = new(Text($"PROXY TCP6 {MaxV6} {MaxV6} 65535 65535\r\n"), ProxyHeaderKind.Proxy, $"[{MaxV6}]:65535", $"[{MaxV6}]:65535"),
        ["v1 unknown short"] = new(Text("PROXY UNKNOWN\r\n"), ProxyHeaderKind.Unknown),
        ["v1 unknown max 107"] = new(Text($"PROXY UNKNOWN {MaxV6} {MaxV6} 65535 65535\r\n"), ProxyHeaderKind.Unknown),
        ["v1 unknown anything"] = new(Text("PROXY UNKNOWN whatever ~!@ 1\r\n"), ProxyHeaderKind.Unknown),
        ["v2 tcp4"] = new(V2(0x21, 0x11, Inet4Block), ProxyHeaderKind.Proxy, "192.0.2.1:56324", "198.51.100.2:25"),
        ["v2 tcp4 tlvs"] = new(V2(0x21, 0x11, [.. Inet4Block, .. Tlvs]), ProxyHeaderKind.Proxy, "192.0.2.1:56324", "198.51.100.2:25"),
        ["v2 tcp6"] = new(V2(0x21, 0x21, Inet6Block), ProxyHeaderKind.Proxy, "[2001:db8::1]:65535", "[2001:db8::2]:25"),
        ["v2 tcp6 tlvs"] = new(V2(0x21, 0x21, [.. Inet6Block, .. Tlvs]), ProxyHeaderKind.Proxy, "[2001:db8::1]:65535", "[2001:db8::2]:25"),
        ["v2 tcp4 max payload"] = new(V2(0x21, 0x11, [.. Inet4Block, .. new byte[500]]), ProxyHeaderKind.Proxy, "192.0.2.1:56324", "198.51.100.2:25"),
        ["v2 local empty"] = new(V2(0x20, 0x00, []), ProxyHeaderKind.Local),
        ["v2 local with addresses"] = new(V2(0x20, 0x11, Inet4Block), ProxyHeaderKind.Local),
        ["v2 local odd family"] = new(V2(0x20, 0xFF, [1, 2, 3]), ProxyHeaderKind.Local),
        ["v2 unspec"] = new(V2(0x21, 0x00, []), ProxyHeaderKind.Unknown),
        ["v2 unspec tlvs"] = new(V2(0x21, 0x00, Tlvs), ProxyHeaderKind.Unknown),
        ["v2 udp4"] = new(V2(0x21, 0x12, Inet4Block), ProxyHeaderKind.Unknown),
        ["v2 udp6"] = new(V2(0x21, 0x22, Inet6Block), ProxyHeaderKind.Unknown),
        ["v2 unix stream"] = new(V2(0x21, 0x31, new byte[216]), ProxyHeaderKind.Unknown),
        ["v2 unix dgram"] = new(V2(0x21, 0x32, new byte[216]), ProxyHeaderKind.Unknown),
    };

    public static TheoryData<string> ValidNames => [.. ValidCases.Keys];

    [Theory, MemberData(nameof(ValidNames))]
    public void Valid_header_is_parsed_and_consumed_exactly(string name)
    {
        var c = ValidCases[name];
        foreach (var buffer in new[] { c.Bytes, [.. c.Bytes, .. Ehlo] })
        {
            var r = ProxyHeaderParser.Parse(buffer);
            Assert.Equal(c.Kind, r.Kind);
            Assert.Equal(c.Bytes.Length, r.BytesConsumed);
            Assert.Equal(c.Source, r.Source?.ToString());
            Assert.Equal(c.Destination, r.Destination?.ToString());
            Assert.Null(r.Error);
        }
        Assert.True(c.Bytes.Length <= ProxyHeaderParser.MaxHeaderBytes);
    }

    [Theory, MemberData(nameof(ValidNames))]
    public void Every_proper_prefix_of_a_valid_header_is_incomplete(string name)
    {
        var bytes = ValidCases[name].Bytes;
        for (var n = 0; n < bytes.Length; n++)
        {
            var r = ProxyHeaderParser.Parse(bytes.AsSpan(0, n));
            Assert.True(r.Kind == ProxyHeaderKind.Incomplete, $"prefix {n}: {r}");
            Assert.Equal(0, r.BytesConsumed);
        }
    }

    [Fact]
    public void The_longest_v1_line_is_107_bytes_and_one_more_is_invalid()
    {
        Assert.Equal(107, ValidCases["v1 unknown max 107"].Bytes.Length);
        var tooLong = Text($"PROXY UNKNOWN {MaxV6} {MaxV6} 65535 655350\r\n");
        var r = ProxyHeaderParser.Parse(tooLong);
        Assert.Equal(ProxyHeaderKind.Invalid, r.Kind);
        Assert.Contains("107", r.Error);
        // Already refused at 107 bytes without CRLF, before the rest arrives.
        Assert.Equal(ProxyHeaderKind.Invalid, ProxyHeaderParser.Parse(tooLong.AsSpan(0, 107)).Kind);
        Assert.Equal(ProxyHeaderKind.Incomplete, ProxyHeaderParser.Parse(tooLong.AsSpan(0, 106)).Kind);
    }

    public static TheoryData<string, string> InvalidV1 => new()
    {
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "LF without CR" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX", "CR not followed by LF" },
        { "PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n", "non-printable" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\0", "non-printable" },
        { "PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n", "space after PROXY" },
        { "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", "unknown protocol" },
        { "PROXY TCP5", "unknown protocol" },
        { "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", "unknown protocol" },
        { "PROXY UNKNOWNX\r\n", "unknown protocol" },
        { "PROXY \r\n", "unknown protocol" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", "bad source port" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1 99999\r\n", "bad destination port" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 025 2\r\n", "bad source port" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n", "bad source port" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1 2a\r\n", "bad destination port" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1 100000\r\n", "bad destination port" },
        { "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n", "source is not a valid IPv4" },
        { "PROXY TCP4 1.2.3.04 5.6.7.8 1 2\r\n", "source is not a valid IPv4" },
        { "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", "source is not a valid IPv4" },
        { "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n", "source is not a valid IPv4" },
        { "PROXY TCP4 1.2..4 5.6.7.8 1 2\r\n", "source is not a valid IPv4" },
        { "PROXY TCP4 1.2.3.4 0x5.6.7.8 1 2\r\n", "destination is not a valid IPv4" },
        { "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", "IPv6 but the protocol is TCP4" },
        { "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "IPv4 but the protocol is TCP6" },
        { "PROXY TCP6 ::1 fe80::1%eth0 1 2\r\n", "destination is not a valid IPv6" },
        { "PROXY TCP6 ::1 [::2] 1 2\r\n", "destination is not a valid IPv6" },
        { "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::2 1 2\r\n", "source is not a valid IPv6" },
        { "PROXY TCP6 12345::1 ::2 1 2\r\n", "source is not a valid IPv6" },
        { "PROXY TCP6 localhost ::2 1 2\r\n", "source is not a valid IPv6" },
        { "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", "exactly one space" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", "exactly one space" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "expected source" },
        { "PROXY TCP4\r\n", "expected source" },
        { "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "too many fields" },
        { "PROXY UNKNOWN " + new string('x', 93), "no CRLF within 107" },
    };

    [Theory, MemberData(nameof(InvalidV1))]
    public void Malformed_v1_is_invalid_with_a_reason(string header, string reason) =>
        AssertInvalid(Text(header), reason);

    public static TheoryData<string, string> InvalidV2Names => new()
    {
        { "bad signature", "bad signature" },
        { "version 1", "version must be 2" },
        { "version 3", "version must be 2" },
        { "command 2", "unknown command" },
        { "family 4", "unsupported address family" },
        { "transport 3", "unsupported address family" },
        { "tcp4 too short", "too short" },
        { "tcp6 too short", "too short" },
        { "unix too short", "too short" },
        { "udp4 too short", "too short" },
        { "length 513", "exceed 512" },
        { "length 65535", "exceed 512" },
    };

    private static byte[] InvalidV2(string name) => name switch
    {
        "bad signature" => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x55, 0x0A, 0x21, 0x00, 0, 0],
        "version 1" => V2(0x11, 0x11, Inet4Block),
        "version 3" => V2(0x31, 0x11, Inet4Block),
        "command 2" => V2(0x22, 0x11, Inet4Block),
        "family 4" => V2(0x21, 0x41, Inet4Block),
        "transport 3" => V2(0x21, 0x13, Inet4Block),
        "tcp4 too short" => V2(0x21, 0x11, Inet4Block[..11]),
        "tcp6 too short" => V2(0x21, 0x21, Inet6Block[..35]),
        "unix too short" => V2(0x21, 0x31, new byte[215]),
        "udp4 too short" => V2(0x21, 0x12, []),
        "length 513" => V2(0x21, 0x11, new byte[513]),
        "length 65535" => V2(0x21, 0x11, Inet4Block, length: 0xFFFF),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory, MemberData(nameof(InvalidV2Names))]
    public void Malformed_v2_is_invalid_as_soon_as_the_fixed_part_shows_it(string name, string reason)
    {
        var bytes = InvalidV2(name);
        AssertInvalid(bytes, reason);
        // The verdict needs no more than the 16-byte fixed part: never wait for a bogus length.
        AssertInvalid(bytes.AsSpan(0, ProxyHeaderParser.V2FixedBytes).ToArray(), reason);
    }

    private static void AssertInvalid(byte[] bytes, string reason)
    {
        var r = ProxyHeaderParser.Parse(bytes);
        Assert.True(r.Kind == ProxyHeaderKind.Invalid, r.ToString());
        Assert.Contains(reason, r.Error);
        Assert.Equal(0, r.BytesConsumed);
        Assert.Null(r.Source);
        Assert.Null(r.Destination);
    }

    [Theory]
    [InlineData("EHLO x\r\n")]
    [InlineData("GET / HTTP/1.0\r\n")]
    [InlineData("GET / HTTP/1.0")]
    [InlineData("E")]
    [InlineData("POST / HTTP/1.1\r\n")]
    [InlineData("PRX")]
    [InlineData("PROX Y")]
    [InlineData("\r\n\r\nEHLO x\r\n")]
    [InlineData("\r\nQUIT\r\n")]
    [InlineData("\u0016\u0003\u0001")] // a TLS ClientHello
    public void Other_protocols_are_not_proxy(string text)
    {
        var r = ProxyHeaderParser.Parse(Text(text));
        Assert.Equal(new ProxyParseResult(ProxyHeaderKind.NotProxy, 0, null, null, null), r);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PROXY")]
    [InlineData("PROXY TC")]
    [InlineData("PROXY UNKNOWN")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r")]
    [InlineData("\r\n\r\n\0")]
    public void Valid_prefixes_are_incomplete(string text) =>
        Assert.Equal(new ProxyParseResult(ProxyHeaderKind.Incomplete, 0, null, null, null), ProxyHeaderParser.Parse(Text(text)));

    [Fact]
    public void A_buffer_of_max_header_bytes_is_never_incomplete()
    {
        var v1 = Text("PROXY TCP4 " + new string('1', ProxyHeaderParser.MaxHeaderBytes));
        Assert.Equal(ProxyHeaderKind.Invalid, ProxyHeaderParser.Parse(v1).Kind);
        var v2 = V2(0x21, 0x11, new byte[ProxyHeaderParser.MaxHeaderBytes], length: 0xFFFF);
        Assert.Equal(ProxyHeaderKind.Invalid, ProxyHeaderParser.Parse(v2).Kind);
        Assert.Equal(16 + 512, ProxyHeaderParser.MaxHeaderBytes);
    }

    [Fact]
    public void Random_buffers_never_throw_and_never_consume_more_than_given()
    {
        var random = new Random(25_2004);
        var seeds = ValidCases.Values.Select(v => v.Bytes).ToArray();
        var kinds = new int[Enum.GetValues<ProxyHeaderKind>().Length];
        for (var i = 0; i < 100_000; i++)
        {
            var buffer = RandomBuffer(random, i % 4, seeds);
            var r = ProxyHeaderParser.Parse(buffer);
            kinds[(int)r.Kind]++;
            Assert.InRange(r.BytesConsumed, 0, buffer.Length);
            switch (r.Kind)
            {
                case ProxyHeaderKind.Proxy or ProxyHeaderKind.Local or ProxyHeaderKind.Unknown:
                    Assert.True(r.BytesConsumed > 0);
                    Assert.Null(r.Error);
                    Assert.Equal(r.Kind == ProxyHeaderKind.Proxy, r.Source is not null && r.Destination is not null);
                    // The verdict depends only on the header bytes, never on what follows.
                    Assert.Equal(r, ProxyHeaderParser.Parse(buffer.AsSpan(0, r.BytesConsumed)));
                    break;
                case ProxyHeaderKind.Incomplete:
                    Assert.Equal(0, r.BytesConsumed);
                    Assert.True(buffer.Length < ProxyHeaderParser.MaxHeaderBytes);
                    break;
                case ProxyHeaderKind.Invalid:
                    Assert.False(string.IsNullOrEmpty(r.Error));
                    Assert.Equal(0, r.BytesConsumed);
                    break;
                default:
                    Assert.Equal(0, r.BytesConsumed);
                    break;
            }
        }
        // The generator must reach every outcome, or the test proves little.
        Assert.All(kinds, count => Assert.True(count > 0, string.Join(",", kinds)));
    }

    private static byte[] RandomBuffer(Random random, int shape, byte[][] seeds)
    {
        switch (shape)
        {
            case 0:
                return RandomBytes(random, random.Next(0, 600));
            case 1:
                const string alphabet = "PROXY TCP46UNKOWN0123456789abcdefABCDEF:.  \r\n";
                var text = "PROXY " + new string(Enumerable.Range(0, random.Next(0, 120)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
                return Text(text);
            case 2:
                byte[] commands = [0x20, 0x21, 0x21, (byte)random.Next(256)];
                byte[] families = [0x00, 0x11, 0x21, 0x12, 0x22, 0x31, 0x32, (byte)random.Next(256)];
                var block = RandomBytes(random, random.Next(0, 300));
                return V2(commands[random.Next(commands.Length)], families[random.Next(families.Length)], block,
                    random.Next(3) == 0 ? random.Next(0x10000) : random.Next(0, 300));
            default:
                var bytes = seeds[random.Next(seeds.Length)].ToList();
                for (var flips = random.Next(0, 3); flips > 0; flips--)
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                if (random.Next(2) == 0) bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                else bytes.AddRange(RandomBytes(random, random.Next(0, 40)));
                return [.. bytes];
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}

/// <summary>The reader over a real loopback connection: it must take the header and nothing more.</summary>
public sealed class ProxyProtocolReaderTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly Socket _server;
    private readonly Socket _client;

    public ProxyProtocolReaderTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _client.Connect(listener.LocalEndPoint!);
        _server = listener.Accept();
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    public static TheoryData<string> Headers => ["v1 tcp4", "v1 tcp6", "v1 unknown short", "v1 unknown max 107", "v2 tcp4", "v2 tcp6 tlvs", "v2 local empty", "v2 unspec", "v2 tcp4 max payload"];

    [Theory, MemberData(nameof(Headers))]
    public async Task Header_and_first_command_in_one_write_leaves_the_command_unread(string name)
    {
        var expected = ProxyProtocolTests.ValidCases[name];
        await _client.SendAsync((byte[])[.. expected.Bytes, .. ProxyProtocolTests.Ehlo]);
        var r = await ProxyHeaderReader.ReadAsync(_server, Timeout, CancellationToken.None);
        Assert.Equal(expected.Kind, r.Kind);
        Assert.Equal(expected.Bytes.Length, r.BytesConsumed);
        Assert.Equal(expected.Source, r.Source?.ToString());
        Assert.Equal(ProxyProtocolTests.Ehlo, await ReadRest(ProxyProtocolTests.Ehlo.Length));
    }

    [Theory]
    [InlineData("v1 tcp4")]
    [InlineData("v2 tcp6 tlvs")]
    public async Task Header_trickling_in_byte_by_byte_is_assembled(string name)
    {
        var expected = ProxyProtocolTests.ValidCases[name];
        var reading = ProxyHeaderReader.ReadAsync(_server, Timeout, CancellationToken.None);
        foreach (var b in expected.Bytes)
        {
            await _client.SendAsync(new[] { b });
            await Task.Delay(2);
        }
        await _client.SendAsync(ProxyProtocolTests.Ehlo);
        var r = await reading;
        Assert.Equal(expected.Kind, r.Kind);
        Assert.Equal(expected.Destination, r.Destination?.ToString());
        Assert.Equal(ProxyProtocolTests.Ehlo, await ReadRest(ProxyProtocolTests.Ehlo.Length));
    }

    [Fact]
    public async Task A_plain_client_is_not_proxy_and_its_bytes_stay_unread()
    {
        await _client.SendAsync(ProxyProtocolTests.Ehlo);
        var r = await ProxyHeaderReader.ReadAsync(_server, Timeout, CancellationToken.None);
        Assert.Equal(ProxyHeaderKind.NotProxy, r.Kind);
        Assert.Equal(ProxyProtocolTests.Ehlo, await ReadRest(ProxyProtocolTests.Ehlo.Length));
    }

    [Fact]
    public async Task A_short_ambiguous_prefix_is_only_peeked_until_it_is_decided()
    {
        var reading = ProxyHeaderReader.ReadAsync(_server, Timeout, CancellationToken.None);
        await _client.SendAsync(ProxyProtocolTests.Text("PRO"));
        await Task.Delay(50);
        await _client.SendAsync(ProxyProtocolTests.Text("BE\r\n"));
        Assert.Equal(ProxyHeaderKind.NotProxy, (await reading).Kind);
        Assert.Equal(ProxyProtocolTests.Text("PROBE\r\n"), await ReadRest(7));
    }

    [Fact]
    public async Task A_malformed_header_is_invalid()
    {
        await _client.SendAsync(ProxyProtocolTests.Text("PROXY TCP4 1.2.3.4 5.6.7.8 1 70000\r\nEHLO x\r\n"));
        var r = await ProxyHeaderReader.ReadAsync(_server, Timeout, CancellationToken.None);
        Assert.Equal(ProxyHeaderKind.Invalid, r.Kind);
        Assert.Contains("destination port", r.Error);
    }

    [Fact]
    public async Task A_stalled_header_times_out_as_invalid()
    {
        await _client.SendAsync(ProxyProtocolTests.Text("PROXY TCP4 1.2"));
        var started = DateTime.UtcNow;
        var r = await ProxyHeaderReader.ReadAsync(_server, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal(ProxyHeaderKind.Invalid, r.Kind);
        Assert.Contains("no complete PROXY header", r.Error);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_silent_client_times_out_as_invalid()
    {
        var r = await ProxyHeaderReader.ReadAsync(_server, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.Equal(ProxyHeaderKind.Invalid, r.Kind);
    }

    [Fact]
    public async Task A_peer_closing_mid_header_is_invalid()
    {
        await _client.SendAsync(ProxyProtocolTests.Text("PROXY TCP6 ::1"));
        _client.Shutdown(SocketShutdown.Send);
        var r = await ProxyHeaderReader.ReadAsync(_server, Timeout, CancellationToken.None);
        Assert.Equal(ProxyHeaderKind.Invalid, r.Kind);
        Assert.Contains("closed inside", r.Error);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProxyHeaderReader.ReadAsync(_server, Timeout, cts.Token));
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, then checks nothing else is pending.</summary>
    private async Task<byte[]> ReadRest(int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await _server.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
            Assert.NotEqual(0, n);
            read += n;
        }
        Assert.Equal(0, _server.Available);
        return buffer;
    }
}
