using Bulwark.Delivery.Spool;
using System.Net.Security;
using System.Security.Authentication;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Tls;
using Bulwark.Policy.Sessions;
using Bulwark.Policy.Verdicts;

namespace Bulwark.Listener.Sessions;

/// <summary>Messages between a connection's I/O loop and its session actor. Both live on the
/// same listener node; none of them crosses the network.</summary>
public interface ISessionMessage;

/// <summary>The connection is open and the accept gate let it through; reply greeting or 421.</summary>
public sealed record SessionOpened : ISessionMessage
{
    public static readonly SessionOpened Instance = new();
}

public sealed record CommandReceived(SmtpCommand Command) : ISessionMessage;

public sealed record CommandLineTooLong : ISessionMessage
{
    public static readonly CommandLineTooLong Instance = new();
}

public sealed record DataBodyReceived(DataOutcome Outcome) : ISessionMessage;

/// <summary>The STARTTLS handshake succeeded: the session starts over, under TLS. Answered with
/// an empty <see cref="SessionReply"/> that is not sent.</summary>
public sealed record TlsStarted(SslProtocols Protocol, TlsCipherSuite Cipher) : ISessionMessage;

/// <summary>The client went away or timed out (tell; no reply). The actor logs and stops.</summary>
public sealed record ConnectionEnded(string Reason) : ISessionMessage;

/// <summary>What the I/O loop must do next.</summary>
public sealed record SessionReply(SmtpReply Reply, bool Close = false)
{
    /// <summary>Lines of a multi-line reply (EHLO); when set, Reply gives only the code.</summary>
    public IReadOnlyList<string>? Lines { get; init; }

    /// <summary>Set with a 354: where the body goes, with the trace header to write first.</summary>
    public DataTarget? Data { get; init; }

    /// <summary>Set with the 220 to STARTTLS: the I/O loop sends the reply, then runs the
    /// handshake with this store's current certificate.</summary>
    public TlsCertificateStore? StartTls { get; init; }
}

public sealed record DataTarget(ISpoolEntry Entry, byte[] TraceHeader, HeaderSectionFilter? Headers = null);
