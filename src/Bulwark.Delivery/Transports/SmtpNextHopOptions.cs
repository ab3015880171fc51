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

    /// <summary>Idle connections kept open for reuse (match the delivery's MaxConcurrent: each
    /// attempt holds one connection, so more would never be used). 0: no reuse, one connection
    /// per message with QUIT after it.</summary>
    public int PoolSize { get; init; } = 8;

    /// <summary>An idle pooled connection is closed (QUIT) after this long, well before the next
    /// hop's own idle timeout (Postfix: 300 s) would drop it under us.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection older than this is not reused, so a rotated or rebalanced next hop
    /// (DNS change, load balancer) is picked up.</summary>
    public TimeSpan MaxConnectionAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Transactions after which a connection is closed rather than reused.</summary>
    public int MaxMessagesPerConnection { get; init; } = 1000;
}
