using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Bulwark.Delivery;
using Bulwark.Delivery.Spool;
using Bulwark.Entities.RecipientDirectory;
using Bulwark.Listener.Gate;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Sessions;
using Bulwark.Contracts.IpReputation;
using Bulwark.NodeCaches;
using Bulwark.Policy.Recipients;

namespace Bulwark.Actors.Tests.Fuzz;

/// <summary>
/// A real listener node on 127.0.0.1 for fuzzing: real SmtpListener and session actors, a real
/// RecipientDirectory actor (static list: alice, bob, postmaster at example.test), a real
/// FileSpool in a temp dir. Delivery is an actor that deletes what it is handed (so a million
/// lines do not fill the disk), except the final check's message. Every Error or Warning log
/// event, unhandled exception and unobserved task exception is recorded.
/// </summary>
public sealed class FuzzNode : IAsyncDisposable
{
    public const string KeptSender = "final-check@remote.test";
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-fuzz-").FullName;
    private readonly ActorSystem _system;
    private readonly IActorRef _delivery;

    public ConcurrentQueue<string> Errors { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<Enqueued> Kept { get; } = new();
    public ReputationCounter? Reputation { get; }
    public FileSpool Spool { get; }
    public SmtpListener Listener { get; }
    public SessionLimits Limits { get; } = new() { MaxErrors = 1000, MaxMessageBytes = 512 * 1024 };
    public long Delivered => Interlocked.Read(ref _delivered);
    private long _delivered;

    public FuzzNode(bool reputation)
    {
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        _system = ActorSystem.Create("fuzz", ConfigurationFactory.ParseString(
            "akka.loglevel = WARNING\nakka.stdout-loglevel = ERROR\nakka.log-dead-letters = off"));
        var listener = _system.ActorOf(Props.Create(() => new LogRecorder(Errors, Warnings)), "log-recorder");
        _system.EventStream.Subscribe(listener, typeof(Error));
        _system.EventStream.Subscribe(listener, typeof(Warning));

        Spool = new FileSpool(_spoolRoot);
        _delivery = _system.ActorOf(Props.Create(() => new DeletingDelivery(Spool, Kept, () => Interlocked.Increment(ref _delivered))), "delivery");
        var options = RecipientDirectoryOptions.FromStaticLists(new Dictionary<string, IReadOnlySet<string>>
        {
            ["example.test"] = new HashSet<string> { "alice", "bob" },
        });
        var directory = _system.ActorOf(RecipientDirectoryActor.Props(options, "example.test"), "directory");
        IActorRef reputationRef = ActorRefs.Nobody;
        if (reputation)
        {
            Reputation = new ReputationCounter();
            reputationRef = _system.ActorOf(Props.Create(() => new AdmitEveryone(Reputation)), "reputation");
        }
        var settings = new ListenerSettings("mx.test", Limits, new HashSet<string> { "example.test" }, "example.test",
            TimeSpan.FromSeconds(5), reputation);
        var deps = new SessionDependencies(directory, reputationRef, _delivery, ActorRefs.Nobody, Spool, settings);
        Listener = new SmtpListener(new IPEndPoint(IPAddress.Loopback, 0), new BlockList(), _system, deps,
            new SmtpTimeouts { DataBlock = TimeSpan.FromSeconds(30) }, 512, Logging.GetLogger(_system, "fuzz-listener"));
        Listener.Start();
    }

    public IPEndPoint Endpoint => Listener.LocalEndpoint!;

    private void OnUnhandled(object? sender, UnhandledExceptionEventArgs e) => Errors.Enqueue($"unhandled exception: {e.ExceptionObject}");

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => Errors.Enqueue($"unobserved task exception: {e.Exception}");

    /// <summary>Waits until the listener has no connection open and no session actor is alive.</summary>
    public async Task<bool> SettledAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (Listener.OpenConnections == 0 && Listener.Sessions.Count == 0
                && (Reputation is null || Reputation.Open == 0)) return true;
            await Task.Delay(50);
        }
        return false;
    }

    public string[] TmpFiles() => Directory.GetFiles(Spool.TmpDir);

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        await _system.Terminate();
        Spool.Dispose();
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        TaskScheduler.UnobservedTaskException -= OnUnobserved;
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }

    private sealed class LogRecorder : ReceiveActor
    {
        public LogRecorder(ConcurrentQueue<string> errors, ConcurrentQueue<string> warnings)
        {
            Receive<Error>(e => errors.Enqueue($"{e.LogSource}: {e.Message} {e.Cause}"));
            Receive<Warning>(w => warnings.Enqueue($"{w.LogSource}: {w.Message}"));
        }
    }

    private sealed class DeletingDelivery : ReceiveActor
    {
        public DeletingDelivery(FileSpool spool, ConcurrentQueue<Enqueued> kept, Action counted) => Receive<Enqueued>(e =>
        {
            counted();
            if (e.Envelope?.Sender == KeptSender) kept.Enqueue(e);
            else spool.Delete(e.QueueId);
        });
    }
}

/// <summary>What the session actors told the reputation entity.</summary>
public sealed class ReputationCounter
{
    private long _opened, _closed, _evidence;
    public long Opened => Interlocked.Read(ref _opened);
    public long Closed => Interlocked.Read(ref _closed);
    public long Evidence => Interlocked.Read(ref _evidence);
    public long Open => Opened - Closed;
    public void Opening() => Interlocked.Increment(ref _opened);
    public void Closing() => Interlocked.Increment(ref _closed);
    public void Reported() => Interlocked.Increment(ref _evidence);
}

/// <summary>Plays IpReputation: admits every connection, counts opens, closes and evidence.</summary>
public sealed class AdmitEveryone : ReceiveActor
{
    public AdmitEveryone(ReputationCounter counter)
    {
        Receive<OpenConnection>(o =>
        {
            counter.Opening();
            Sender.Tell(new ConnectionAdmission(o.IpKey, true, 1));
        });
        Receive<CloseConnection>(_ => counter.Closing());
        Receive<ReportEvidence>(_ => counter.Reported());
    }
}
