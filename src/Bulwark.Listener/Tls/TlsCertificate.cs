using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bulwark.Listener.Tls;

/// <summary>One loaded certificate with its private key, ready for handshakes. The TLS context is
/// built once per load, not once per connection.</summary>
public sealed class TlsCertificate
{
    private TlsCertificate(X509Certificate2 certificate, SslStreamCertificateContext context, DateTimeOffset loadedAt)
    {
        Certificate = certificate;
        Context = context;
        LoadedAt = loadedAt;
    }

    public X509Certificate2 Certificate { get; }
    public SslStreamCertificateContext Context { get; }
    public DateTimeOffset LoadedAt { get; }
    public string Thumbprint => Certificate.Thumbprint;
    public string Subject => Certificate.Subject;
    public DateTimeOffset NotAfter => Certificate.NotAfter.ToUniversalTime();

    /// <summary>Builds a certificate from PEM text: the certificate file (leaf first, then any
    /// intermediates) and the unencrypted private key. Throws <see cref="InvalidDataException"/>
    /// with the reason when the pair cannot serve: no key, key of another certificate, not valid now.</summary>
    public static TlsCertificate FromPem(string certificatePem, string keyPem, DateTimeOffset now)
    {
        X509Certificate2 leaf;
        try
        {
            // Also checks that the key belongs to the certificate's public key.
            leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"certificate and key do not load as a pair: {e.Message}", e);
        }
        if (!leaf.HasPrivateKey)
            throw new InvalidDataException("the certificate has no private key");
        if (now < leaf.NotBefore.ToUniversalTime() || now > leaf.NotAfter.ToUniversalTime())
            throw new InvalidDataException($"the certificate is not valid now (valid {leaf.NotBefore:u} to {leaf.NotAfter:u})");
        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral key of a PEM import; a PKCS#12 round trip gives it a usable one.
            leaf = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
        }
        var intermediates = new X509Certificate2Collection();
        intermediates.ImportFromPem(certificatePem);
        var chain = new X509Certificate2Collection();
        foreach (var extra in intermediates)
            if (extra.Thumbprint != leaf.Thumbprint) chain.Add(extra);
        // Offline: building the chain to send must never wait on the network at a handshake.
        var context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
        return new TlsCertificate(leaf, context, now);
    }
}
