namespace Bulwark.Node.Configuration.Binding;

/// <summary>
/// The configuration as the binder fills it: one property per key of cluster-config/bulwark.json,
/// named like the key, holding the file's own units (seconds, names, lists of text) and the
/// README's defaults. Nothing here is checked yet; validators do that before the node turns
/// these into <see cref="BulwarkSettings"/>.
/// </summary>
/// <remarks>Entries of Domains and of the content policy lists are kept by their configuration
/// key, in key order, so that an error names the same key as the file or variable that set it
/// (Domains:5:Name for BULWARK_Domains__5__Name).</remarks>
public sealed class BulwarkOptions
{
    public NodeOptions Node { get; set; } = new();
    public ClusterOptions Cluster { get; set; } = new();
    public SmtpOptions Smtp { get; set; } = new();
    public OrderedDictionary<string, DomainOptions> Domains { get; set; } = new();
    public ReputationOptions Reputation { get; set; } = new();
    public DeliveryOptions Delivery { get; set; } = new();
    public PersistenceOptions Persistence { get; set; } = new();
    public AdminOptions Admin { get; set; } = new();
    public DnsOptions Dns { get; set; } = new();
    public ContentOptions Content { get; set; } = new();
}

/// <summary>The Node section: this node's name, data directory and cluster roles.</summary>
public sealed class NodeOptions
{
    /// <summary>The roles a node can have: listener serves SMTP, policy hosts the entities.</summary>
    public static readonly IReadOnlyList<string> AllRoles = ["listener", "policy"];

    public string Hostname { get; set; } = "mx.example.test";
    public string DataDirectory { get; set; } = "./data";

    /// <summary>None given: <see cref="AllRoles"/>.</summary>
    public SettingList? Roles { get; set; }
}

/// <summary>The Cluster section: this node's Akka remoting address and the seeds it joins.</summary>
public sealed class ClusterOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 4053;
    public SettingList? SeedNodes { get; set; }
}

/// <summary>The Persistence section: where blocks are persisted.</summary>
public sealed class PersistenceOptions
{
    public string Provider { get; set; } = "sqlite";

    /// <summary>Empty: the SQLite file in the data directory (PostgreSQL needs one).</summary>
    public string ConnectionString { get; set; } = "";
}

/// <summary>The Admin section: the admin API and dashboard.</summary>
public sealed class AdminOptions
{
    public string Address { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 8025;

    /// <summary>Empty: no token (allowed on loopback only).</summary>
    public string Token { get; set; } = "";
}
