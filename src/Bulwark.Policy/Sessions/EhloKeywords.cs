namespace Bulwark.Policy.Sessions;

/// <summary>The service extensions the EHLO answer lists, in the order it lists them.</summary>
public static class EhloKeywords
{
    /// <param name="offerStartTls">STARTTLS can be used now (<see cref="TlsRules.Advertise"/>).</param>
    public static IReadOnlyList<string> For(SessionLimits limits, bool offerStartTls)
    {
        var keywords = new List<string>(7)
        {
            "PIPELINING",
            // RFC 1870: the limit enforced while reading, so a client can give up before sending.
            $"SIZE {limits.MaxMessageBytes}",
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
        };
        if (offerStartTls) keywords.Add("STARTTLS");
        return keywords;
    }
}
