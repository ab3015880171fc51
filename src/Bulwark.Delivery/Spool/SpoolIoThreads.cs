using System.Collections.Concurrent;

namespace Bulwark.Delivery.Spool;

/// <summary>
/// Dedicated threads for the spool's blocking fsync work. fsync blocks for milliseconds; on the
/// shared thread pool (2 cores here) many concurrent commits would starve the Akka dispatchers and
/// the pool would grow only slowly. Parallel fsyncs are also what lets the file system journal
/// batch several commits into one disk flush. (Explicit group commit is a later step.)
/// </summary>
internal sealed class SpoolIoThreads : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _jobs = new();

    public SpoolIoThreads(int threads, string name)
    {
        for (var i = 0; i < threads; i++)
            new Thread(Loop) { IsBackground = true, Name = $"{name}-{i}" }.Start();
    }

    public Task Run(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _jobs.Add((work, done));
        }
        catch (InvalidOperationException)
        {
            // Disposed: run inline rather than lose a commit.
            work();
            done.SetResult();
        }
        return done.Task;
    }

    public void Dispose() => _jobs.CompleteAdding();

    private void Loop()
    {
        foreach (var (work, done) in _jobs.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }
}
