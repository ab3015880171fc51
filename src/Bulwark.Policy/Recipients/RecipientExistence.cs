namespace Bulwark.Policy.Recipients;

/// <summary>The one answer to "is this a real recipient?", whoever gives it: the node's copy of
/// the directory, the RecipientDirectory entity, or the next hop asked by call-ahead.</summary>
public enum RecipientExistence
{
    /// <summary>The recipient exists (250 2.1.5).</summary>
    Exists,
    /// <summary>No such recipient (550 5.1.1).</summary>
    Unknown,
    /// <summary>Could not tell now (call-ahead probe failed or timed out): 451 4.3.0.</summary>
    TemporaryFailure,
}
