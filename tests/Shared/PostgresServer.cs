using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Bulwark.Tests.Shared;

/// <summary>
/// A private PostgreSQL 15 (Debian's package) on loopback for tests: initdb into a temporary
/// folder with trust authentication, the server started with pg_ctl on a free port with its
/// unix socket in that folder, a database created per caller. initdb and the server refuse to
/// run as root, so as root both run as the "postgres" user (runuser) in a folder it owns.
/// Dispose stops the server by the pid in postmaster.pid (SIGINT: fast shutdown, then SIGKILL)
/// and deletes the folder. Missing binaries fail loudly: run scripts/install-deps.sh.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string RunAsUser = "postgres";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bulwark-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly bool _asRoot = Environment.UserName == "root";
    private int? _pid;

    public PostgresServer()
    {
        foreach (var tool in new[] { "initdb", "pg_ctl", "postgres" })
            if (!File.Exists(Path.Combine(BinDirectory, tool)))
                throw new InvalidOperationException($"{Path.Combine(BinDirectory, tool)} is missing: run scripts/install-deps.sh (package postgresql)");
        Port = FreePort();
    }

    public int Port { get; }
    public string DataDirectory => Path.Combine(_dir, "data");
    public string LogFile => Path.Combine(_dir, "postgres.log");
    public int? Pid => _pid;

    /// <summary>Npgsql connection string of the database created by <see cref="StartAsync"/>.</summary>
    public string ConnectionString { get; private set; } = "";

    public static async Task<PostgresServer> StartAsync(string database = "bulwark")
    {
        var server = new PostgresServer();
        try
        {
            await server.StartServerAsync();
            server.ConnectionString = await server.CreateDatabaseAsync(database);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <remarks>The application name is this server's own: Npgsql pools connections by
    /// connection string, and a later server given the same free port would otherwise be handed
    /// a pooled connection to the stopped one ("57P01 terminating connection due to
    /// administrator command", seen in a CI run).</remarks>
    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Database={database};Username=postgres;Application Name={Path.GetFileName(_dir)}";

    /// <summary>Creates an empty database (e.g. one per farm) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string database)
    {
        await using (var connection = new NpgsqlConnection(ConnectionStringFor("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionStringFor(database);
    }

    private async Task StartServerAsync()
    {
        Directory.CreateDirectory(_dir);
        if (_asRoot) await RunAsync("chown", [RunAsUser + ":", _dir]);
        await RunAsync(Tool("initdb"), ["-D", DataDirectory, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C"], asPostgres: true);
        var options = $"-k {_dir} -p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c max_connections=200";
        // -w waits until the server accepts connections; pg_ctl daemonizes it, so its pid comes from postmaster.pid.
        await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options, "start"], asPostgres: true);
        _pid = ReadPid() ?? throw new InvalidOperationException($"postgres started but wrote no postmaster.pid:\n{Log()}");
        await WaitAcceptingAsync(TimeSpan.FromSeconds(30));
    }

    private async Task WaitAcceptingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private int? ReadPid()
    {
        var file = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(file)) return null;
        var first = File.ReadLines(file).FirstOrDefault();
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private string Tool(string name) => Path.Combine(BinDirectory, name);

    private string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    private async Task RunAsync(string file, string[] args, bool asPostgres = false)
    {
        var info = asPostgres && _asRoot ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
        if (asPostgres && _asRoot)
            foreach (var a in new[] { "-u", RunAsUser, "--", file }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = _dir; // the postgres user cannot stat the caller's folder
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cts.Token);
        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed with exit code {process.ExitCode}:\n{output}\n{Log()}");
    }

    public void Dispose()
    {
        if (_pid is { } pid)
        {
            _pid = null;
            Signal(pid, "INT"); // fast shutdown: disconnects clients, no wait for them
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (Alive(pid) && DateTime.UtcNow < deadline) Thread.Sleep(50);
            if (Alive(pid)) Signal(pid, "KILL");
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Alive and not a zombie (killed daemons can linger as zombies here).</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z";
        }
        catch (IOException) { return false; }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false });
        kill?.WaitForExit(5000);
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
