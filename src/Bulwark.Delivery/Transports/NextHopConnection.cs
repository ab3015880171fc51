using System.Net.Sockets;
using MimeKit;

namespace Bulwark.Delivery.Transports;

/// <summary>One open SMTP session to the next hop (greeting and EHLO done), owned by one caller
/// at a time: either rented out by <see cref="NextHopConnectionPool"/> or idle inside it.</summary>
internal sealed class NextHopConnection(RecordingSmtpClient client, Socket socket, long openedAtMs)
{
    public RecordingSmtpClient Client { get; } = client;

    public long OpenedAtMs { get; } = openedAtMs;

    /// <summary>When it was last put back into the pool (monotonic ms).</summary>
    public long IdleSinceMs { get; set; } = openedAtMs;

    /// <summary>Transactions (MAIL ... final reply or failure) run on it so far.</summary>
    public int Transactions { get; set; }

    /// <summary>A parser kept with the session and given each message's body in turn: a new
    /// MimeParser per message allocates its buffers again (about 12 KB a message).</summary>
    public MimeParser Parser { get; } = new(Stream.Null, persistent: false);

    /// <summary>Taken from the pool rather than freshly opened: it may have died while idle.</summary>
    public bool Reused { get; set; }

    /// <summary>
    /// A cheap check without a round trip: an idle SMTP session must have nothing to read. If the
    /// socket is readable, the next hop either closed it (EOF) or sent something unasked (typically
    /// "421 timeout" just before closing); either way it must not carry the next message.
    /// </summary>
    public bool LooksAlive()
    {
        try
        {
            return Client.IsConnected && socket.Connected && !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}

/// <summary>Pure reuse rules of the pool, tested without sockets.</summary>
public static class NextHopReuse
{
    /// <summary>May a connection with this history carry another message at <paramref name="nowMs"/>?</summary>
    public static bool MayReuse(SmtpNextHopOptions options, long openedAtMs, long idleSinceMs, int transactions, long nowMs) =>
        options.PoolSize > 0
        && transactions < options.MaxMessagesPerConnection
        && nowMs - openedAtMs < (long)options.MaxConnectionAge.TotalMilliseconds
        && nowMs - idleSinceMs < (long)options.IdleTimeout.TotalMilliseconds;

    /// <summary>How often idle connections are checked for expiry: often enough that one is
    /// closed close to its idle timeout, never busier than 20 times a second.</summary>
    public static TimeSpan SweepInterval(SmtpNextHopOptions options) =>
        TimeSpan.FromMilliseconds(Math.Clamp(options.IdleTimeout.TotalMilliseconds / 4, 50, 5000));
}
