using Bulwark.Policy.Reputation;

namespace Bulwark.Actors.Tests.Entities;

/// <summary>
/// The scenario of Fixtures/journal-serializer-2525.db: the same operator and strike blocks as
/// the 0.4.0 fixture, plus one IP whose history outgrew a snapshot. Written at a pinned time
/// by <see cref="CurrentJournalFixtureWriter"/>, so its contents are known exactly.
/// </summary>
public static class CurrentJournalFixture
{
    public const string FileName = "journal-serializer-2525.db";

    /// <summary>Set to a folder to (re)write the committed fixture there.</summary>
    public const string OutputVariable = "BULWARK_WRITE_JOURNAL_FIXTURE_TO";

    public static readonly DateTimeOffset WrittenAt = DateTimeOffset.Parse("2026-12-04T01:36:47Z");

    /// <summary>Three strikes block, as on the node that wrote the 0.4.0 fixture.</summary>
    public static readonly ReputationOptions Options = new() { StrikeThreshold = 3 };

    /// <summary>Five operator block-and-unblock rounds (ten events: a snapshot at 10, events up to
    /// 9 deleted), then three strikes block it (event 11).</summary>
    public const string SnapshotKey = "198.51.100.77";

    public const string StrikeReason = "3 strikes within 00:10:00 (last: UnknownRecipient)";

    public static IReadOnlyList<FixtureBlock> BlocksInForce { get; } =
    [
        new("192.0.2.7", WrittenAt.AddMinutes(60), "manual fixture", true, 0),
        new("198.51.100.9", WrittenAt.AddMinutes(1440), "second operator block", true, 0),
        new("2001:db8:1:2::/64", WrittenAt.AddMinutes(30), "v6 operator block", true, 0),
        new("127.0.0.9", WrittenAt.Add(Options.BaseBlock), StrikeReason, false, 1),
        new(SnapshotKey, WrittenAt.Add(Options.BaseBlock), StrikeReason, false, 1),
    ];

    public static IReadOnlyList<string> Unblocked { get; } = ["203.0.113.4"];
}
