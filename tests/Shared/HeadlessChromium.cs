using System.Diagnostics;
using PuppeteerSharp;

namespace Bulwark.Tests.Shared;

/// <summary>
/// Debian's chromium started headless through PuppeteerSharp, for the end-to-end tests of the web
/// dashboard: one browser process per instance with a fresh profile in a temporary folder, and its
/// first page. The executable is always the one from the chromium package: nothing here fetches a
/// browser, because nothing may be downloaded at test time. A missing or broken chromium throws
/// (tests fail, never skip): run scripts/install-deps.sh (package chromium). DisposeAsync closes the
/// browser, kills it by its pid if closing fails, and deletes the profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>What the chromium package installs and scripts/install-deps.sh checks for.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";
    /// <summary>The page's viewport in CSS pixels, fixed so layouts and screenshots do not vary.</summary>
    public const int ViewportWidth = 1400;
    public const int ViewportHeight = 1000;

    // The real binary behind Debian's /usr/bin/chromium shell wrapper. The wrapper adds flags of its
    // own from /etc/chromium.d (remote extensions, gpu rasterization); starting the binary keeps
    // every run the same. It is the same process either way: the wrapper execs it.
    private const string ChromiumBinary = "/usr/lib/chromium/chromium";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    // This closed network refuses chromium's own connections (updates, sync, metrics); these flags
    // keep it from trying. PuppeteerSharp passes some of them itself: repeating them is harmless
    // and keeps this list true whatever its defaults become.
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--no-default-browser-check",
    ];

    private readonly List<string> _consoleErrors = [];
    private int _disposed;

    private HeadlessChromium(IBrowser browser, IPage page, int pid, string userDataDir)
    {
        Browser = browser;
        Page = page;
        Pid = pid;
        UserDataDir = userDataDir;
        page.Console += (_, e) =>
        {
            // Only the page's own console calls: chromium's log entries (a 404 for /favicon.ico, say)
            // come through this event too, as messages without arguments.
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Assert && e.Message.Args is { Count: > 0 })
                AddError($"console.{e.Message.Type.ToString().ToLowerInvariant()}: {e.Message.Text}");
        };
        page.PageError += (_, e) => AddError("uncaught: " + e.Message);
    }

    public IBrowser Browser { get; }
    /// <summary>The browser's first tab, with the fixed viewport.</summary>
    public IPage Page { get; }
    public int Pid { get; }
    /// <summary>The fresh profile folder; deleted by DisposeAsync.</summary>
    public string UserDataDir { get; }

    /// <summary>Console errors (console.error, console.assert) and uncaught exceptions seen on the page, in order.</summary>
    public IReadOnlyList<string> ConsoleErrors { get { lock (_consoleErrors) return _consoleErrors.ToArray(); } }

    /// <summary>Starts chromium (by default the chromium package's) and returns its first page. Throws
    /// InvalidOperationException, naming the executable and why, when it is missing or does not start
    /// within 30 s.</summary>
    public static async Task<HeadlessChromium> StartAsync(string executablePath = ChromiumPath)
    {
        if (!File.Exists(executablePath))
            throw new InvalidOperationException($"{executablePath} is missing: run scripts/install-deps.sh (package chromium)");
        var binary = executablePath == ChromiumPath && File.Exists(ChromiumBinary) ? ChromiumBinary : executablePath;
        var profile = Path.Combine(Path.GetTempPath(), "bulwark-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(profile);
        var launcher = new Launcher();
        IBrowser? browser = null;
        try
        {
            browser = await launcher.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = binary,
                Browser = SupportedBrowser.Chromium,
                HeadlessMode = HeadlessMode.True,
                UserDataDir = profile,
                Args = Flags,
                Timeout = (int)StartTimeout.TotalMilliseconds,
                DefaultViewport = new ViewPortOptions { Width = ViewportWidth, Height = ViewportHeight, DeviceScaleFactor = 1 },
            });
            var pid = browser.Process?.Id ?? throw new InvalidOperationException("PuppeteerSharp reported no browser process");
            var pages = await browser.PagesAsync();
            var page = pages.Length > 0 ? pages[0] : await browser.NewPageAsync();
            return new HeadlessChromium(browser, page, pid, profile);
        }
        catch (Exception e)
        {
            // Whatever got started goes, whether PuppeteerSharp still knows about it or not.
            var started = browser?.Process ?? launcher.Process?.Process;
            if (browser is not null) await TryCloseAsync(browser);
            if (started is not null) await KillTreeAsync(started.Id);
            DeleteProfile(profile);
            throw new InvalidOperationException($"{binary} did not start as a headless browser: {e.Message}", e);
        }
    }

    /// <summary>Waits until a JS expression is truthy, polling every 100 ms. A timeout names
    /// <paramref name="what"/> and carries the page's text, so a failing test says what the page showed
    /// instead. An expression that throws counts as false (the page may not have built what it reads yet).</summary>
    public async Task WaitForAsync(string jsExpression, TimeSpan timeout, string what)
    {
        var guarded = $"(() => {{ try {{ return !!({jsExpression}); }} catch {{ return false; }} }})()";
        try
        {
            await Page.WaitForExpressionAsync(guarded, new WaitForFunctionOptions { Timeout = (int)timeout.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (WaitTaskTimeoutException)
        {
            throw new TimeoutException(
                $"timed out after {timeout.TotalSeconds:0.#} s waiting for {what} ({jsExpression}){await EvaluationErrorAsync(jsExpression)}\npage text:\n{await PageTextAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        // Without its connection PuppeteerSharp cannot ask chromium to close: stop it by pid at once.
        if (!Browser.IsConnected) await KillTreeAsync(Pid);
        await TryCloseAsync(Browser);
        // A normal close ends the whole tree; this is for a close that failed or timed out.
        await KillTreeAsync(Pid);
        DeleteProfile(UserDataDir);
    }

    private void AddError(string line) { lock (_consoleErrors) _consoleErrors.Add(line); }

    private async Task<string> EvaluationErrorAsync(string jsExpression)
    {
        try { await Page.EvaluateExpressionAsync<bool>($"!!({jsExpression})"); return ""; }
        catch (PuppeteerException e) { return "\nlast evaluation error: " + e.Message; }
    }

    private async Task<string> PageTextAsync()
    {
        try
        {
            var text = await Page.EvaluateExpressionAsync<string>("document.body ? document.body.innerText : '(no body)'");
            return text.Length <= 2000 ? text : text[..2000] + "…";
        }
        catch (PuppeteerException e) { return "(page text unavailable: " + e.Message + ")"; }
    }

    private static async Task TryCloseAsync(IBrowser browser)
    {
        try { await browser.CloseAsync().WaitAsync(CloseTimeout); }
        catch (Exception e) when (e is PuppeteerException or TimeoutException or InvalidOperationException or IOException) { /* killed by pid next */ }
    }

    private static async Task KillTreeAsync(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            // The tree: the browser forks zygotes, renderers, gpu and network services.
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(CloseTimeout);
            await process.WaitForExitAsync(wait.Token);
        }
        catch (ArgumentException) { /* already gone */ }
        catch (InvalidOperationException) { /* exited meanwhile */ }
        catch (OperationCanceledException) { /* reported by the tests' process checks, not here */ }
    }

    private static void DeleteProfile(string dir)
    {
        // Chromium's last children may still be closing files for a moment after it exits.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); return; }
            catch (IOException) { Thread.Sleep(100); }
            catch (UnauthorizedAccessException) { return; }
        }
    }
}
