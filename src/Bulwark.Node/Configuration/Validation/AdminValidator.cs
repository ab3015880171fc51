using System.Net;
using Bulwark.Node.Configuration.Binding;
using Bulwark.Node.Configuration.Conversion;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>Persistence: a known provider; PostgreSQL comes with a connection string.</summary>
public sealed class PersistenceValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var persistence = options.Persistence;
        problems.OneOf("Persistence:Provider", persistence.Provider, Choices.Provider);
        if (!problems.Any && Choices.Provider.Parse(persistence.Provider) == PersistenceProvider.PostgreSql
                          && persistence.ConnectionString.Trim().Length == 0)
            problems.Add("Persistence:ConnectionString", "postgresql needs a connection string (Host=...;Database=...;Username=...)");
    }
}

/// <summary>Admin: anyone who can reach the API can unblock an attacker or release quarantined
/// mail, so off loopback it needs a token, and a guessable token is no token.</summary>
public sealed class AdminValidator : SectionValidator
{
    public const int MinimumTokenLength = 24;

    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var admin = options.Admin;
        var token = admin.Token.Trim();
        problems.IpAddress("Admin:Address", admin.Address);
        problems.InRange("Admin:Port", admin.Port, 0, 65535);
        if (problems.Any) return;
        var address = IPAddress.Parse(admin.Address.Trim());
        if (!IPAddress.IsLoopback(address) && token.Length == 0)
            problems.Add("Admin:Token", $"required when Admin:Address ({address}) is not a loopback address");
        if (token.Length is > 0 and < MinimumTokenLength)
            problems.Add("Admin:Token", $"must be at least {MinimumTokenLength} characters (e.g. openssl rand -hex 24)");
    }
}
