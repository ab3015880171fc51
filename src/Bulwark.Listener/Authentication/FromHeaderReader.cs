using Bulwark.Policy.Dkim;
using Bulwark.Policy.Dmarc;
using MimeKit;

namespace Bulwark.Listener.Authentication;

/// <summary>Reads a message's From fields into the <see cref="FromHeader"/> DMARC judges:
/// every mailbox, group members included, each with a domain in DMARC's normal form. Only the
/// field's value is parsed (MimeKit's address parser), not the message.</summary>
public static class FromHeaderReader
{
    public static FromHeader Read(RawHeaderBlock header)
    {
        var fields = header.RawValuesOf("from").ToList();
        if (fields.Count != 1) return new FromHeader(fields.Count, [], fields.Count > 0);
        if (!InternetAddressList.TryParse(ParserOptions.Default, fields[0], out var list))
            return new FromHeader(1, [], Readable: false);
        var domains = new List<string>();
        foreach (var mailbox in list.Mailboxes)
        {
            // A mailbox without a domain ("From: alice") or with one DNS cannot hold has no owner to ask.
            if (DmarcDomains.Normalize(mailbox.Domain) is not { } domain) return new FromHeader(1, [], Readable: false);
            domains.Add(domain);
        }
        return new FromHeader(1, domains, Readable: domains.Count > 0);
    }
}
