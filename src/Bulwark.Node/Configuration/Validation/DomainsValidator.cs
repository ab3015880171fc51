using Bulwark.Node.Configuration.Binding;
using Bulwark.Node.Configuration.Conversion;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>Domains: at least one, each a domain name listed once, with a recipients file that
/// exists and call-ahead settings that can be used.</summary>
public sealed class DomainsValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        if (options.Domains.Count == 0)
        {
            problems.Add("Domains", "at least one accepted domain is needed");
            return;
        }
        var names = new List<string>();
        foreach (var (key, domain) in options.Domains)
        {
            var prefix = $"Domains:{key}";
            if (problems.NotEmpty($"{prefix}:Name", domain.Name))
            {
                var name = domain.Name.Trim().ToLowerInvariant();
                if (!IsDomainName(name)) problems.Add($"{prefix}:Name", $"'{name}' is not a domain name");
                names.Add(name);
            }
            var file = domain.RecipientsFile.Trim();
            if (file.Length > 0 && !File.Exists(file)) problems.Add($"{prefix}:RecipientsFile", $"file '{file}' not found");
            if (domain.Dmarc.Trim().Length > 0) problems.OneOf($"{prefix}:Dmarc", domain.Dmarc, Choices.DomainDmarc);
            problems.OneOf($"{prefix}:DmarcQuarantine", domain.DmarcQuarantine, Choices.DmarcQuarantine);
            var callAhead = domain.CallAhead;
            problems.InRange($"{prefix}:CallAhead:Port", callAhead.Port, 1, 65535);
            problems.InRangeSeconds($"{prefix}:CallAhead:PositiveTtlSeconds", callAhead.PositiveTtlSeconds, 0, 86400 * 7);
            problems.InRangeSeconds($"{prefix}:CallAhead:NegativeTtlSeconds", callAhead.NegativeTtlSeconds, 0, 86400 * 7);
            problems.InRangeSeconds($"{prefix}:CallAhead:TimeoutSeconds", callAhead.TimeoutSeconds, 0.1, 300);
            if (callAhead.Enabled && callAhead.Host.Trim().Length == 0)
                problems.Add($"{prefix}:CallAhead:Host", "call-ahead is enabled but no host is given");
        }
        if (names.Distinct().Count() != names.Count) problems.Add("Domains", "a domain is listed twice");
    }

    /// <summary>Lower-cased, trimmed text: not an address, no spaces, at least two labels.</summary>
    public static bool IsDomainName(string name) =>
        !name.Contains('@') && !name.Contains(' ') && !name.StartsWith('.') && name.Contains('.');
}
