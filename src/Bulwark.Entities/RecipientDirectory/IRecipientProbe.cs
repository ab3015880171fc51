namespace Bulwark.Entities.RecipientDirectory;

public enum ProbeResult
{
    /// <summary>The next hop said 2xx to RCPT TO.</summary>
    Exists,
    /// <summary>The next hop said 5xx to RCPT TO.</summary>
    Unknown,
    /// <summary>No answer we can rely on: connect error, 4xx, protocol error or timeout.</summary>
    Failed,
}

/// <summary>Asks the next hop whether an address exists. Must not throw for network
/// trouble: that is <see cref="ProbeResult.Failed"/>.</summary>
public interface IRecipientProbe
{
    Task<ProbeResult> ProbeAsync(string address, CancellationToken cancellationToken);
}
