using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bulwark.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Bulwark node process (dotnet bulwark.dll) started from the repository's
/// cluster-config/bulwark.json with environment overrides, on its own ports and data folder.
/// It can be killed (SIGKILL) and started again on the same data folder.
/// </summary>
public sealed class BulwarkNode : IDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BulwarkNode(IReadOnlyDictionary<string, string>? overrides = null)
        : this(FreePort.Next(), FreePort.Next(), FreePort.Next(), overrides)
    {
    }

    /// <summary>A node on chosen ports: a farm must know its seed's cluster port before the seed starts.</summary>
    public BulwarkNode(int smtpPort, int clusterPort, int adminPort, IReadOnlyDictionary<string, string>? overrides = null)
    {
        WorkDirectory = Directory.CreateTempSubdirectory("bulwark-node-").FullName;
        SmtpPort = smtpPort;
        ClusterPort = clusterPort;
        AdminPort = adminPort;
        _environment = new Dictionary<string, string>
        {
            ["BULWARK_Node__DataDirectory"] = DataDirectory,
            ["BULWARK_Smtp__Port"] = SmtpPort.ToString(),
            ["BULWARK_Cluster__Port"] = ClusterPort.ToString(),
            ["BULWARK_Admin__Port"] = AdminPort.ToString(),
            ["BULWARK_Domains__0__RecipientsFile"] = Path.Combine(RepoPaths.Root, "cluster-config", "recipients.txt"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) _environment[key] = value;
    }

    public string WorkDirectory { get; }
    public string DataDirectory => Path.Combine(WorkDirectory, "data");
    public int SmtpPort { get; }
    public int ClusterPort { get; }
    public int AdminPort { get; }
    public string AdminUrl => $"http://127.0.0.1:{AdminPort}";

    /// <summary>Runs the same executable as the admin CLI against this node.</summary>
    public Task<(int ExitCode, string Output)> CliAsync(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [RepoPaths.NodeDll, .. args, "--admin", AdminUrl], TimeSpan.FromSeconds(30));

    /// <summary>Runs the executable with exactly these arguments (no node, no --admin), as a
    /// person would type them; stdout and stderr apart.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunExecutableAsync(params string[] args) =>
        ProcessRunner.RunSeparatelyAsync("dotnet", [RepoPaths.NodeDll, .. args], TimeSpan.FromSeconds(30));
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;
    /// <summary>The running process's id, or null when it is not running.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;
    /// <summary>This node's Akka address, as cluster members are listed.</summary>
    public string ClusterAddress => $"akka.tcp://bulwark@127.0.0.1:{ClusterPort}";
    public string Output => string.Join('\n', _output);

    public static async Task<BulwarkNode> StartAsync(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var node = new BulwarkNode(overrides);
        await node.StartAgainAsync();
        return node;
    }

    /// <summary>Starts the process (again, on the same data folder) and waits until SMTP is open.</summary>
    public async Task StartAgainAsync()
    {
        Launch();
        var ready = await Task.WhenAny(_ready.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (ready != _ready.Task) throw new TimeoutException($"node did not open SMTP within 60 s:\n{Output}");
        await _ready.Task;
    }

    /// <summary>Starts the process and waits for it to exit (for start-up validation tests).</summary>
    public async Task<int> RunToExitAsync(TimeSpan timeout)
    {
        Launch();
        using var cts = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void Launch()
    {
        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(RepoPaths.NodeDll);
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "cluster-config", "bulwark.json"));
        foreach (var (key, value) in _environment) info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"node exited early:\n{Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        if (line.StartsWith("bulwark: SMTP ready", StringComparison.Ordinal)) _ready.TrySetResult();
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(10_000);
        }
    }

    /// <summary>kill -TERM (what systemd and Kubernetes send): the node should leave the cluster
    /// and exit by itself. Returns its exit code, or null when it did not exit within the timeout
    /// (it is then still running; Dispose kills it).</summary>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } p) return ExitCode;
        var (code, output) = await ProcessRunner.RunAsync("kill", ["-TERM", p.Id.ToString()], TimeSpan.FromSeconds(10));
        if (code != 0) throw new InvalidOperationException($"kill -TERM {p.Id} failed: {output}");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return p.ExitCode;
    }

    public async Task<bool> WaitForOutputAsync(string fragment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_output.Any(l => l.Contains(fragment, StringComparison.Ordinal))) return true;
            await Task.Delay(50);
        }
        return false;
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
