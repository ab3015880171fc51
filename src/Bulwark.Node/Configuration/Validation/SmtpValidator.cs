using System.Security.Cryptography;
using Bulwark.Listener.Tls;
using Bulwark.Node.Configuration.Binding;

namespace Bulwark.Node.Configuration.Validation;

/// <summary>Smtp: limits, timeouts, address, pregreet and PROXY networks, and the TLS pair,
/// which is loaded here once so that a bad file stops the node instead of failing the first
/// handshake.</summary>
public sealed class SmtpValidator : SectionValidator
{
    protected override void Check(BulwarkOptions options, SettingProblems problems)
    {
        var smtp = options.Smtp;
        problems.InRange("Smtp:MaxMessageBytes", smtp.MaxMessageBytes, 1024, 2L * 1024 * 1024 * 1024);
        problems.InRange("Smtp:MaxRecipients", smtp.MaxRecipients, 1, 100_000);
        problems.InRange("Smtp:MaxCommandLineBytes", smtp.MaxCommandLineBytes, 512, 8192);
        problems.InRange("Smtp:MaxDataLineBytes", smtp.MaxDataLineBytes, 78, 7000);
        problems.InRange("Smtp:MaxErrors", smtp.MaxErrors, 1, 1000);
        problems.InRangeSeconds("Smtp:CommandTimeoutSeconds", smtp.CommandTimeoutSeconds, 1, 3600);
        problems.InRangeSeconds("Smtp:DataBlockTimeoutSeconds", smtp.DataBlockTimeoutSeconds, 1, 3600);
        problems.InRangeSeconds("Smtp:DataTimeoutSeconds", smtp.DataTimeoutSeconds, 1, 7200);
        problems.InRangeSeconds("Smtp:Tls:HandshakeTimeoutSeconds", smtp.Tls.HandshakeTimeoutSeconds, 1, 600);
        problems.IpAddress("Smtp:Address", smtp.Address);
        problems.InRange("Smtp:Port", smtp.Port, 0, 65535);
        problems.InRange("Smtp:MaxConnections", smtp.MaxConnections, 1, 1_000_000);
        problems.InRangeSeconds("Smtp:AskTimeoutSeconds", smtp.AskTimeoutSeconds, 0.05, 120);
        problems.InRangeSeconds("Smtp:DrainSeconds", smtp.DrainSeconds, 0, 600);
        problems.InRangeSeconds("Smtp:PregreetSeconds", smtp.PregreetSeconds, 0, 60);
        problems.Cidrs("Smtp:PregreetSkipNetworks", smtp.PregreetSkipNetworks);
        problems.Cidrs("Smtp:TrustedProxies", smtp.TrustedProxies);
        problems.InRangeSeconds("Smtp:ProxyHeaderTimeoutSeconds", smtp.ProxyHeaderTimeoutSeconds, 0.1, 60);
        CheckTls(smtp.Tls, problems);
    }

    /// <summary>Both PEM files or neither; without them no sender can be required to use TLS.</summary>
    private static void CheckTls(SmtpTlsOptions tls, SettingProblems problems)
    {
        var certificate = tls.CertificateFile.Trim();
        var key = tls.KeyFile.Trim();
        if (certificate.Length == 0 && key.Length == 0)
        {
            if (tls.RequireFromDomains is { Count: > 0 })
                problems.Add("Smtp:Tls:RequireFromDomains", "needs Smtp:Tls:CertificateFile and KeyFile: without a certificate no sender could comply");
            return;
        }
        if (certificate.Length == 0) problems.Add("Smtp:Tls:CertificateFile", "is needed with Smtp:Tls:KeyFile");
        else if (key.Length == 0) problems.Add("Smtp:Tls:KeyFile", "is needed with Smtp:Tls:CertificateFile");
        else if (PairProblem(certificate, key) is { } problem) problems.Add("Smtp:Tls:CertificateFile", $"cannot use {certificate} with {key}: {problem}");
        else problems.InRangeSeconds("Smtp:Tls:ReloadCheckSeconds", tls.ReloadCheckSeconds, 1, 3600);
    }

    private static string? PairProblem(string certificate, string key)
    {
        try
        {
            TlsCertificate.FromPem(File.ReadAllText(certificate), File.ReadAllText(key), DateTimeOffset.UtcNow);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
                                      or CryptographicException or InvalidOperationException)
        {
            return e.Message;
        }
    }
}
