namespace Bulwark.Policy.Checks;

/// <summary>Every phase's facts lead to the session's, so that a check that needs only those
/// (the client, HELO, the transaction) can serve in more than one phase.</summary>
public interface IPhaseFacts
{
    SessionFacts Session { get; }
}
