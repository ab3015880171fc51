using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Dashboard;

/// <summary>The launch helper the dashboard tests share: it starts Debian's chromium through
/// PuppeteerSharp with this machine's flags, and the page it hands out must see JS-built text, take
/// clicks and full-page screenshots, report page errors, and be gone (process and profile) after
/// DisposeAsync. A missing or broken chromium fails the start with a clear message.</summary>
public sealed class HeadlessChromiumTests(ITestOutputHelper output)
{
    private const string Page = """
        <!doctype html><html><head><meta charset="utf-8"><title>driver check</title></head>
        <body style="font-family: sans-serif">
          <h1>Driver check</h1>
          <p id="fetched">loading…</p>
          <p id="status">not clicked</p>
          <button id="go" onclick="document.getElementById('status').innerText = 'clicked ' + (++clicks)">Go</button>
          <div style="height: 1500px"></div><p>the bottom of a page longer than the viewport</p>
          <script>
            let clicks = 0;
            fetch('/api/figures').then(r => r.json())
              .then(j => { document.getElementById('fetched').innerText = 'accepted: ' + j.accepted; });
          </script>
        </body></html>
        """;

    private const string BrokenPage = """
        <!doctype html><html><body><p>broken</p>
        <script>console.error('dashboard said', 42);</script>
        <script>throw new Error('boom-from-page');</script>
        </body></html>
        """;

    [Fact]
    public async Task Launches_chromium_that_reads_fetched_text_clicks_and_takes_a_screenshot_then_stops_it()
    {
        using var site = TinySite.Start(new()
        {
            ["/"] = ("text/html", Page),
            // Slow on purpose: the wait has to wait, the load event alone is not enough.
            ["/api/figures"] = ("application/json", """{"accepted": 1234}"""),
        }, delayFor: "/api/figures");
        var started = Stopwatch.StartNew();
        var browser = await HeadlessChromium.StartAsync();
        output.WriteLine($"StartAsync took {started.ElapsedMilliseconds} ms");
        var pid = browser.Pid;
        var profile = browser.UserDataDir;
        int[] children;
        await using (browser)
        {
            Assert.True(IsRunning(pid), $"chromium {pid} is not running");
            var commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Split('\0');
            foreach (var flag in new[] { "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--user-data-dir=" + profile })
                Assert.Contains(flag, commandLine);

            var page = browser.Page;
            await page.GoToAsync(site.Url);
            Assert.Equal("driver check", await page.GetTitleAsync());
            await browser.WaitForAsync("document.getElementById('fetched').innerText.startsWith('accepted')", TimeSpan.FromSeconds(10), "the fetched figures");
            Assert.Equal("accepted: 1234", await InnerTextAsync(page, "#fetched"));
            Assert.Equal("not clicked", await InnerTextAsync(page, "#status"));
            Assert.Null(await page.QuerySelectorAsync("#no-such-element"));

            await page.ClickAsync("#go");
            await page.ClickAsync("#go");
            Assert.Equal("clicked 2", await InnerTextAsync(page, "#status"));
            Assert.Equal("driver check", await page.EvaluateExpressionAsync<string>("document.title"));
            Assert.Equal(42, await page.EvaluateExpressionAsync<int>("Promise.resolve(40 + 2)"));

            var png = Path.Combine(AppContext.BaseDirectory, "artifacts", "headless-chromium", "driver-check.png");
            Directory.CreateDirectory(Path.GetDirectoryName(png)!);
            await page.ScreenshotAsync(png, new ScreenshotOptions { FullPage = true });
            output.WriteLine($"screenshot: {png}");
            var bytes = await File.ReadAllBytesAsync(png);
            Assert.True(bytes.Length > 1000, $"screenshot is only {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            // IHDR: the full page at the fixed viewport's width, not just the viewport.
            Assert.Equal(HeadlessChromium.ViewportWidth, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.InRange(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), 1500, 3000);
            Assert.Empty(browser.ConsoleErrors);
            children = LiveDescendants(pid);
            Assert.NotEmpty(children); // zygotes, renderer, network service
        }
        Assert.False(IsRunning(pid), $"chromium {pid} still runs after DisposeAsync");
        var alive = children.Where(IsAlive).ToArray();
        Assert.True(alive.Length == 0, $"chromium's children {string.Join(", ", alive)} still run after DisposeAsync");
        Assert.False(Directory.Exists(profile), $"profile {profile} left behind");
    }

    [Fact]
    public async Task A_browser_that_PuppeteerSharp_lost_is_still_stopped_by_its_pid()
    {
        var browser = await HeadlessChromium.StartAsync();
        var pid = browser.Pid;
        var children = LiveDescendants(pid);
        // Without its connection PuppeteerSharp cannot ask chromium to close.
        browser.Browser.Disconnect();
        Assert.True(IsRunning(pid), $"chromium {pid} ended when PuppeteerSharp disconnected");
        var disposing = Stopwatch.StartNew();
        await browser.DisposeAsync();
        output.WriteLine($"DisposeAsync took {disposing.ElapsedMilliseconds} ms");
        Assert.False(IsRunning(pid), $"chromium {pid} still runs after DisposeAsync");
        var alive = children.Where(IsAlive).ToArray();
        Assert.True(alive.Length == 0, $"chromium's children {string.Join(", ", alive)} still run after DisposeAsync");
        // Sooner than PuppeteerSharp's own fallback, which waits for an exit that was never asked for.
        Assert.True(disposing.Elapsed < TimeSpan.FromSeconds(3), $"DisposeAsync took {disposing.Elapsed}");
        Assert.False(Directory.Exists(browser.UserDataDir), $"profile {browser.UserDataDir} left behind");
    }

    [Fact]
    public async Task Uncaught_errors_and_console_errors_are_collected()
    {
        using var site = TinySite.Start(new() { ["/"] = ("text/html", BrokenPage) });
        await using var browser = await HeadlessChromium.StartAsync();
        var page = browser.Page;
        await page.GoToAsync(site.Url);
        // Runtime events and the load event travel separately: give the errors a moment to arrive.
        var deadline = Stopwatch.StartNew();
        while (browser.ConsoleErrors.Count < 2 && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50);
        var errors = browser.ConsoleErrors;
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("dashboard said 42", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("boom-from-page", StringComparison.Ordinal) && e.StartsWith("uncaught", StringComparison.Ordinal));

        var jsError = await Assert.ThrowsAnyAsync<PuppeteerException>(() => page.EvaluateExpressionAsync("null.nope"));
        Assert.Contains("TypeError", jsError.Message, StringComparison.Ordinal);
        var clickError = await Assert.ThrowsAnyAsync<PuppeteerException>(() => page.ClickAsync("#missing"));
        Assert.Contains("#missing", clickError.Message, StringComparison.Ordinal);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => browser.WaitForAsync("false", TimeSpan.FromMilliseconds(300), "a thing that never comes"));
        Assert.Contains("a thing that never comes", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("broken", timeout.Message, StringComparison.Ordinal); // the page text
    }

    [Fact]
    public async Task A_missing_chromium_fails_the_start_and_says_how_to_install_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-chromium-" + Guid.NewGuid().ToString("N"), "chromium");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => HeadlessChromium.StartAsync(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/install-deps.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chromium_that_exits_at_once_fails_the_start_naming_it()
    {
        // Stands in for a broken install: an executable that is there but is no browser.
        var started = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => HeadlessChromium.StartAsync("/bin/false"));
        output.WriteLine(e.Message);
        Assert.Contains("/bin/false did not start", e.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(25), $"noticed only after {started.Elapsed}");
    }

    private static Task<string> InnerTextAsync(IPage page, string selector) =>
        page.EvaluateFunctionAsync<string>("s => document.querySelector(s).innerText", selector);

    private static bool IsRunning(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>Every process below <paramref name="root"/>, from the parent pids in /proc.</summary>
    private static int[] LiveDescendants(int root)
    {
        var parentOf = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && StatFields(pid) is { } fields)
                parentOf[pid] = int.Parse(fields[1]);
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
            foreach (var (pid, ppid) in parentOf)
                if (ppid == parent) { found.Add(pid); frontier.Enqueue(pid); }
        return found.ToArray();
    }

    /// <summary>Alive and not a zombie: on this machine an orphan's zombie may never be reaped.</summary>
    private static bool IsAlive(int pid) => StatFields(pid) is { } fields && fields[0] != "Z";

    /// <summary>The fields of /proc/PID/stat after the command name (state, ppid, ...), or null once it is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may itself hold spaces or parentheses.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>A loopback HTTP server with fixed answers, stopped with the test.</summary>
    private sealed class TinySite : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Dictionary<string, (string Type, string Body)> _pages;
        private readonly string? _delayFor;

        private TinySite(Dictionary<string, (string, string)> pages, string? delayFor, int port)
        {
            _pages = pages;
            _delayFor = delayFor;
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public static TinySite Start(Dictionary<string, (string, string)> pages, string? delayFor = null)
        {
            // FreePort can race with another process taking the port: try a few.
            for (var attempt = 1; ; attempt++)
            {
                try { return new TinySite(pages, delayFor, FreePort.Next()); }
                catch (HttpListenerException) when (attempt < 5) { }
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                _ = Task.Run(() => AnswerAsync(ctx));
            }
        }

        private async Task AnswerAsync(HttpListenerContext ctx)
        {
            var path = ctx.Request.Url?.AbsolutePath ?? "/";
            if (path == _delayFor) await Task.Delay(500);
            var (type, body) = _pages.TryGetValue(path, out var page) ? page : ("text/plain", "not found");
            ctx.Response.StatusCode = _pages.ContainsKey(path) ? 200 : 404;
            ctx.Response.ContentType = type + "; charset=utf-8";
            var bytes = Encoding.UTF8.GetBytes(body);
            try { await ctx.Response.OutputStream.WriteAsync(bytes); ctx.Response.Close(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { /* the test ended */ }
        }

        public void Dispose() => _listener.Close();
    }
}
