using System.Security.Authentication;
using Akka.TestKit.Xunit2;
using Bulwark.Listener.Tls;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>Certificate renewal on a running listener: new handshakes get the new certificate,
/// sessions already under TLS go on, and a broken replacement changes nothing.</summary>
public sealed class TlsReloadTests : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private TlsListenerHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new TlsListenerHost(Sys, withTls: true, pollInterval: TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_renewed_certificate_serves_new_connections_while_an_open_TLS_session_keeps_working()
    {
        var store = _host.Store!;
        await using var before = await _host.ConnectAsync();
        await before.EhloAsync();
        await before.StartTlsAsync(SslProtocols.None, _host.First!.Thumbprint);
        await before.EhloAsync();

        var renewed = TlsTestCertificates.Create();
        var reloaded = new TaskCompletionSource<TlsCertificate>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Reloaded += c => { if (c.Thumbprint == renewed.Thumbprint) reloaded.TrySetResult(c); };
        TlsTestCertificates.Write(renewed, _host.CertificatePath, _host.KeyPath);
        await reloaded.Task.WaitAsync(Patience);
        Assert.Equal(renewed.Thumbprint, store.Current.Thumbprint);
        Assert.Null(store.LastError);

        await using var after = await _host.ConnectAsync();
        await after.EhloAsync();
        await after.StartTlsAsync(SslProtocols.None, renewed.Thumbprint);
        Assert.Equal(renewed.Thumbprint, after.ServerCertificate!.Thumbprint);
        await after.EhloAsync();
        await _host.SendMessageAsync(after);

        // The session from before the renewal finishes its message on the old certificate.
        Assert.Equal(_host.First.Thumbprint, before.ServerCertificate!.Thumbprint);
        await _host.SendMessageAsync(before);
    }

    [Fact]
    public async Task A_broken_replacement_is_refused_and_the_old_certificate_stays_in_use()
    {
        var store = _host.Store!;
        var failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.ReloadFailed += reason => failed.TrySetResult(reason);
        // A new certificate next to the old key: the pair does not match.
        var stranger = TlsTestCertificates.Create("other.test");
        await File.WriteAllTextAsync(_host.CertificatePath, TlsTestCertificates.CertificatePem(stranger));
        await failed.Task.WaitAsync(Patience);
        Assert.Equal(_host.First!.Thumbprint, store.Current.Thumbprint);
        Assert.NotNull(store.LastError);

        await using var client = await _host.ConnectAsync();
        await client.EhloAsync();
        await client.StartTlsAsync(SslProtocols.None, _host.First.Thumbprint);
        await client.EhloAsync();
        await _host.SendMessageAsync(client);

        // Garbage in the key file is refused the same way; the old certificate is still served.
        var garbage = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.ReloadFailed += reason => garbage.TrySetResult(reason);
        await File.WriteAllTextAsync(_host.KeyPath, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        await garbage.Task.WaitAsync(Patience);
        Assert.Equal(_host.First.Thumbprint, store.Current.Thumbprint);

        // Fixing the files (the original pair back) is picked up again.
        var restored = new TaskCompletionSource<TlsCertificate>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Reloaded += c => restored.TrySetResult(c);
        TlsTestCertificates.Write(_host.First, _host.CertificatePath, _host.KeyPath);
        Assert.Equal(_host.First.Thumbprint, (await restored.Task.WaitAsync(Patience)).Thumbprint);
        Assert.Null(store.LastError);
    }
}
