namespace Bulwark.Policy.Content;

/// <summary>What to do with a message for one recipient, given its spam score. Ordered by
/// severity: a larger value is a harsher action (the decision compares them).</summary>
public enum SpamAction
{
    /// <summary>Deliver as is (X-Spam-Status: No).</summary>
    Deliver = 0,
    /// <summary>Deliver with X-Spam-Flag: YES so the mailbox can file it as junk.</summary>
    Mark = 1,
    /// <summary>Accept (250), do not deliver, keep it in the quarantine. Never bounced.</summary>
    Quarantine = 2,
    /// <summary>Refuse in session with 550 5.7.1: the sending MTA owns the failure. Only applied
    /// as such when every recipient of the message says Refuse (one DATA, one reply).</summary>
    Refuse = 3,
}
