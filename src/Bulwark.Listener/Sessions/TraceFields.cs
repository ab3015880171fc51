using System.Net;
using System.Text;
using Bulwark.Policy.Arc;
using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using Bulwark.Policy.Dns;
using Bulwark.Policy.Spf;
using MimeKit;
using AuthenticationMethodProperty = MimeKit.Cryptography.AuthenticationMethodProperty;
using AuthenticationMethodResult = MimeKit.Cryptography.AuthenticationMethodResult;
using MimeAuthenticationResults = MimeKit.Cryptography.AuthenticationResults;

namespace Bulwark.Listener.Sessions;

/// <summary>
/// The header fields this farm adds to a message, as MimeKit builds and folds them:
/// Authentication-Results (RFC 8601) from what the checks found, Received (RFC 5321 4.4), and the
/// scanner's X-Spam-* fields. Values that came from the client or a scanner are made safe
/// before they get here; MimeKit quotes and folds.
/// </summary>
public static class TraceFields
{
    /// <summary>CRLF line ends, UTF-8 kept as is (SMTPUTF8 mail, RFC 6532).</summary>
    private static readonly FormatOptions Wire = WireOptions();

    private static FormatOptions WireOptions()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.International = true;
        return options;
    }

    /// <summary>SPF names smtp.mailfrom, or smtp.helo for the null sender (RFC 7208 9.1); iprev
    /// names the client IP and, in a comment, the confirmed PTR name. With neither: "none".</summary>
    public static MimeAuthenticationResults AuthenticationResults(string authservId, SpfOutcome? spf, string? mailFrom, string? helo,
        IprevResult? iprev, string? clientIp, string? ptrName = null)
    {
        var results = new MimeAuthenticationResults(authservId);
        if (spf is { } s)
        {
            var method = new AuthenticationMethodResult("spf", Policy.Dns.AuthenticationResults.SpfName(s));
            if (!string.IsNullOrEmpty(mailFrom)) method.Properties.Add(new AuthenticationMethodProperty("smtp", "mailfrom", mailFrom));
            else if (!string.IsNullOrEmpty(helo)) method.Properties.Add(new AuthenticationMethodProperty("smtp", "helo", helo));
            results.Results.Add(method);
        }
        if (iprev is { } i)
        {
            var method = new AuthenticationMethodResult("iprev", i switch
            {
                IprevResult.Pass => "pass",
                IprevResult.Fail => "fail",
                _ => "temperror",
            });
            if (i == IprevResult.Pass && !string.IsNullOrEmpty(ptrName)) method.ResultComment = ptrName;
            if (!string.IsNullOrEmpty(clientIp)) method.Properties.Add(new AuthenticationMethodProperty("policy", "iprev", clientIp));
            results.Results.Add(method);
        }
        return results;
    }

    /// <summary>One dkim result per signature checked (RFC 8601 2.7.1): header.d, header.s and
    /// header.a name the signature, a comment says why it did not pass.</summary>
    public static void AddDkim(MimeAuthenticationResults results, DkimFindings? dkim)
    {
        if (dkim is null) return;
        foreach (var signature in dkim.Signatures)
        {
            var method = new AuthenticationMethodResult("dkim", DkimName(signature.Result));
            if (signature.Reason is { } reason) method.ResultComment = reason;
            if (signature.Domain.Length > 0) method.Properties.Add(new AuthenticationMethodProperty("header", "d", signature.Domain));
            if (signature.Selector.Length > 0) method.Properties.Add(new AuthenticationMethodProperty("header", "s", signature.Selector));
            if (signature.Algorithm.Length > 0) method.Properties.Add(new AuthenticationMethodProperty("header", "a", signature.Algorithm));
            results.Results.Add(method);
        }
    }

    /// <summary>dmarc (RFC 7489 11.2) with header.from; a comment gives the owner's policy and the
    /// one applied ("p=reject dis=quarantine"), and why a failure was let through.</summary>
    public static void AddDmarc(MimeAuthenticationResults results, DmarcFinding? dmarc)
    {
        if (dmarc is null) return;
        var result = dmarc.Result;
        var method = new AuthenticationMethodResult("dmarc", DmarcKeywords.Of(result.Result));
        if (result.RequestedPolicy is { } requested)
        {
            var comment = $"{(result.IsSubdomainPolicy ? "sp" : "p")}={DmarcKeywords.Of(requested)} dis={DmarcKeywords.Of(dmarc.Applied)}";
            if (dmarc.Action == DmarcAction.Recorded) comment += " record-only";
            if (dmarc.Override is { } why) comment += "; " + why;
            method.ResultComment = comment;
        }
        method.Properties.Add(new AuthenticationMethodProperty("header", "from", result.FromDomain));
        results.Results.Add(method);
    }

    /// <summary>arc (RFC 8617 10.2): the chain's validation; a comment names the newest sealer.</summary>
    public static void AddArc(MimeAuthenticationResults results, ArcFindings? arc)
    {
        if (arc is null) return;
        var method = new AuthenticationMethodResult("arc", arc.Chain switch
        {
            ArcChainOutcome.Pass => "pass",
            ArcChainOutcome.Fail => "fail",
            ArcChainOutcome.TempError => "temperror",
            _ => "none",
        });
        if (arc.Sets.Count > 0) method.ResultComment = $"i={arc.Sets[^1].Instance} d={arc.Sets[^1].SealerDomain}" +
            (arc.Chain != ArcChainOutcome.Pass && arc.Reason is { } reason ? "; " + reason : "");
        results.Results.Add(method);
    }

    public static string DkimName(DkimOutcome outcome) => outcome switch
    {
        DkimOutcome.Pass => "pass",
        DkimOutcome.Fail => "fail",
        DkimOutcome.TempError => "temperror",
        _ => "permerror",
    };

    public static Header Field(string name, string value)
    {
        var header = new Header(name, "");
        header.SetValue(Wire, Encoding.UTF8, value);
        return header;
    }

    public static Header AuthenticationResultsField(MimeAuthenticationResults results) =>
        Field(Policy.Dns.AuthenticationResults.FieldName, results.ToString());

    /// <summary>
    /// The Received field, one clause to a line as RFC 5321 4.4 shows it (and Postfix writes it),
    /// so that a reader of the raw message sees from, by, id and for at a glance. Written by hand:
    /// MimeKit has no type for it, and its generic folding would break the clauses at column 78.
    /// </summary>
    /// <param name="helo">The client's HELO name, already made safe for the field.</param>
    /// <param name="tls">"TLSv1.3 with cipher X" under TLS, else null.</param>
    /// <param name="recipient">The recipient when there is exactly one (the "for" clause).</param>
    public static byte[] Received(string helo, IPAddress client, string? tls, string host, string queueId, string? recipient, DateTimeOffset at)
    {
        var value = new StringBuilder(256).Append("Received: from ").Append(helo).Append(" ([").Append(client).Append("])");
        if (tls is not null) value.Append("\r\n\t(using ").Append(tls).Append(')');
        value.Append("\r\n\tby ").Append(host).Append(" (Bulwark) with ").Append(tls is null ? "ESMTP" : "ESMTPS").Append(" id ").Append(queueId);
        if (recipient is not null) value.Append("\r\n\tfor <").Append(recipient).Append('>');
        value.Append(";\r\n\t").Append(MimeKit.Utils.DateUtils.FormatDate(at)).Append("\r\n");
        return Encoding.UTF8.GetBytes(value.ToString());
    }

    /// <summary>The fields as they go on the wire, in order, each ending in CRLF.</summary>
    public static byte[] Encode(IEnumerable<Header> fields)
    {
        using var bytes = new MemoryStream(512);
        foreach (var field in fields)
        {
            var name = Encoding.ASCII.GetBytes(field.Field + ":");
            bytes.Write(name);
            bytes.Write(field.RawValue);
        }
        return bytes.ToArray();
    }
}
