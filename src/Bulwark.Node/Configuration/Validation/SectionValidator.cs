using Bulwark.Node.Configuration.Binding;
using Microsoft.Extensions.Options;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>The checks of one configuration section, run by the options pipeline once the binder
/// has filled <see cref="BulwarkOptions"/>. A check must not throw on a bad value: it reports it.</summary>
public abstract class SectionValidator : IValidateOptions<BulwarkOptions>
{
    /// <summary>Every section, in the order the node reads them: the first problem of the first
    /// section that has one is the line the operator sees.</summary>
    public static IReadOnlyList<SectionValidator> InOrder { get; } =
    [
        new NodeValidator(),
        new ClusterValidator(),
        new SmtpValidator(),
        new DomainsValidator(),
        new ReputationValidator(),
        new DeliveryValidator(),
        new PersistenceValidator(),
        new AdminValidator(),
        new DnsValidator(),
        new ContentValidator(),
    ];

    public ValidateOptionsResult Validate(string? name, BulwarkOptions options)
    {
        var problems = new SettingProblems();
        Check(options, problems);
        return problems.ToResult();
    }

    protected abstract void Check(BulwarkOptions options, SettingProblems problems);
}
