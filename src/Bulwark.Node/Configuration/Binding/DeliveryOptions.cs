namespace Bulwark.Node.Configuration.Binding;

/// <summary>The Delivery section: the next hop (or the Maildir), concurrency, retries and the spool.</summary>
public sealed class DeliveryOptions
{
    public NextHopOptions NextHop { get; set; } = new();
    public int MaxConcurrent { get; set; } = 8;
    public double InitialRetrySeconds { get; set; } = 5;
    public double MaxRetrySeconds { get; set; } = 900;
    public double MaxAgeSeconds { get; set; } = 432000;
    public string Spool { get; set; } = "segments";
}

/// <summary>Delivery:NextHop: the mail store and its connection pool.</summary>
public sealed class NextHopOptions
{
    /// <summary>Empty: mail goes to the Maildir.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 25;
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Not given: Delivery:MaxConcurrent, one idle session per concurrent delivery.</summary>
    public int? PoolSize { get; set; }

    public double IdleTimeoutSeconds { get; set; } = 30;
    public double MaxConnectionAgeSeconds { get; set; } = 300;
    public int MaxMessagesPerConnection { get; set; } = 1000;
}
