namespace Bulwark.Node.Configuration.Binding;

/// <summary>The Smtp section: the listening address, session limits, timeouts (in seconds), the
/// pregreet test, PROXY and STARTTLS.</summary>
public sealed class SmtpOptions
{
    public string Address { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 2525;
    public int MaxConnections { get; set; } = 5000;
    public long MaxMessageBytes { get; set; } = 25L * 1024 * 1024;
    public int MaxRecipients { get; set; } = 100;
    public int MaxCommandLineBytes { get; set; } = 2048;
    public int MaxDataLineBytes { get; set; } = 998;
    public int MaxErrors { get; set; } = 10;
    public double CommandTimeoutSeconds { get; set; } = 300;
    public double DataBlockTimeoutSeconds { get; set; } = 180;
    public double DataTimeoutSeconds { get; set; } = 600;
    public double AskTimeoutSeconds { get; set; } = 5;
    public double DrainSeconds { get; set; } = 20;
    public double PregreetSeconds { get; set; }
    public SettingList? PregreetSkipNetworks { get; set; }
    public bool PregreetMultilineBanner { get; set; } = true;
    public SettingList? TrustedProxies { get; set; }
    public double ProxyHeaderTimeoutSeconds { get; set; } = 5;
    public bool LocalRecipientAnswers { get; set; } = true;
    public SmtpTlsOptions Tls { get; set; } = new();
}

/// <summary>Smtp:Tls: the PEM pair for STARTTLS (neither file: STARTTLS off) and the sender
/// domains that must use it.</summary>
public sealed class SmtpTlsOptions
{
    public string CertificateFile { get; set; } = "";
    public string KeyFile { get; set; } = "";
    public double HandshakeTimeoutSeconds { get; set; } = 30;

    /// <summary>Only read with a certificate and key.</summary>
    public double ReloadCheckSeconds { get; set; } = 30;

    public SettingList? RequireFromDomains { get; set; }
}
