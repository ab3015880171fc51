using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Dashboard;

/// <summary>The browser driver itself, against a tiny page served from the test: the dashboard tests
/// rely on it, so it must prove it sees JS-built text, clicks, screenshots and page errors.</summary>
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
    public async Task Reads_fetched_text_clicks_and_takes_a_screenshot()
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
        await using (browser)
        {
            await browser.NavigateAsync(site.Url);
            await browser.WaitForAsync("document.getElementById('fetched').innerText.startsWith('accepted')", TimeSpan.FromSeconds(10), "the fetched figures");
            Assert.Equal("accepted: 1234", await browser.TextAsync("#fetched"));
            Assert.Equal("not clicked", await browser.TextAsync("#status"));
            Assert.Equal("", await browser.TextAsync("#no-such-element"));

            await browser.ClickAsync("#go");
            await browser.ClickAsync("#go");
            Assert.Equal("clicked 2", await browser.TextAsync("#status"));
            Assert.Equal("driver check", (await browser.EvaluateAsync("document.title")).GetString());
            Assert.Equal(42, (await browser.EvaluateAsync("Promise.resolve(40 + 2)")).GetInt32());

            var png = await browser.ScreenshotAsync(Path.Combine(AppContext.BaseDirectory, "artifacts", "headless-chromium", "driver-check.png"));
            output.WriteLine($"screenshot: {png}");
            var bytes = await File.ReadAllBytesAsync(png);
            Assert.True(bytes.Length > 1000, $"screenshot is only {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            // IHDR: the full page, not just the viewport.
            Assert.Equal(HeadlessChromium.ViewportWidth, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.InRange(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), 1500, 3000);
            Assert.Empty(browser.ConsoleErrors);
        }
        Assert.False(IsRunning(pid), $"chromium {pid} still runs after DisposeAsync");
        Assert.False(Directory.Exists(profile), $"profile {profile} left behind");
    }

    [Fact]
    public async Task Uncaught_errors_and_console_errors_are_collected()
    {
        using var site = TinySite.Start(new() { ["/"] = ("text/html", BrokenPage) });
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(site.Url);
        // Runtime events and the load event travel separately: give the errors a moment to arrive.
        var deadline = Stopwatch.StartNew();
        while (browser.ConsoleErrors.Count < 2 && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50);
        var errors = browser.ConsoleErrors;
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("dashboard said 42", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("boom-from-page", StringComparison.Ordinal) && e.StartsWith("uncaught", StringComparison.Ordinal));

        var jsError = await Assert.ThrowsAsync<InvalidOperationException>(() => browser.EvaluateAsync("null.nope"));
        Assert.Contains("TypeError", jsError.Message, StringComparison.Ordinal);
        var clickError = await Assert.ThrowsAsync<InvalidOperationException>(() => browser.ClickAsync("#missing"));
        Assert.Contains("#missing", clickError.Message, StringComparison.Ordinal);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => browser.WaitForAsync("false", TimeSpan.FromMilliseconds(300), "a thing that never comes"));
        Assert.Contains("a thing that never comes", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("broken", timeout.Message, StringComparison.Ordinal); // the page text
    }

    private static bool IsRunning(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
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
