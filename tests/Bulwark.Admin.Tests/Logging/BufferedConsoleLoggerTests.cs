using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Bulwark.Admin.Logging;

namespace Bulwark.Admin.Tests.Logging;

/// <summary>The buffered logger flushes on its interval, at once for a warning, and when it stops.</summary>
public sealed class BufferedConsoleLoggerTests
{
    private sealed class CountingWriter : StringWriter
    {
        private int _flushes;
        public int Flushes => Volatile.Read(ref _flushes);
        public override void Flush() { Interlocked.Increment(ref _flushes); base.Flush(); }
        public string Text { get { lock (this) return ToString(); } }
        public override void WriteLine(string? value) { lock (this) base.WriteLine(value); }
    }

    [Fact]
    public async Task Lines_are_flushed_within_the_interval_and_a_warning_at_once()
    {
        var output = new CountingWriter();
        BufferedConsoleLogger.Output = output;
        var system = ActorSystem.Create("logger-test", ConfigurationFactory.ParseString(
            """akka.loggers = ["Bulwark.Admin.Logging.BufferedConsoleLogger, Bulwark.Admin"]"""));
        try
        {
            var log = Akka.Event.Logging.GetLogger(system, "test");
            var before = output.Flushes;
            log.Info("first info line");
            await WaitFor(() => output.Text.Contains("first info line") && output.Flushes > before,
                BufferedConsoleLogger.FlushInterval * 20);

            before = output.Flushes;
            log.Warning("a warning");
            await WaitFor(() => output.Text.Contains("a warning") && output.Flushes > before, TimeSpan.FromSeconds(2));
            Assert.Contains("[WARNING]", output.Text);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task What_the_logger_holds_is_flushed_when_it_stops()
    {
        var output = new CountingWriter();
        BufferedConsoleLogger.Output = output;
        using var system = ActorSystem.Create("logger-stop-test");
        // Not initialized as a logger: no interval flush, so only stopping can flush.
        var logger = system.ActorOf(Props.Create<BufferedConsoleLogger>());
        var stopped = logger.WatchAsync();
        logger.Tell(new Info("test", typeof(BufferedConsoleLoggerTests), "held line"));
        logger.Tell(PoisonPill.Instance);
        await stopped.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("held line", output.Text);
        Assert.True(output.Flushes >= 1, "not flushed at stop");
        await system.Terminate();
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
