using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Bulwark.Node.Hosting;

namespace Bulwark.Node.Tests.Hosting;

/// <summary>The buffered logger loses nothing: info lines arrive within the flush interval,
/// warnings at once, and what is left is written when the system stops.</summary>
public sealed class BufferedConsoleLoggerTests
{
    private sealed class LockedWriter : StringWriter
    {
        public int Flushes;
        public override void Flush() { Interlocked.Increment(ref Flushes); base.Flush(); }
        public string Text { get { lock (this) return ToString(); } }
        public override void WriteLine(string? value) { lock (this) base.WriteLine(value); }
    }

    [Fact]
    public async Task Lines_arrive_within_the_interval_warnings_at_once_and_the_rest_at_stop()
    {
        var output = new LockedWriter();
        BufferedConsoleLogger.Output = output;
        var system = ActorSystem.Create("logger-test", ConfigurationFactory.ParseString(
            """akka.loggers = ["Bulwark.Node.Hosting.BufferedConsoleLogger, bulwark"]"""));
        try
        {
            var log = Logging.GetLogger(system, "test");
            log.Info("first info line");
            await WaitFor(() => output.Text.Contains("first info line"), BufferedConsoleLogger.FlushInterval * 20);

            var before = output.Flushes;
            log.Warning("a warning");
            await WaitFor(() => output.Text.Contains("a warning") && output.Flushes > before, TimeSpan.FromSeconds(2));
            Assert.Contains("[WARNING]", output.Text);

            for (var i = 0; i < 1000; i++) log.Info("burst line {0}", i);
        }
        finally
        {
            await system.Terminate();
        }
        Assert.Contains("burst line 999", output.Text);
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not written in time");
            await Task.Delay(10);
        }
    }
}
