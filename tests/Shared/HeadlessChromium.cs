using System.Diagnostics;
using System.Text.Json;

namespace Bulwark.Tests.Shared;

/// <summary>
/// A real headless Chromium driven over the DevTools protocol, for end-to-end tests of the web
/// dashboard: one browser process per instance (fresh profile in a temporary folder, stopped by its
/// pid), one page, one CDP websocket. No npm or Playwright: the machine has Debian's chromium and
/// nothing may be downloaded at test time. Missing binary fails loudly: run scripts/install-deps.sh
/// (package chromium). The CDP plumbing is in HeadlessChromium.Cdp.cs, the launch in
/// HeadlessChromium.Launch.cs.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    /// <summary>The page's viewport in CSS pixels, fixed so layouts and screenshots do not vary.</summary>
    public const int ViewportWidth = 1400;
    public const int ViewportHeight = 1000;
    private static readonly TimeSpan DefaultNavigationTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _userDataDir;
    private readonly StderrTail _stderr;
    private readonly List<string> _consoleErrors = [];
    private int _disposed;

    public int Pid => _process.Id;
    /// <summary>The fresh profile folder; deleted by DisposeAsync.</summary>
    public string UserDataDir => _userDataDir;

    /// <summary>Console errors (console.error) and uncaught exceptions seen on the page, in order.</summary>
    public IReadOnlyList<string> ConsoleErrors { get { lock (_consoleErrors) return _consoleErrors.ToArray(); } }

    /// <summary>Navigates and waits for the load event (not for fetches the page starts after it:
    /// use <see cref="WaitForAsync"/> for those).</summary>
    public async Task NavigateAsync(string url, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultNavigationTimeout;
        // Registered before the command so a fast page cannot fire its load event unseen.
        var loaded = NextEventAsync("Page.loadEventFired");
        var result = await SendAsync("Page.navigate", new { url }, limit);
        if (result.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
            throw new InvalidOperationException($"navigating to {url} failed: {text}");
        // A same-document navigation (only the #fragment changes) has no loader and no load event.
        if (!result.TryGetProperty("loaderId", out _)) return;
        if (await Task.WhenAny(loaded, Task.Delay(limit)) != loaded)
            throw new TimeoutException($"no load event within {limit.TotalSeconds:0.#} s after navigating to {url}");
        await loaded;
    }

    /// <summary>Runtime.evaluate in the page, awaiting a returned promise; the value comes back as JSON
    /// (ValueKind Undefined for undefined). A JS exception becomes an InvalidOperationException with its text.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true, userGesture = true });
        if (result.TryGetProperty("exceptionDetails", out var details))
            throw new InvalidOperationException($"JS error: {DescribeException(details)}\nin: {Shorten(expression, 300)}");
        return result.TryGetProperty("result", out var r) && r.TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>innerText of the first element matching the selector, "" if none does.</summary>
    public async Task<string> TextAsync(string cssSelector)
    {
        var value = await EvaluateAsync($"(() => {{ const e = document.querySelector({Js(cssSelector)}); return e ? e.innerText : ''; }})()");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
    }

    /// <summary>Polls the expression every 100 ms until it is truthy. A timeout names <paramref name="what"/>
    /// and carries the page's text, so a failing test says what the page showed instead.</summary>
    public async Task WaitForAsync(string jsBooleanExpression, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        string? lastError = null;
        while (true)
        {
            try
            {
                var ok = await EvaluateAsync($"!!({jsBooleanExpression})");
                if (ok.ValueKind == JsonValueKind.True) return;
                lastError = null;
            }
            // The expression may throw until the page has built what it looks at; keep polling.
            catch (InvalidOperationException e) when (_connectionLost is null) { lastError = e.Message; }
            if (deadline.Elapsed >= timeout) break;
            await Task.Delay(100);
        }
        string body;
        try { body = Shorten((await EvaluateAsync("document.body ? document.body.innerText : '(no body)'")).GetString() ?? "", 2000); }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException) { body = "(page text unavailable: " + e.Message + ")"; }
        var error = lastError is null ? "" : $"\nlast evaluation error: {lastError}";
        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what} ({jsBooleanExpression}){error}\npage text:\n{body}");
    }

    /// <summary>element.click() on the first match; throws naming the selector when nothing matches.</summary>
    public Task ClickAsync(string cssSelector) => EvaluateAsync(
        $"(() => {{ const e = document.querySelector({Js(cssSelector)}); if (!e) throw new Error('no element matches ' + {Js(cssSelector)}); e.click(); }})()");

    /// <summary>A PNG of the whole page (at least the 1400x1000 viewport, longer pages in full), written to <paramref name="path"/>
    /// (folders created); returns the full path.</summary>
    public async Task<string> ScreenshotAsync(string path)
    {
        var metrics = await SendAsync("Page.getLayoutMetrics");
        var size = metrics.GetProperty("cssContentSize");
        // Capped so a runaway page cannot ask for a gigantic bitmap.
        var width = Math.Clamp(Math.Ceiling(size.GetProperty("width").GetDouble()), ViewportWidth, 4000);
        var height = Math.Clamp(Math.Ceiling(size.GetProperty("height").GetDouble()), ViewportHeight, 16000);
        var shot = await SendAsync("Page.captureScreenshot", new
        {
            format = "png",
            captureBeyondViewport = true,
            clip = new { x = 0, y = 0, width, height, scale = 1 },
        }, TimeSpan.FromSeconds(60));
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
        return full;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await CloseConnectionAsync();
        await KillAsync(_process);
        DeleteProfile(_userDataDir);
    }

    private void OnConsoleEvent(string method, JsonElement p)
    {
        string? line = method switch
        {
            "Runtime.consoleAPICalled" when p.GetProperty("type").GetString() is "error" or "assert" =>
                "console." + p.GetProperty("type").GetString() + ": " + string.Join(" ", p.GetProperty("args").EnumerateArray().Select(DescribeRemote)),
            "Runtime.exceptionThrown" => "uncaught: " + DescribeException(p.GetProperty("exceptionDetails")),
            _ => null,
        };
        if (line is not null) lock (_consoleErrors) _consoleErrors.Add(line);
    }

    private static string DescribeException(JsonElement details)
    {
        var text = details.TryGetProperty("exception", out var ex) && ex.TryGetProperty("description", out var d)
            ? d.GetString() : details.TryGetProperty("text", out var t) ? t.GetString() : null;
        var where = details.TryGetProperty("url", out var url) && details.TryGetProperty("lineNumber", out var line)
            ? $" (at {url.GetString()}:{line.GetInt32() + 1})" : "";
        return (text ?? details.GetRawText()) + where;
    }

    private static string DescribeRemote(JsonElement arg) =>
        arg.TryGetProperty("value", out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())
        : arg.TryGetProperty("description", out var d) ? d.GetString() ?? ""
        : arg.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";

    /// <summary>A JS string literal: JSON string syntax is valid JS.</summary>
    private static string Js(string s) => JsonSerializer.Serialize(s);

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    /// <summary>The last lines chromium wrote to stderr, for error messages (it is chatty: dbus, gpu...).</summary>
    private sealed class StderrTail(int lines)
    {
        private readonly Queue<string> _lines = new();
        public void Add(string? line)
        {
            if (line is null) return;
            lock (_lines) { _lines.Enqueue(line); while (_lines.Count > lines) _lines.Dequeue(); }
        }
        public override string ToString() { lock (_lines) return string.Join('\n', _lines); }
    }
}
