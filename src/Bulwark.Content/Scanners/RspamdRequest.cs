using Bulwark.Policy.Content;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Bulwark.Content.Scanners;

/// <summary>
/// The request headers of rspamd's /checkv2 protocol built from a <see cref="ScanContext"/>.
/// rspamd has no plain header for an SPF result; its http_headers module reads a request header
/// "SPF" holding a JSON object <c>{"result": "..."}</c> and, when present, skips its own SPF
/// check and inserts the matching R_SPF_* symbol. That module is off by default in rspamd:
/// enable it (local.d/http_headers.conf: <c>enabled = true;</c>) with the spf module for the
/// result to count; otherwise rspamd ignores the header (it does no harm).
/// </summary>
public static class RspamdRequest
{
    public static void AddHeaders(HttpRequestHeaders headers, ScanContext context)
    {
        headers.TryAddWithoutValidation("IP", context.ClientIp.ToString());
        if (context.Helo.Length > 0) headers.TryAddWithoutValidation("Helo", context.Helo);
        // rspamd reads the null sender as an empty From; "<>" says the same unambiguously.
        headers.TryAddWithoutValidation("From", context.Sender.Length > 0 ? context.Sender : "<>");
        // One value per recipient; .NET joins them on one line with ", ", which rspamd splits
        // back into separate recipients (checked against rspamd 3.4's task log).
        foreach (var rcpt in context.Recipients) headers.TryAddWithoutValidation("Rcpt", rcpt);
        headers.TryAddWithoutValidation("Queue-Id", context.QueueId);
        // Without Hostname rspamd resolves the PTR itself; with it, it trusts ours (the session
        // already did the lookup). Unknown means "no PTR", which rspamd spells "unknown".
        headers.TryAddWithoutValidation("Hostname", string.IsNullOrEmpty(context.ClientHostname) ? "unknown" : context.ClientHostname);
        var spf = SpfHeaderValue(context.SpfResult);
        if (spf is not null) headers.TryAddWithoutValidation("SPF", spf);
    }

    /// <summary>
    /// Maps an RFC 7208 result (none, neutral, pass, fail, softfail, temperror, permerror) to
    /// the vocabulary of rspamd's http_headers module; null when there is nothing to pass.
    /// temperror maps to "tempfail", which that module accepts but (in 3.4) turns into no symbol.
    /// </summary>
    public static string? SpfHeaderValue(string? spfResult)
    {
        if (string.IsNullOrWhiteSpace(spfResult)) return null;
        var result = spfResult.Trim().ToLowerInvariant() switch
        {
            "pass" => "pass",
            "fail" => "fail",
            "softfail" => "softfail",
            "neutral" => "neutral",
            "none" => "na",
            "permerror" => "permfail",
            "temperror" => "tempfail",
            _ => null,
        };
        return result is null ? null : JsonSerializer.Serialize(new Dictionary<string, string> { ["result"] = result });
    }

}
