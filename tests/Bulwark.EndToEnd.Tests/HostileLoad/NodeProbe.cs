using System.Globalization;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.EndToEnd.Tests.HostileLoad;

/// <summary>What the hostile-load tests read from outside the node: its /metrics samples, its
/// readiness, its memory, and the file-descriptor limit that both sides of the test live under.</summary>
public static class NodeProbe
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Task<string> MetricsAsync(BulwarkNode node) => Http.GetStringAsync(node.AdminUrl + "/metrics");

    /// <summary>The value of one sample ("name{labels}", matched by label set in any order, and
    /// "name" matching "name{}"), 0 when the node has not exported it yet (a counter nobody
    /// incremented is absent, which means zero).</summary>
    public static double Sample(string metrics, string sample) => PrometheusSamples.Find(metrics, sample) ?? 0;

    public static async Task<double> SampleAsync(BulwarkNode node, string sample) => Sample(await MetricsAsync(node), sample);

    public static async Task<bool> ReadyAsync(BulwarkNode node) =>
        (await Http.GetAsync(node.AdminUrl + "/health/ready")).IsSuccessStatusCode;

    /// <summary>Polls until the node reports no open session; returns the last value seen.</summary>
    public static async Task<double> WaitForSessionsAsync(BulwarkNode node, double atMost, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double active;
        while ((active = await SampleAsync(node, "bulwark_smtp_sessions_active")) > atMost && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        return active;
    }

    /// <summary>Resident memory of a process in bytes (VmRSS in /proc/pid/status).</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }

    /// <summary>The soft RLIMIT_NOFILE of this process, which the node process inherits.</summary>
    public static long OpenFileLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return soft == "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
            }
        throw new InvalidOperationException("no 'Max open files' in /proc/self/limits");
    }

    /// <summary>Fails the test up front, naming the fix, when the client (and so the node, which
    /// inherits the limit) cannot hold <paramref name="sockets"/> sockets plus its usual files:
    /// otherwise an EMFILE in the client would look like the node refusing connections.</summary>
    public static void RequireOpenFiles(int sockets)
    {
        var needed = sockets + 1024;   // assemblies, pipes, the node's own cluster and admin sockets
        var limit = OpenFileLimit();
        if (limit < needed)
            throw new InvalidOperationException(
                $"ulimit -n is {limit}; this test holds {sockets} sockets and needs at least {needed}. Run 'ulimit -n {needed * 2}' in the shell that starts dotnet test.");
    }
}
