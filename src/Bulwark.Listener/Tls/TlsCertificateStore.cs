using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using Akka.Event;

namespace Bulwark.Listener.Tls;

/// <summary>
/// The operator's certificate for STARTTLS, from a PEM certificate file (chain allowed) and a PEM
/// key file, reloaded when they change. Each handshake takes <see cref="Current"/> at its start,
/// so a renewal reaches new connections at once and never disturbs a session already under TLS.
/// A pair that does not load (half-written, key of another certificate, expired) is logged and
/// the certificate in use is kept.
/// <para>
/// Changes are noticed two ways: a FileSystemWatcher on the files' directories (quick), and a
/// periodic look at the files' content (certain: watchers miss some atomic renames and symlink
/// swaps, such as Kubernetes secret updates).
/// </para>
/// </summary>
public sealed class TlsCertificateStore : IDisposable
{
    /// <summary>TLS 1.2 and 1.3 only: older versions are refused at the handshake.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(14);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    private readonly ILoggingAdapter _log;
    private readonly object _gate = new();
    private readonly List<FileSystemWatcher> _watchers = new();
    private readonly Timer _poll;
    private readonly Timer _settle;
    private TlsCertificate _current;
    private byte[] _lastSeen;
    private bool _disposed;

    /// <summary>Loads the pair now; throws <see cref="InvalidDataException"/> or an I/O exception
    /// when it cannot serve (a node configured for TLS must not start without it).</summary>
    public TlsCertificateStore(string certificatePath, string keyPath, ILoggingAdapter? log = null, TimeSpan? pollInterval = null)
    {
        CertificatePath = Path.GetFullPath(certificatePath);
        KeyPath = Path.GetFullPath(keyPath);
        _log = log ?? NoLogger.Instance;
        var (certificatePem, keyPem, stamp) = ReadPair();
        _current = TlsCertificate.FromPem(certificatePem, keyPem, DateTimeOffset.UtcNow);
        _lastSeen = stamp;
        _log.Info("TLS certificate {0} ({1}), valid until {2:u}", _current.Thumbprint, _current.Subject, _current.NotAfter);
        WarnIfExpiring(_current);

        _settle = new Timer(_ => CheckNow(), null, Timeout.Infinite, Timeout.Infinite);
        var interval = pollInterval ?? TimeSpan.FromSeconds(30);
        _poll = new Timer(_ => CheckNow(), null, interval, interval);
        foreach (var directory in new[] { Path.GetDirectoryName(CertificatePath)!, Path.GetDirectoryName(KeyPath)! }.Distinct())
            _watchers.Add(Watch(directory));
    }

    public string CertificatePath { get; }
    public string KeyPath { get; }

    /// <summary>The certificate new handshakes use.</summary>
    public TlsCertificate Current => Volatile.Read(ref _current);

    /// <summary>Why the last changed pair was not taken; null once a pair loads.</summary>
    public string? LastError { get; private set; }

    /// <summary>Raised after a new certificate was swapped in.</summary>
    public event Action<TlsCertificate>? Reloaded;

    /// <summary>Raised when changed files did not load; the old certificate stays in use.</summary>
    public event Action<string>? ReloadFailed;

    /// <summary>Server options for one handshake: the current certificate, TLS 1.2/1.3, no client
    /// certificate (a sending MTA's certificate proves nothing to an MX).</summary>
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = Current.Context,
        EnabledSslProtocols = Protocols,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };

    /// <summary>Looks at the files now and swaps the certificate in if they changed and load.
    /// True when a new certificate was installed.</summary>
    public bool CheckNow()
    {
        lock (_gate)
        {
            if (_disposed) return false;
            string certificatePem, keyPem;
            byte[] stamp;
            try
            {
                (certificatePem, keyPem, stamp) = ReadPair();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Mid-rename or briefly missing: the next event or poll will look again.
                return Fail($"cannot read {CertificatePath} / {KeyPath}: {e.Message}");
            }
            if (stamp.AsSpan().SequenceEqual(_lastSeen)) return false;
            _lastSeen = stamp;
            TlsCertificate loaded;
            try
            {
                loaded = TlsCertificate.FromPem(certificatePem, keyPem, DateTimeOffset.UtcNow);
            }
            catch (InvalidDataException e)
            {
                return Fail(e.Message);
            }
            var previous = Interlocked.Exchange(ref _current, loaded);
            LastError = null;
            _log.Info("TLS certificate reloaded: {0} ({1}) valid until {2:u}, replacing {3}",
                loaded.Thumbprint, loaded.Subject, loaded.NotAfter, previous.Thumbprint);
            WarnIfExpiring(loaded);
            // The previous certificate is not disposed: sessions mid-handshake may still hold it.
            Reloaded?.Invoke(loaded);
            return true;
        }
    }

    private bool Fail(string reason)
    {
        LastError = reason;
        _log.Warning("TLS certificate files changed but were not taken; keeping {0}: {1}", Current.Thumbprint, reason);
        ReloadFailed?.Invoke(reason);
        return false;
    }

    private (string Certificate, string Key, byte[] Stamp) ReadPair()
    {
        var certificate = File.ReadAllText(CertificatePath, Encoding.ASCII);
        var key = File.ReadAllText(KeyPath, Encoding.ASCII);
        // The content, not the mtime: renames and symlink swaps can leave the times unchanged.
        var stamp = SHA256.HashData(Encoding.ASCII.GetBytes(certificate + "\0" + key));
        return (certificate, key, stamp);
    }

    private void WarnIfExpiring(TlsCertificate certificate)
    {
        var left = certificate.NotAfter - DateTimeOffset.UtcNow;
        if (left < ExpiryWarning)
            _log.Warning("TLS certificate {0} expires in {1:%d} days {1:%h} hours ({2:u}); renew it", certificate.Thumbprint, left, certificate.NotAfter);
    }

    private FileSystemWatcher Watch(string directory)
    {
        var watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        // Any change in the directory: a certificate tool writes temp files, renames and symlinks
        // under names of its own. The settle delay lets it finish writing both files first.
        FileSystemEventHandler changed = (_, _) => Poke();
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Deleted += changed;
        watcher.Renamed += (_, _) => Poke();
        watcher.Error += (_, e) => _log.Warning("watching TLS files failed: {0}; the periodic check goes on", e.GetException().Message);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void Poke()
    {
        try { _settle.Change(Settle, Timeout.InfiniteTimeSpan); } catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        foreach (var watcher in _watchers) watcher.Dispose();
        _poll.Dispose();
        _settle.Dispose();
    }
}
