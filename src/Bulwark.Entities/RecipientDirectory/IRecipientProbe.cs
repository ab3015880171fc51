using Bulwark.Policy.Recipients;

namespace Bulwark.Entities.RecipientDirectory;

/// <summary>Asks the next hop whether an address exists: <see cref="RecipientExistence.Exists"/>
/// for a 2xx to RCPT TO, <see cref="RecipientExistence.Unknown"/> for a 5xx, and
/// <see cref="RecipientExistence.TemporaryFailure"/> for anything we cannot rely on (connect
/// error, 4xx, protocol error, timeout). Must not throw for network trouble.</summary>
public interface IRecipientProbe
{
    Task<RecipientExistence> ProbeAsync(string address, CancellationToken cancellationToken);
}
