using System.Net;
using Bulwark.Policy.Dns;
using Bulwark.Dns;
using Bulwark.Policy.Spf;

namespace Bulwark.Dns.Spf;

/// <summary>
/// RFC 7208 check_host(). Stateless and thread-safe: each call gets its own
/// <see cref="SpfEvaluation"/> holding the lookup counters. DNS goes only through
/// <see cref="IDnsResolver"/>, so callers choose caching and transport.
/// </summary>
public sealed class SpfEvaluator(IDnsResolver dns, SpfOptions? options = null)
{
    private readonly SpfOptions _options = options ?? SpfOptions.Default;

    /// <summary>
    /// The MAIL FROM identity (RFC 7208 2.4): <paramref name="mailFrom"/> is the reverse-path
    /// without angle brackets, "" for the null sender, which is checked as postmaster@helo.
    /// </summary>
    public Task<SpfResult> CheckMailFromAsync(IPAddress ip, string mailFrom, string helo, CancellationToken cancellationToken = default)
    {
        var path = mailFrom.Trim();
        if (path.StartsWith('<') && path.EndsWith('>')) path = path[1..^1];
        if (path.Length == 0) return CheckHeloAsync(ip, helo, cancellationToken);
        var at = path.LastIndexOf('@');
        var domain = at >= 0 ? path[(at + 1)..] : path;
        return CheckHostAsync(ip, domain, path, helo, cancellationToken);
    }

    /// <summary>The HELO identity (RFC 7208 2.3), checked as postmaster@helo.</summary>
    public Task<SpfResult> CheckHeloAsync(IPAddress ip, string helo, CancellationToken cancellationToken = default) =>
        CheckHostAsync(ip, helo, "postmaster@" + helo, helo, cancellationToken);

    /// <summary>
    /// check_host(&lt;ip&gt;, &lt;domain&gt;, &lt;sender&gt;) of RFC 7208 section 4. A sender without
    /// a local part is taken as postmaster@domain-of-sender. Never throws for DNS or policy
    /// problems; only a cancellation by <paramref name="cancellationToken"/> escapes.
    /// </summary>
    public async Task<SpfResult> CheckHostAsync(IPAddress ip, string domain, string sender, string helo,
        CancellationToken cancellationToken = default)
    {
        var at = sender.LastIndexOf('@');
        var local = at > 0 ? sender[..at] : "postmaster";
        var senderDomain = at >= 0 ? sender[(at + 1)..] : (sender.Length > 0 ? sender : domain);
        var checkedDomain = DomainNames.TrimDot(domain);
        // RFC 7208 section 5: an IPv4-mapped IPv6 client is an IPv4 client.
        var client = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        var context = new MacroContext(local + "@" + senderDomain, local, senderDomain, checkedDomain, client, helo,
            _options.ReceivingHost, _options.Clock().ToUnixTimeSeconds());

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_options.Timeout);
        var evaluation = new SpfEvaluation(dns, _options, context, budget.Token);
        try
        {
            var result = await evaluation.CheckAsync(checkedDomain, wantExplanation: true).ConfigureAwait(false);
            return result with { Domain = checkedDomain };
        }
        catch (SpfAbort abort)
        {
            return new SpfResult(abort.Outcome, checkedDomain, Problem: abort.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SpfResult(SpfOutcome.TempError, checkedDomain, Problem: $"SPF evaluation exceeded {_options.Timeout}");
        }
    }
}
