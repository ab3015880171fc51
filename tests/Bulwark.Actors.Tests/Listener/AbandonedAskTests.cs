using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Bulwark.Delivery.Spool;
using Bulwark.Listener.Protocol;
using Bulwark.Listener.Sessions;
using Bulwark.Policy.Sessions;
using Bulwark.Contracts.IpReputation;
using Bulwark.Policy.Checks;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>
/// A session that ends while an entity ask is open never resumes: its continuations go to a
/// stopped actor. The ask's timeout must still be observed, or the runtime reports an
/// unobserved task exception for every connection that closed mid-ask (a CI fuzz run saw one).
/// </summary>
public sealed class AbandonedAskTests : IDisposable
{
    // An odd timeout names this test's asks in the exception text ("Timeout after 0.37 seconds"),
    // so exceptions from other tests in the process are not counted.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMilliseconds(370);
    private const string ThisTestsTimeout = "0.37 seconds";

    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("bulwark-abandoned-").FullName;
    private readonly ConcurrentQueue<string> _unobserved = new();

    [Fact]
    public async Task Sessions_ended_while_their_reputation_asks_are_open_leave_no_unobserved_exception()
    {
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            OpenAsksThenStop(sessions: 20, terminateSystem: false);
            OpenAsksThenStop(sessions: 20, terminateSystem: true);
            // Past the timeout, then collections with finalizers in between: that is when the
            // runtime reports a faulted task that nobody read.
            await Task.Delay(AskTimeout * 3);
            for (var round = 0; round < 3; round++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            Assert.Empty(_unobserved);
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }
    }

    /// <summary>Not async, so nothing it creates stays reachable from the test's state machine:
    /// the abandoned tasks must be collectable for the runtime to report them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OpenAsksThenStop(int sessions, bool terminateSystem)
    {
        var system = ActorSystem.Create("abandoned", "akka.log-dead-letters = off");
        var reputation = new Akka.TestKit.TestProbe(system, new XunitAssertions());
        var started = new List<IActorRef>();
        for (var i = 0; i < sessions; i++)
        {
            var session = StartSession(system, reputation, i);
            session.Tell(SessionOpened.Instance);
            reputation.ExpectMsg<OpenConnection>();
            started.Add(session);
        }
        if (!terminateSystem)
        {
            foreach (var session in started)
            {
                reputation.Watch(session);
                system.Stop(session);
                reputation.ExpectTerminated(session);
            }
        }
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private IActorRef StartSession(ActorSystem system, Akka.TestKit.TestProbe reputation, int n)
    {
        var settings = new ListenerSettings("mx.test", new SessionLimits(), new HashSet<string> { "example.test" }, "example.test",
            AskTimeout, ReputationEnabled: true);
        var deps = new SessionDependencies(ActorRefs.Nobody, reputation, ActorRefs.Nobody, ActorRefs.Nobody, new FileSpool(_spoolRoot), settings);
        var ip = $"192.0.2.{n + 1}";
        return system.ActorOf(SessionActor.Props(new ConnectionInfo($"c{n}", IPAddress.Parse(ip), ip), deps));
    }

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        if (e.Exception.ToString().Contains(ThisTestsTimeout)) _unobserved.Enqueue(e.Exception.GetBaseException().Message);
    }

    void IDisposable.Dispose()
    {
        try { Directory.Delete(_spoolRoot, recursive: true); } catch (IOException) { }
    }
}
