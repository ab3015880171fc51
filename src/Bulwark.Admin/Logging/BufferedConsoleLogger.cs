using System.Text;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace Bulwark.Admin.Logging;

/// <summary>
/// The node's Akka logger: the same lines as Akka's console logger, written to standard output
/// through one buffer that is flushed every <see cref="FlushInterval"/>, when it fills, at once
/// for a warning or an error, and when the logger stops. Akka's own logger makes one console
/// write (a system call) per line, and a relayed message logs two lines (the transaction and
/// its delivery): 3% of the node's CPU per refusal in bench/profile.sh.
/// </summary>
public sealed class BufferedConsoleLogger : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Where lines go; standard output unless a test sets it before the system starts.</summary>
    public static TextWriter Output { get; set; } =
        new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };

    private readonly TextWriter _out = Output;
    private ICancelable? _ticks;
    private bool _dirty;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case LogEvent e:
                _out.WriteLine(e.ToString());
                _dirty = true;
                if (e.LogLevel() >= LogLevel.WarningLevel) Flush();
                return true;
            case FlushNow:
                Flush();
                return true;
            case InitializeLogger:
                _ticks = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(FlushInterval, FlushInterval, Self, FlushNow.Instance, Self);
                Sender.Tell(new LoggerInitialized());
                return true;
            default:
                return false;
        }
    }

    private void Flush()
    {
        if (!_dirty) return;
        _out.Flush();
        _dirty = false;
    }

    protected override void PostStop()
    {
        _ticks?.Cancel();
        Flush();
    }

    private sealed class FlushNow
    {
        public static readonly FlushNow Instance = new();
    }
}
