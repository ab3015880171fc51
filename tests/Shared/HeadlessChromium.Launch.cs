using System.Diagnostics;
using System.Net.Http;
using System.Text.Json;

namespace Bulwark.Tests.Shared;

public sealed partial class HeadlessChromium
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private HeadlessChromium(Process process, string userDataDir, StderrTail stderr)
    {
        _process = process;
        _userDataDir = userDataDir;
        _stderr = stderr;
    }

    /// <summary>Starts chromium and connects to its page. Throws (never skips) when chromium is missing,
    /// exits, or has no DevTools endpoint within 30 s; the message carries chromium's last stderr lines.</summary>
    public static async Task<HeadlessChromium> StartAsync(CancellationToken ct = default)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-deps.sh (package chromium)");
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var stderr = new StderrTail(40);
        Process process;
        try { process = Launch(dir, stderr); }
        catch { DeleteProfile(dir); throw; }
        var browser = new HeadlessChromium(process, dir, stderr);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        try
        {
            var port = await WaitForDevToolsPortAsync(browser, timeout.Token);
            var wsUrl = await PageWebSocketUrlAsync(port, timeout.Token);
            await browser.ConnectAsync(new Uri(wsUrl), timeout.Token);
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            // Headless still subtracts a pretend toolbar from --window-size; pin the viewport itself so
            // layouts and screenshots are the same on every machine.
            await browser.SendAsync("Emulation.setDeviceMetricsOverride",
                new { width = ViewportWidth, height = ViewportHeight, deviceScaleFactor = 1, mobile = false });
            return browser;
        }
        catch (Exception e)
        {
            var exited = process.HasExited ? $"chromium exited with {process.ExitCode}" : "chromium did not become ready";
            await browser.DisposeAsync();
            if (e is OperationCanceledException && ct.IsCancellationRequested) throw;
            var why = e is OperationCanceledException ? $"not ready within {StartTimeout.TotalSeconds:0} s" : e.Message;
            throw new InvalidOperationException($"{exited}: {why}\nstderr tail:\n{stderr}", e);
        }
    }

    private static Process Launch(string userDataDir, StderrTail stderr)
    {
        // The real binary behind Debian's /usr/bin/chromium wrapper: the wrapper adds flags of its own
        // (extensions, gpu rasterization) from /etc/chromium.d; exec'ing the binary keeps runs identical.
        const string binary = "/usr/lib/chromium/chromium";
        var psi = new ProcessStartInfo(File.Exists(binary) ? binary : ChromiumPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--disable-extensions", "--no-default-browser-check",
            "--hide-scrollbars", $"--window-size={ViewportWidth},{ViewportHeight}", "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1", "--user-data-dir=" + userDataDir, "about:blank",
        }) psi.ArgumentList.Add(arg);
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"{psi.FileName} did not start");
        p.OutputDataReceived += (_, e) => stderr.Add(e.Data);
        p.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Chromium writes the port it picked (for --remote-debugging-port=0) as the first line of
    /// DevToolsActivePort in the profile; a line without its newline may still be half written.</summary>
    private static async Task<int> WaitForDevToolsPortAsync(HeadlessChromium browser, CancellationToken ct)
    {
        var file = Path.Combine(browser._userDataDir, "DevToolsActivePort");
        while (true)
        {
            if (browser._process.HasExited) throw new InvalidOperationException("chromium exited before opening DevTools");
            if (File.Exists(file))
            {
                var text = await File.ReadAllTextAsync(file, ct);
                var newline = text.IndexOf('\n');
                if (newline > 0 && int.TryParse(text[..newline].Trim(), out var port) && port > 0) return port;
            }
            await Task.Delay(50, ct);
        }
    }

    private static async Task<string> PageWebSocketUrlAsync(int port, CancellationToken ct)
    {
        // No proxy: an http_proxy in the environment must not swallow loopback requests.
        using var http = new HttpClient(new HttpClientHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var root = $"http://127.0.0.1:{port}";
        using (var list = JsonDocument.Parse(await http.GetStringAsync(root + "/json/list", ct)))
            foreach (var target in list.RootElement.EnumerateArray())
                if (target.GetProperty("type").GetString() == "page" && target.TryGetProperty("webSocketDebuggerUrl", out var ws))
                    return ws.GetString()!;
        // No page yet (the about:blank tab can lag behind the endpoint): open one.
        using var response = await http.PutAsync(root + "/json/new?about:blank", null, ct);
        response.EnsureSuccessStatusCode();
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return created.RootElement.GetProperty("webSocketDebuggerUrl").GetString()!;
    }

    private static async Task KillAsync(Process p)
    {
        try
        {
            // The tree: the browser forks zygotes, renderers, gpu and network services.
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await p.WaitForExitAsync(wait.Token);
        }
        catch (InvalidOperationException) { /* already gone */ }
        catch (OperationCanceledException) { /* reported by the tests' process checks, not here */ }
        p.Dispose();
    }

    private static void DeleteProfile(string dir)
    {
        // Chromium's last children may still be closing files for a moment after the kill.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); return; }
            catch (IOException) { Thread.Sleep(100); }
            catch (UnauthorizedAccessException) { return; }
        }
    }
}
