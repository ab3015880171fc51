using System.Text;
using System.Text.Json;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.Serialization;

namespace Bulwark.Actors.Tests.Serialization;

/// <summary>
/// The journal's and the snapshot store's formats, pinned: what this release writes for each
/// persisted type, that such rows read back (also with fields a later release may add or an
/// earlier one lacked), and that the Newtonsoft rows of release 0.4.0 read as today's events.
/// </summary>
public sealed class PersistedFormTests(SerializationSystem akka) : IClassFixture<SerializationSystem>
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-04T01:36:47.1811108+00:00");

    private static IReadOnlyDictionary<string, string> Fields(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
    }

    private static IReadOnlyDictionary<string, string> Fields(string json) => Fields(Encoding.UTF8.GetBytes(json));

    public static TheoryData<string, object, string> Pinned() => new()
    {
        {
            "ip-blocked",
            new IpBlocked("192.0.2.7", At.AddHours(1), "manual fixture", 2) { At = At, ByOperator = true },
            """{"ipKey":"192.0.2.7","until":"2026-12-04T02:36:47.1811108+00:00","reason":"manual fixture","offences":2,"at":"2026-12-04T01:36:47.1811108+00:00","byOperator":true}"""
        },
        {
            "ip-unblocked",
            new IpUnblocked("203.0.113.4", "unblocked by operator"),
            """{"ipKey":"203.0.113.4","reason":"unblocked by operator"}"""
        },
        {
            "ip-snapshot",
            new IpReputationSnapshot("127.0.0.9", At.AddMinutes(15), "3 strikes", false, 1, At),
            """{"ipKey":"127.0.0.9","blockedUntil":"2026-12-04T01:51:47.1811108+00:00","blockReason":"3 strikes","blockedByOperator":false,"offences":1,"lastOffenceAt":"2026-12-04T01:36:47.1811108+00:00"}"""
        },
    };

    [Theory]
    [MemberData(nameof(Pinned))]
    public void A_persisted_type_is_written_with_its_pinned_manifest_and_field_names(string manifest, object value, string json)
    {
        var (identifier, written, bytes) = akka.Write(value);

        Assert.Equal(BulwarkSerializer.Id, identifier);
        Assert.Equal(manifest, written);
        Assert.Equal(Fields(json), Fields(bytes));
    }

    [Theory]
    [MemberData(nameof(Pinned))]
    public void A_row_in_the_pinned_form_reads_back(string manifest, object value, string json) =>
        Assert.Equal(value, akka.Read(BulwarkSerializer.Id, manifest, Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void A_field_added_by_a_later_release_is_ignored_and_one_an_earlier_release_lacked_takes_its_default()
    {
        const string json = """{"ipKey":"198.51.100.9","until":"2026-12-05T01:36:47+00:00","reason":"r","offences":0,"severity":"high"}""";

        var read = (IpBlocked)akka.Read(BulwarkSerializer.Id, "ip-blocked", Encoding.UTF8.GetBytes(json));

        Assert.Equal(new IpBlocked("198.51.100.9", DateTimeOffset.Parse("2026-12-05T01:36:47+00:00"), "r", 0), read);
        Assert.Null(read.At);
        Assert.False(read.ByOperator);
    }

    [Fact]
    public void A_newtonsoft_row_of_release_0_4_0_reads_as_todays_block_event()
    {
        // A row of tests/.../Fixtures/journal-3e864fa.db: identifier 1, empty manifest.
        const string row = """{"$id":"1","$type":"Bulwark.Entities.IpReputation.IpBlocked, Bulwark.Entities","IpKey":"127.0.0.9","Until":"2026-12-04T01:51:48.3916013+00:00","Reason":"3 strikes within 00:10:00 (last: UnknownRecipient)","Offences":{"$":"I1"},"At":"2026-12-04T01:36:48.3916013+00:00"}""";

        var read = akka.Read(1, "", Encoding.UTF8.GetBytes(row));

        var expected = new IpBlocked("127.0.0.9", DateTimeOffset.Parse("2026-12-04T01:51:48.3916013+00:00"),
            "3 strikes within 00:10:00 (last: UnknownRecipient)", 1) { At = DateTimeOffset.Parse("2026-12-04T01:36:48.3916013+00:00") };
        Assert.Equal(expected, read);
    }

    [Fact]
    public void A_newtonsoft_unblock_row_of_release_0_4_0_reads_as_todays_unblock()
    {
        const string row = """{"$id":"1","$type":"Bulwark.Entities.IpReputation.IpUnblocked, Bulwark.Entities","IpKey":"203.0.113.4","Reason":"unblocked by operator"}""";

        Assert.Equal(new IpUnblocked("203.0.113.4", "unblocked by operator"), akka.Read(1, "", Encoding.UTF8.GetBytes(row)));
    }

    [Fact]
    public void The_legacy_binder_leaves_every_other_type_name_to_newtonsoft()
    {
        var binder = new LegacyTypeBinder();

        Assert.Equal(typeof(IpBlocked), binder.BindToType("Bulwark.Entities", "Bulwark.Entities.IpReputation.IpBlocked"));
        Assert.Equal(typeof(Uri), binder.BindToType(typeof(Uri).Assembly.GetName().Name, typeof(Uri).FullName!));
    }
}
