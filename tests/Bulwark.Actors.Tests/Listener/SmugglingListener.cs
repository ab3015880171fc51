using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Bulwark.Delivery;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Gate;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Sessions;
using Bulwark.Contracts.RecipientDirectory;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>
/// One real SmtpListener on 127.0.0.1 shared by every row of the smuggling matrix (one actor
/// system for hundreds of rows keeps the matrix fast). Every recipient at example.test exists,
/// the victim too, so a smuggled transaction would succeed if it were ever read as commands.
/// What the node accepted is observed where the session puts it: the file spool and the
/// delivery actor's mailbox.
/// </summary>
public sealed class SmugglingListener : IAsyncLifetime
{
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-smuggling-").FullName;
    private readonly ConcurrentQueue<Enqueued> _handedToDelivery = new();
    private ActorSystem _system = null!;
    private IActorRef _delivery = null!;
    private SmtpListener _listener = null!;

    public FileSpool Spool { get; private set; } = null!;

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("smuggling", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        Spool = new FileSpool(_spoolRoot);
        _delivery = _system.ActorOf(Props.Create(() => new DeliveryRecorder(_handedToDelivery)), "delivery");
        var directory = _system.ActorOf(Props.Create(() => new EveryoneExists()), "directory");
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            TimeSpan.FromSeconds(2), ReputationEnabled: false);
        var deps = new SessionDependencies(directory, ActorRefs.Nobody, _delivery, ActorRefs.Nobody, Spool, settings);
        _listener = new SmtpListener(new IPEndPoint(IPAddress.Loopback, 0), new BlockList(), _system, deps,
            new SmtpTimeouts(), 256, Logging.GetLogger(_system, "smuggling"));
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task<SmugglingClient> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(_listener.LocalEndpoint!);
        var client = new SmugglingClient(socket);
        Assert.Equal("220 mx.test ESMTP Bulwark", Assert.Single(await client.ReadRepliesAsync(1)));
        return client;
    }

    /// <summary>Queue ids committed to the spool so far.</summary>
    public HashSet<string> Committed() => Spool.List().Select(e => e.QueueId).ToHashSet();

    /// <summary>Messages handed to delivery so far. The session tells delivery before it sends
    /// its 250, and the round trip here queues behind that tell, so once the client has read
    /// the reply this count is final: no sleep needed.</summary>
    public async Task<IReadOnlyList<Enqueued>> HandedToDeliveryAsync()
    {
        await _delivery.Ask<Flushed>(Flushed.Instance, TimeSpan.FromSeconds(5));
        return _handedToDelivery.ToArray();
    }

    /// <summary>Half-written bodies left behind (a refused body's tmp file must be gone).</summary>
    public string[] TmpFiles() => Directory.GetFiles(Spool.TmpDir);

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _system.Terminate();
        Spool.Dispose();
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }

    private sealed record Flushed
    {
        public static readonly Flushed Instance = new();
    }

    private sealed class DeliveryRecorder : ReceiveActor
    {
        public DeliveryRecorder(ConcurrentQueue<Enqueued> seen)
        {
            Receive<Enqueued>(seen.Enqueue);
            Receive<Flushed>(f => Sender.Tell(f));
        }
    }

    private sealed class EveryoneExists : ReceiveActor
    {
        public EveryoneExists() => Receive<VerifyRecipient>(v =>
            Sender.Tell(new RecipientAnswer(v.Domain, v.LocalPart, RecipientExistence.Exists, "test")));
    }
}

/// <summary>A raw SMTP client: writes bytes exactly as given (Latin-1, one byte per char) in a
/// single send, and reads reply lines.</summary>
public sealed class SmugglingClient(Socket socket) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly List<byte> _pending = new();
    private bool _closed;

    public async Task SendAsync(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var sent = 0;
        while (sent < bytes.Length)
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
    }

    /// <summary>Reads <paramref name="count"/> complete replies (a multi-line reply counts once)
    /// and returns their last lines.</summary>
    public async Task<List<string>> ReadRepliesAsync(int count)
    {
        var finals = new List<string>();
        while (finals.Count < count)
        {
            var line = await ReadLineAsync() ?? throw new IOException($"connection closed after {finals.Count} of {count} replies");
            if (line.Length < 4 || line[3] != '-') finals.Add(line);
        }
        return finals;
    }

    /// <summary>Every reply line until the server closes the connection.</summary>
    public async Task<List<string>> ReadToEndAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line) lines.Add(line);
        return lines;
    }

    private async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.Latin1.GetString(_pending.GetRange(0, lf).ToArray());
                _pending.RemoveRange(0, lf + 1);
                Assert.EndsWith("\r", line);
                return line[..^1];
            }
            if (_closed)
            {
                Assert.Empty(_pending);
                return null;
            }
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0) _closed = true;
            else _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    public void Dispose() => socket.Dispose();
}
