using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bulwark.Node.Tests.Configuration;

/// <summary>A self-signed certificate and its key as PEM files in a temporary directory, for
/// settings that load the pair at start.</summary>
internal sealed class TemporaryTlsPair : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bulwark-tls-").FullName;

    public TemporaryTlsPair()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mx.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CertificateFile = Path.Combine(_directory, "cert.pem");
        KeyFile = Path.Combine(_directory, "key.pem");
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertificateFile { get; }
    public string KeyFile { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
