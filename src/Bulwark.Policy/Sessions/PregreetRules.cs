using System.Net;
using Bulwark.Policy.Reputation;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Sessions;

/// <summary>
/// The early-talker defence (postscreen's "pregreet" test). RFC 5321 section 4.3.1: a client
/// waits for the 220 before it speaks. Bulk senders and bots often write their HELO at once to
/// save a round trip; a real MTA never does. Pausing the greeting for unknown clients exposes
/// them, at the price of a few seconds per first contact.
/// </summary>
public sealed record PregreetOptions
{
    /// <summary>How long the greeting waits. Zero (the default) turns the test off. 2 to 6 s is
    /// the useful range: long enough for an impatient bot to give itself away, well below the
    /// 5 minutes a conforming client waits for the greeting (RFC 5321 section 4.5.3.2.1).</summary>
    public TimeSpan Pause { get; init; } = TimeSpan.Zero;

    /// <summary>Networks greeted at once (our own relays, partners, monitoring).</summary>
    public IReadOnlyList<IPNetwork> SkipNetworks { get; init; } = [];

    /// <summary>An IP whose message this node accepted within this window is greeted at once.</summary>
    public TimeSpan GoodHistory { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How many IPs the node remembers for <see cref="GoodHistory"/> (least recently
    /// seen are forgotten first), so the memory stays bounded whatever the traffic.</summary>
    public int GoodHistoryCapacity { get; init; } = 100_000;

    /// <summary>Send "220-host ESMTP" at once and the final "220 " line after the pause: a client
    /// that answers a continuation line is caught too, and a patient one sees the server is alive.</summary>
    public bool MultilineBanner { get; init; } = true;

    public bool Enabled => Pause > TimeSpan.Zero;
}

public static class PregreetRules
{
    /// <summary>Check name for logs.</summary>
    public const string Check = "connect.pregreet";

    /// <summary>The refusal for a client that spoke before the greeting: it also counts as evidence.</summary>
    public static readonly Verdict EarlyTalker =
        Verdict.Disconnect(Replies.TalkedBeforeGreeting, Check, Evidence.EarlyTalker);

    /// <summary>The pause before this client's greeting; zero means greet at once (and do not
    /// watch the socket at all).</summary>
    /// <param name="lastAccepted">When this node last accepted a message from the client's IP
    /// key, if it remembers one.</param>
    public static TimeSpan PauseFor(PregreetOptions options, IPAddress client, DateTimeOffset? lastAccepted, DateTimeOffset now)
    {
        if (!options.Enabled) return TimeSpan.Zero;
        if (HasGoodHistory(lastAccepted, now, options.GoodHistory)) return TimeSpan.Zero;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        foreach (var network in options.SkipNetworks)
            if (network.Covers(client)) return TimeSpan.Zero;
        return options.Pause;
    }

    /// <summary>A message accepted within the window (and not in the future: a clock step back
    /// must not grant a good history for ever).</summary>
    public static bool HasGoodHistory(DateTimeOffset? lastAccepted, DateTimeOffset now, TimeSpan window) =>
        lastAccepted is { } at && at <= now && now - at < window;
}
