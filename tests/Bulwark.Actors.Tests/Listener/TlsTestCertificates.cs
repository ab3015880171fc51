using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>Self-signed certificates made in the test and written as PEM files, the way an
/// operator's certificate tool leaves them: a certificate file and a key file.</summary>
public static class TlsTestCertificates
{
    public static X509Certificate2 Create(string subject = "mx.test", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool rsa = false)
    {
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddDays(90);
        CertificateRequest request;
        if (rsa)
        {
            using var key = RSA.Create(2048);
            request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return WithSan(request, subject).CreateSelfSigned(from, to);
        }
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        request = new CertificateRequest($"CN={subject}", ec, HashAlgorithmName.SHA256);
        return WithSan(request, subject).CreateSelfSigned(from, to);
    }

    private static CertificateRequest WithSan(CertificateRequest request, string subject)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(subject);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static string KeyPem(X509Certificate2 certificate) =>
        (certificate.GetECDsaPrivateKey() as AsymmetricAlgorithm ?? certificate.GetRSAPrivateKey()!).ExportPkcs8PrivateKeyPem();

    /// <summary>Writes the pair to the two paths, certificate first, like a renewal does.</summary>
    public static void Write(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, CertificatePem(certificate));
        File.WriteAllText(keyPath, KeyPem(certificate));
    }
}
