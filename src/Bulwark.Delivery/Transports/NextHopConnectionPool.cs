using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using ServiceNotConnectedException = MailKit.ServiceNotConnectedException;

namespace Bulwark.Delivery.Transports;

/// <summary>
/// Open, idle SMTP sessions to the next hop, so that a message costs MAIL/RCPT/DATA rather than
/// TCP + greeting + EHLO + ... + QUIT. It holds at most PoolSize idle sessions; it does not cap
/// how many are rented at once (the delivery actor's MaxConcurrent already does), a session given
/// back to a full pool is simply closed. Only healthy sessions come back: the transport discards
/// any that errored, timed out or saw a 421. Idle ones are closed after IdleTimeout, and none is
/// reused past MaxConnectionAge or MaxMessagesPerConnection.
/// </summary>
internal sealed class NextHopConnectionPool : IAsyncDisposable
{
    private readonly SmtpNextHopOptions _options;
    private readonly Stack<NextHopConnection> _idle = new(); // LIFO: hot sessions stay hot, the rest idle out
    private readonly Lock _gate = new();
    private readonly Timer? _sweeper;
    private bool _disposed;
    private int _opened;

    public NextHopConnectionPool(SmtpNextHopOptions options)
    {
        _options = options;
        if (options.PoolSize > 0)
        {
            var every = NextHopReuse.SweepInterval(options);
            _sweeper = new Timer(_ => Sweep(), null, every, every);
        }
    }

    /// <summary>Sessions opened since start (each one TCP connect + greeting + EHLO).</summary>
    public int Opened => Volatile.Read(ref _opened);

    public int IdleCount { get { lock (_gate) return _idle.Count; } }

    private static long NowMs => Environment.TickCount64;

    /// <summary>An idle session if a usable one is pooled (unless <paramref name="fresh"/>), else a new one.</summary>
    public async Task<NextHopConnection> RentAsync(bool fresh, CancellationToken cancellationToken)
    {
        while (!fresh && TakeIdle() is { } idle)
        {
            if (Usable(idle))
            {
                idle.Reused = true;
                return idle;
            }
            _ = CloseAsync(idle, quit: idle.LooksAlive());
        }
        return await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives a session back after one transaction: pooled if <paramref name="healthy"/> and
    /// still within its limits, otherwise closed (QUIT only if healthy: a broken one just drops).</summary>
    public async Task ReturnAsync(NextHopConnection connection, bool healthy)
    {
        connection.Transactions++;
        healthy &= connection.Client.IsConnected;
        if (healthy)
        {
            lock (_gate)
            {
                if (!_disposed && _idle.Count < _options.PoolSize
                    && NextHopReuse.MayReuse(_options, connection.OpenedAtMs, NowMs, connection.Transactions, NowMs))
                {
                    connection.IdleSinceMs = NowMs;
                    _idle.Push(connection);
                    return;
                }
            }
        }
        await CloseAsync(connection, quit: healthy).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        NextHopConnection[] idle;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            idle = _idle.ToArray();
            _idle.Clear();
        }
        if (_sweeper is not null) await _sweeper.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(idle.Select(c => CloseAsync(c, quit: true))).ConfigureAwait(false);
    }

    private NextHopConnection? TakeIdle()
    {
        lock (_gate) return _idle.TryPop(out var c) ? c : null;
    }

    private bool Usable(NextHopConnection c) =>
        NextHopReuse.MayReuse(_options, c.OpenedAtMs, c.IdleSinceMs, c.Transactions, NowMs) && c.LooksAlive();

    /// <summary>Closes idle sessions past their limits, or that the next hop closed meanwhile.</summary>
    private void Sweep()
    {
        List<NextHopConnection> expired;
        lock (_gate)
        {
            if (_disposed || _idle.Count == 0) return;
            var all = _idle.Reverse().ToList(); // oldest first, to rebuild the stack in order
            expired = all.Where(c => !Usable(c)).ToList();
            if (expired.Count == 0) return;
            _idle.Clear();
            foreach (var c in all.Except(expired)) _idle.Push(c);
        }
        foreach (var c in expired) _ = CloseAsync(c, quit: c.LooksAlive());
    }

    private async Task<NextHopConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var client = new RecordingSmtpClient
        {
            Timeout = (int)_options.CommandTimeout.TotalMilliseconds,
            CheckCertificateRevocation = false,
        };
        if (_options.HeloName is { } helo) client.LocalDomain = helo;
        if (_options.AcceptAnyCertificate) client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        // Our own socket (MailKit takes ownership) so an idle session can be polled for EOF.
        // NoDelay: SMTP is small request/reply writes; Nagle would hold each one for an ACK.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(_options.ConnectTimeout);
            await socket.ConnectAsync(_options.Host, _options.Port, cts.Token).ConfigureAwait(false);
            var tls = _options.StartTlsWhenAvailable ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None;
            await client.ConnectAsync(socket, _options.Host, _options.Port, tls, cts.Token).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            socket.Dispose();
            throw;
        }
        Interlocked.Increment(ref _opened);
        return new NextHopConnection(client, socket, NowMs);
    }

    private static async Task CloseAsync(NextHopConnection connection, bool quit)
    {
        var client = connection.Client;
        try
        {
            if (quit && client.IsConnected)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException
                                      or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
        {
            // The session is being thrown away; a failed QUIT changes nothing.
        }
        finally
        {
            client.Dispose();
        }
    }
}
