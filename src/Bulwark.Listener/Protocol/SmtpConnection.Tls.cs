using System.ComponentModel;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Bulwark.Listener.Observability;
using Bulwark.Listener.Sessions;
using Bulwark.Listener.Tls;

namespace Bulwark.Listener.Protocol;

public sealed partial class SmtpConnection
{
    /// <summary>
    /// The server side of STARTTLS, after the 220 went out: drops whatever the client pipelined in
    /// plain text, runs the handshake on the current certificate, moves the wire onto the TLS
    /// stream and tells the session, which forgets everything said before (RFC 3207 section 4.2).
    /// Returns null when TLS is up, else the reason to close: a failed handshake gets no reply,
    /// since there is no channel left to send one on that both ends agree about.
    /// </summary>
    private async Task<string?> StartTlsAsync(TlsCertificateStore certificates, CancellationToken stopping)
    {
        var dropped = _wire.DiscardBuffered();
        if (dropped > 0) TlsCounters.Discarded(dropped);
        var tls = new SslStream(_wire.Stream, leaveInnerStreamOpen: false);
        try
        {
            using var timeout = Deadline(_timeouts.TlsHandshake, stopping);
            await tls.AuthenticateAsServerAsync(certificates.ServerOptions(), timeout.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException
                                      or OperationCanceledException or Win32Exception or ObjectDisposedException)
        {
            await tls.DisposeAsync();
            TlsCounters.Failed();
            SmtpCounters.Connection("tls-failed");
            return stopping.IsCancellationRequested ? "shutdown" : "tls-handshake-failed";
        }
        _wire.SwitchTo(tls);
        TlsCounters.Succeeded();
        await Ask(new TlsStarted(tls.SslProtocol, tls.NegotiatedCipherSuite));
        return null;
    }
}
