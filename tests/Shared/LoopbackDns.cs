using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsClient;

namespace Bulwark.Tests.Shared;

/// <summary>
/// A real DNS server on loopback for tests: dnsmasq with fixed records (added before
/// <see cref="Start"/>), plus an unbound that dnsmasq forwards "servfail.test" to (unbound answers
/// SERVFAIL for it in milliseconds: its only upstream is a closed port) and a "timeout.test" zone
/// that dnsmasq forwards to a closed port (no answer ever). Both run as child processes on free
/// ports and are stopped by their pids in <see cref="Dispose"/>. Missing binaries fail loudly:
/// run scripts/install-deps.sh (packages dnsmasq-base and unbound).
/// </summary>
public sealed class LoopbackDns : IDisposable
{
    public const string DnsmasqPath = "/usr/sbin/dnsmasq";
    public const string UnboundPath = "/usr/sbin/unbound";
    /// <summary>Names under this zone never get an answer (a timeout).</summary>
    public const string TimeoutZone = "timeout.test";
    /// <summary>Names under this zone get SERVFAIL.</summary>
    public const string ServFailZone = "servfail.test";
    /// <summary>Addresses in 198.51.100.0/24: their reverse zone never answers (a PTR timeout).</summary>
    public const string TimeoutReverseZone = "100.51.198.in-addr.arpa";
    /// <summary>Addresses in 203.0.113.0/24: their reverse zone answers SERVFAIL.</summary>
    public const string ServFailReverseZone = "113.0.203.in-addr.arpa";
    private const string ReadyName = "ready.loopback.test";
    private const int ClosedPort = 9; // discard: nothing listens there on a test machine

    private readonly List<string> _records = [];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bulwark-dns-" + Guid.NewGuid().ToString("N")[..12]);
    private Process? _dnsmasq, _unbound;
    private readonly StringBuilder _dnsmasqLog = new(), _unboundLog = new();

    /// <param name="ttl">TTL of every answer (dnsmasq's local-ttl); 0 would make answers uncacheable.</param>
    public LoopbackDns(int ttl = 60) => Ttl = ttl;

    public int Ttl { get; }
    public int Port { get; private set; }
    public int UnboundPort { get; private set; }
    /// <summary>"127.0.0.1:port", the form DnsResolverOptions.NameServers takes.</summary>
    public string NameServer => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>A TXT record of several character-strings (a resolver joins them).</summary>
    public LoopbackDns Txt(string name, params string[] strings) =>
        Add($"txt-record={name},{string.Join(',', strings.Select(Quote))}");

    /// <summary>A and/or AAAA records of name, and the PTR records of each address back to name.</summary>
    public LoopbackDns Host(string name, params string[] addresses) => Add($"host-record={name},{string.Join(',', addresses)}");

    /// <summary>A PTR record only (no forward record is implied).</summary>
    public LoopbackDns Ptr(string address, string name) =>
        Add($"ptr-record={IPAddress.Parse(address).GetArpaName().TrimEnd('.')},{name}");

    public LoopbackDns Mx(string domain, string exchange, int preference = 10) => Add($"mx-host={domain},{exchange},{preference}");

    /// <summary>RFC 7505 null MX: preference 0, exchange the root (wire form 0000 00).</summary>
    public LoopbackDns NullMx(string domain) => Add($"dns-rr={domain},15,000000");

    /// <summary>A CNAME; the target must be a name this server knows (a Host record).</summary>
    public LoopbackDns Cname(string alias, string target) => Add($"cname={alias},{target}");

    private LoopbackDns Add(string line)
    {
        if (_dnsmasq is not null) throw new InvalidOperationException("add records before Start()");
        if (line.Contains('\n')) throw new ArgumentException("one line per record", nameof(line));
        _records.Add(line);
        return this;
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public LoopbackDns Start()
    {
        foreach (var bin in new[] { DnsmasqPath, UnboundPath })
            if (!File.Exists(bin))
                throw new InvalidOperationException(
                    $"{bin} is missing: the DNS tests need dnsmasq and unbound; run scripts/install-deps.sh " +
                    "(apt-get install dnsmasq-base unbound)");
        Directory.CreateDirectory(_dir);
        UnboundPort = FreePort();
        File.WriteAllText(Path.Combine(_dir, "unbound.conf"), UnboundConfig());
        _unbound = Launch(UnboundPath, ["-d", "-c", Path.Combine(_dir, "unbound.conf")], _unboundLog);
        WaitReady(UnboundPort, "nx.loopback.test", _unbound, _unboundLog, "unbound");

        Port = FreePort(UnboundPort);
        File.WriteAllText(Path.Combine(_dir, "dnsmasq.conf"), DnsmasqConfig());
        _dnsmasq = Launch(DnsmasqPath, ["--keep-in-foreground", "--conf-file=" + Path.Combine(_dir, "dnsmasq.conf")], _dnsmasqLog);
        WaitReady(Port, ReadyName, _dnsmasq, _dnsmasqLog, "dnsmasq");
        return this;
    }

    private string DnsmasqConfig()
    {
        var c = new StringBuilder();
        c.AppendLine($"port={Port}");
        c.AppendLine("listen-address=127.0.0.1");
        c.AppendLine("bind-interfaces");
        c.AppendLine("no-resolv");
        c.AppendLine("no-hosts");
        c.AppendLine("no-poll");
        c.AppendLine("local=/#/"); // NXDOMAIN for every name not configured here
        c.AppendLine($"local-ttl={Ttl}");
        c.AppendLine($"neg-ttl={Ttl}");
        c.AppendLine($"pid-file={Path.Combine(_dir, "dnsmasq.pid")}");
        c.AppendLine("log-facility=-");
        c.AppendLine($"server=/{TimeoutZone}/127.0.0.1#{ClosedPort}");
        c.AppendLine($"server=/{ServFailZone}/127.0.0.1#{UnboundPort}");
        c.AppendLine($"server=/{TimeoutReverseZone}/127.0.0.1#{ClosedPort}");
        c.AppendLine($"server=/{ServFailReverseZone}/127.0.0.1#{UnboundPort}");
        c.AppendLine($"txt-record={ReadyName},\"ready\"");
        foreach (var r in _records) c.AppendLine(r);
        return c.ToString();
    }

    private string UnboundConfig() => $$"""
        server:
          interface: 127.0.0.1
          port: {{UnboundPort}}
          do-ip6: no
          do-daemonize: no
          username: ""
          chroot: ""
          directory: "{{_dir}}"
          pidfile: "{{Path.Combine(_dir, "unbound.pid")}}"
          use-syslog: no
          logfile: ""
          verbosity: 0
          module-config: "iterator"
          do-not-query-localhost: no
          local-zone: "." static
          local-zone: "{{ServFailZone}}." transparent
          local-zone: "{{ServFailReverseZone}}." transparent
          local-zone: "{{TimeoutZone}}." deny
        forward-zone:
          name: "{{ServFailZone}}."
          forward-addr: 127.0.0.1@{{ClosedPort}}
          forward-tcp-upstream: yes
        forward-zone:
          name: "{{ServFailReverseZone}}."
          forward-addr: 127.0.0.1@{{ClosedPort}}
          forward-tcp-upstream: yes
        """;

    private Process Launch(string file, string[] args, StringBuilder log)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return p;
    }

    private static void WaitReady(int port, string name, Process process, StringBuilder log, string what)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, port))
        {
            UseCache = false, Timeout = TimeSpan.FromMilliseconds(200), Retries = 0, ThrowDnsErrors = false,
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{what} exited with {process.ExitCode}: {Snapshot(log)}");
            try
            {
                var r = client.Query(name, QueryType.TXT);
                if (!r.Header.ResponseCode.Equals(DnsHeaderResponseCode.ServerFailure)) return;
            }
            catch (DnsResponseException)
            {
                // not listening yet
            }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"{what} did not answer on 127.0.0.1:{port} within 15 s: {Snapshot(log)}");
    }

    private static string Snapshot(StringBuilder log)
    {
        lock (log) return log.ToString();
    }

    /// <summary>A port free for both TCP and UDP on 127.0.0.1 (dnsmasq binds both).</summary>
    private static int FreePort(int avoid = 0)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                if (port == avoid) continue;
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // UDP side taken: try another
            }
            finally
            {
                tcp.Stop();
            }
        }
        throw new InvalidOperationException("no free loopback port");
    }

    public void Dispose()
    {
        Stop(_dnsmasq);
        Stop(_unbound);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void Stop(Process? p)
    {
        if (p is null) return;
        try
        {
            // By this process's own pid (never by name: other test runs may have their own).
            if (!p.HasExited) p.Kill();
            p.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        p.Dispose();
    }
}
