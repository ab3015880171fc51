namespace Bulwark.Delivery.Transports;

/// <summary>Where and how to hand accepted mail to the next hop (the organisation's mail store).</summary>
/// <param name="Host">Next-hop host name or IP.</param>
/// <param name="Port">Next-hop SMTP port.</param>
public sealed record SmtpNextHopOptions(string Host, int Port = 25)
{
    /// <summary>TCP connect plus greeting and EHLO.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Each command's reply, and each stretch of DATA (MailKit's Timeout).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>False: plain SMTP (the next hop is usually on the inside). True: STARTTLS when
    /// the next hop offers it, plain otherwise.</summary>
    public bool StartTlsWhenAvailable { get; init; }

    /// <summary>With STARTTLS, accept any server certificate (internal hops with private certs).</summary>
    public bool AcceptAnyCertificate { get; init; }

    /// <summary>Name sent in EHLO; null lets MailKit use the local host name.</summary>
    public string? HeloName { get; init; }
}
