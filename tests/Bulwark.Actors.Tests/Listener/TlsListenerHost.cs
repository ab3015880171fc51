using System.Net;
using Akka.Actor;
using Akka.Event;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Gate;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Listener.Tls;
using Bulwark.Policy.Sessions;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>A real SmtpListener on 127.0.0.1 with STARTTLS from PEM files in a temp directory
/// (or without TLS), every recipient at example.test existing, and "bank.example" on the
/// require-TLS list.</summary>
public sealed class TlsListenerHost : IAsyncDisposable
{
    private readonly SmtpListener _listener;

    public TlsListenerHost(ActorSystem system, bool withTls, TimeSpan? pollInterval = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("bulwark-tls-").FullName;
        CertificatePath = Path.Combine(Directory, "cert.pem");
        KeyPath = Path.Combine(Directory, "key.pem");
        Spool = new FileSpool(Path.Combine(Directory, "spool"));
        if (withTls)
        {
            First = TlsTestCertificates.Create();
            TlsTestCertificates.Write(First, CertificatePath, KeyPath);
            Store = new TlsCertificateStore(CertificatePath, KeyPath, Logging.GetLogger(system, "tls"), pollInterval);
        }
        var directory = system.ActorOf(Props.Create(() => new EveryoneExists()));
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            TimeSpan.FromSeconds(2), ReputationEnabled: false)
        {
            RequireTlsFromDomains = new HashSet<string> { "bank.example" },
        };
        var deps = new SessionDependencies(directory, ActorRefs.Nobody, system.DeadLetters, ActorRefs.Nobody, Spool, settings) { Tls = Store };
        _listener = new SmtpListener(new IPEndPoint(IPAddress.Loopback, 0), new BlockList(), system, deps,
            new SmtpTimeouts { TlsHandshake = TimeSpan.FromSeconds(5) }, 64, Logging.GetLogger(system, "tls-listener"));
        _listener.Start();
    }

    public string Directory { get; }
    public string CertificatePath { get; }
    public string KeyPath { get; }
    public FileSpool Spool { get; }
    public TlsCertificateStore? Store { get; }
    public System.Security.Cryptography.X509Certificates.X509Certificate2? First { get; }
    public IPEndPoint Endpoint => _listener.LocalEndpoint!;

    public Task<TlsSmtpClient> ConnectAsync() => TlsSmtpClient.ConnectAsync(Endpoint);

    /// <summary>MAIL, RCPT, DATA and a small body; returns the stored message's text.</summary>
    public async Task<string> SendMessageAsync(TlsSmtpClient client, string sender = "someone@remote.test")
    {
        Assert.Equal("250 2.1.0 sender OK", await client.CommandAsync($"MAIL FROM:<{sender}>"));
        Assert.Equal("250 2.1.5 recipient OK", await client.CommandAsync("RCPT TO:<alice@example.test>"));
        Assert.StartsWith("354 ", await client.CommandAsync("DATA"));
        var queued = await client.CommandAsync("Subject: over TLS\r\n\r\nhello\r\n.");
        Assert.StartsWith("250 2.0.0 queued as ", queued);
        using var body = new StreamReader(Spool.OpenBody(queued["250 2.0.0 queued as ".Length..]));
        return await body.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        Store?.Dispose();
        Spool.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private sealed class EveryoneExists : ReceiveActor
    {
        public EveryoneExists() => Receive<VerifyRecipient>(v =>
            Sender.Tell(new RecipientAnswer(v.Domain, v.LocalPart, RecipientExistence.Exists, "test")));
    }
}
