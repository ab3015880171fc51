using Bulwark.Listener.Tls;

namespace Bulwark.Actors.Tests.Listener;

public sealed class TlsCertificateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-tlsstore-").FullName;
    private string Cert => Path.Combine(_dir, "cert.pem");
    private string Key => Path.Combine(_dir, "key.pem");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_valid_pair_loads_with_TLS_1_2_and_1_3_only_and_no_client_certificate()
    {
        var certificate = TlsTestCertificates.Create(rsa: true);
        TlsTestCertificates.Write(certificate, Cert, Key);
        using var store = new TlsCertificateStore(Cert, Key);
        Assert.Equal(certificate.Thumbprint, store.Current.Thumbprint);
        Assert.True(store.Current.Certificate.HasPrivateKey);
        var options = store.ServerOptions();
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.False(options.ClientCertificateRequired);
        Assert.Same(store.Current.Context, options.ServerCertificateContext);
    }

    [Fact]
    public void A_chain_file_serves_its_first_certificate()
    {
        var leaf = TlsTestCertificates.Create("mx.test");
        var intermediate = TlsTestCertificates.Create("intermediate.test");
        File.WriteAllText(Cert, TlsTestCertificates.CertificatePem(leaf) + "\n" + TlsTestCertificates.CertificatePem(intermediate) + "\n");
        File.WriteAllText(Key, TlsTestCertificates.KeyPem(leaf));
        using var store = new TlsCertificateStore(Cert, Key);
        Assert.Equal(leaf.Thumbprint, store.Current.Thumbprint);
    }

    [Fact]
    public void An_expired_certificate_is_refused_at_start()
    {
        var expired = TlsTestCertificates.Create(notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        TlsTestCertificates.Write(expired, Cert, Key);
        var e = Assert.Throws<InvalidDataException>(() => new TlsCertificateStore(Cert, Key));
        Assert.Contains("not valid now", e.Message);
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused_at_start()
    {
        File.WriteAllText(Cert, TlsTestCertificates.CertificatePem(TlsTestCertificates.Create()));
        File.WriteAllText(Key, TlsTestCertificates.KeyPem(TlsTestCertificates.Create()));
        Assert.Throws<InvalidDataException>(() => new TlsCertificateStore(Cert, Key));
    }

    [Fact]
    public void A_key_file_without_a_key_is_refused_at_start()
    {
        var certificate = TlsTestCertificates.Create();
        File.WriteAllText(Cert, TlsTestCertificates.CertificatePem(certificate));
        File.WriteAllText(Key, TlsTestCertificates.CertificatePem(certificate));
        Assert.Throws<InvalidDataException>(() => new TlsCertificateStore(Cert, Key));
    }

    [Fact]
    public void Missing_files_are_an_error_at_start()
    {
        Assert.Throws<FileNotFoundException>(() => new TlsCertificateStore(Cert, Key));
    }

    [Fact]
    public void CheckNow_swaps_in_a_changed_pair_once_and_ignores_unchanged_files()
    {
        var first = TlsTestCertificates.Create();
        TlsTestCertificates.Write(first, Cert, Key);
        using var store = new TlsCertificateStore(Cert, Key, pollInterval: TimeSpan.FromHours(1));
        Assert.False(store.CheckNow());
        var second = TlsTestCertificates.Create();
        TlsTestCertificates.Write(second, Cert, Key);
        // The watcher may get there first; either way the second certificate is in use and a
        // further check finds nothing new.
        store.CheckNow();
        Assert.Equal(second.Thumbprint, store.Current.Thumbprint);
        Assert.False(store.CheckNow());
    }

    [Fact]
    public void A_certificate_expiring_soon_still_loads()
    {
        var soon = TlsTestCertificates.Create(notAfter: DateTimeOffset.UtcNow.AddDays(3));
        TlsTestCertificates.Write(soon, Cert, Key);
        using var store = new TlsCertificateStore(Cert, Key);
        Assert.True(store.Current.NotAfter < DateTimeOffset.UtcNow.AddDays(14));
    }
}
