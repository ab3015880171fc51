using System.Collections.Concurrent;
using System.Net;

namespace Bulwark.Listener.Observability;

/// <summary>The SMTP sessions open on this node, for the dashboard's live view. Each session
/// actor adds itself when it starts and removes itself when it stops.</summary>
public sealed class LiveSessions
{
    private readonly ConcurrentDictionary<string, LiveSession> _open = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    public LiveSession Open(string connectionId, IPAddress clientIp)
    {
        var session = new LiveSession(connectionId, clientIp.ToString(), DateTimeOffset.UtcNow);
        _open[connectionId] = session;
        return session;
    }

    public void Close(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>The oldest sessions first, at most <paramref name="limit"/> of them.</summary>
    public IReadOnlyList<SessionView> Snapshot(int limit) =>
        _open.Values.OrderBy(s => s.OpenedAt).Take(limit).Select(s => s.View()).ToList();
}

/// <summary>One session's state as its actor last set it. Written by the actor, read by the
/// dashboard: each field is a single reference or int, so readers see a whole value.</summary>
public sealed class LiveSession(string id, string clientIp, DateTimeOffset openedAt)
{
    private volatile string _phase = SmtpPhase.Connect;
    private volatile string? _helo;
    private volatile string? _sender;
    private int _recipients;

    public string Id { get; } = id;
    public string ClientIp { get; } = clientIp;
    public DateTimeOffset OpenedAt { get; } = openedAt;

    public void Phase(string phase) => _phase = phase;
    public void Helo(string helo) => _helo = helo.Length > 255 ? helo[..255] : helo;

    public void Transaction(string? sender, int recipients)
    {
        _sender = sender;
        Volatile.Write(ref _recipients, recipients);
    }

    public SessionView View() => new(Id, ClientIp, _phase, OpenedAt, _helo, _sender, Volatile.Read(ref _recipients));
}

public sealed record SessionView(string Id, string ClientIp, string Phase, DateTimeOffset OpenedAt, string? Helo, string? Sender, int Recipients);

/// <summary>Phase names, shared by the live view and the verdict counters.</summary>
public static class SmtpPhase
{
    public const string Connect = "connect";
    public const string Helo = "helo";
    public const string Mail = "mail";
    public const string Rcpt = "rcpt";
    public const string Data = "data";
    public const string DataEnd = "data-end";
    public const string Other = "other";
}
