using Bulwark.Policy.Verdicts;

namespace Bulwark.Policy.Reputation;

/// <summary>How many strikes each kind of evidence adds. A table, so that tuning one kind
/// (say, a virus counting double) is one line and one test.</summary>
public static class EvidenceWeights
{
    private static readonly IReadOnlyDictionary<Evidence, int> Table = new Dictionary<Evidence, int>
    {
        [Evidence.None] = 0,
        [Evidence.UnknownRecipient] = 1,
        [Evidence.RelayAttempt] = 1,
        [Evidence.ProtocolAbuse] = 1,
        [Evidence.SpfFail] = 1,
        [Evidence.NullMxSender] = 1,
        [Evidence.Virus] = 1,
        [Evidence.EarlyTalker] = 1,
        [Evidence.DmarcReject] = 1,
    };

    /// <summary>Kinds added to the enum later count 1 until someone decides otherwise.</summary>
    public static int Of(Evidence evidence) => Table.TryGetValue(evidence, out var weight) ? weight : 1;
}
