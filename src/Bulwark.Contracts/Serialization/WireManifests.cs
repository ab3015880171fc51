using System.Runtime.Serialization;
using Bulwark.Contracts.DnsPolicy;
using Bulwark.Contracts.IpReputation;
using Bulwark.Contracts.RecipientDirectory;

namespace Bulwark.Contracts.Serialization;

/// <summary>
/// The manifest of every <see cref="IWireContract"/> type: the string stored beside the bytes
/// in the journal and the snapshot store and sent beside them between nodes. It names the
/// meaning, never the CLR type, so a class may be renamed or moved freely.
/// </summary>
/// <remarks>
/// Rules, because journals and older nodes hold these strings: a manifest is never changed,
/// reused or removed while a journal may still hold it; a new type gets a new one. The
/// prefix names the entity ("ip-", "rcpt-", "dns-").
/// </remarks>
public static class WireManifests
{
    /// <summary>Every manifest and its type, in one reviewed list.</summary>
    public static readonly IReadOnlyList<(string Manifest, Type Type)> Entries =
    [
        // Persisted: the journal and the snapshot store hold these.
        ("ip-blocked", typeof(IpBlocked)),
        ("ip-unblocked", typeof(IpUnblocked)),
        ("ip-snapshot", typeof(IpReputationSnapshot)),
        // IpReputation messages and replies.
        ("ip-report-evidence", typeof(ReportEvidence)),
        ("ip-open-connection", typeof(OpenConnection)),
        ("ip-connection-admission", typeof(ConnectionAdmission)),
        ("ip-close-connection", typeof(CloseConnection)),
        ("ip-block", typeof(BlockIp)),
        ("ip-unblock", typeof(UnblockIp)),
        ("ip-get-status", typeof(GetIpStatus)),
        ("ip-status", typeof(IpStatus)),
        ("ip-get-snapshot", typeof(GetIpReputationSnapshot)),
        // RecipientDirectory.
        ("rcpt-verify", typeof(VerifyRecipient)),
        ("rcpt-answer", typeof(RecipientAnswer)),
        // DnsPolicy.
        ("dns-check-sender", typeof(CheckSender)),
        ("dns-sender-check", typeof(SenderCheck)),
        ("dns-check-client-ip", typeof(CheckClientIp)),
        ("dns-client-ip-check", typeof(ClientIpCheck)),
        ("dns-look-up-dkim-key", typeof(LookUpDkimKey)),
        ("dns-dkim-key-answer", typeof(DkimKeyAnswer)),
        ("dns-look-up-dmarc-policy", typeof(LookUpDmarcPolicy)),
        ("dns-dmarc-policy-answer", typeof(DmarcPolicyAnswer)),
    ];

    private static readonly Dictionary<Type, string> ByType = Entries.ToDictionary(e => e.Type, e => e.Manifest);
    private static readonly Dictionary<string, Type> ByManifest = Entries.ToDictionary(e => e.Manifest, e => e.Type, StringComparer.Ordinal);

    /// <exception cref="SerializationException">The type has no manifest (add it above).</exception>
    public static string ManifestOf(Type type) =>
        ByType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new SerializationException($"{type.FullName} has no wire manifest; add one to {nameof(WireManifests)}");

    /// <exception cref="SerializationException">Unknown manifest: written by a newer release, or a
    /// manifest that was wrongly removed.</exception>
    public static Type TypeOf(string manifest) =>
        ByManifest.TryGetValue(manifest, out var type)
            ? type
            : throw new SerializationException($"unknown wire manifest '{manifest}'");
}
