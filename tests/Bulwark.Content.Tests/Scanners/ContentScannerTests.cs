using System.Diagnostics;
using Bulwark.Content.Scanners;
using Bulwark.Policy.Content;
using Bulwark.Tests.Shared;

namespace Bulwark.Content.Tests.Scanners;

/// <summary>Both real scanners together behind their breakers.</summary>
public sealed class ContentScannerTests(ClamdFixture clamd, RspamdFixture rspamd) : IClassFixture<ClamdFixture>, IClassFixture<RspamdFixture>
{
    private ContentScanner Scanner() => new(new ContentScannerOptions { ClamdEndpoint = clamd.Server.Endpoint, RspamdUrl = rspamd.Server.Url });

    [Fact]
    public async Task Both_scanners_answer_for_one_message()
    {
        using var scanner = Scanner();
        Assert.True(scanner.Enabled);
        var report = await scanner.ScanAsync(TestMessages.Opener(TestMessages.Clean), TestMessages.Context(), CancellationToken.None);
        Assert.Equal(new VirusScan(ScanStatus.Done), report.Virus);
        Assert.Equal(ScanStatus.Done, report.Spam.Status);
        Assert.Equal("no action", report.Spam.Action);
    }

    [Fact]
    public async Task A_virus_and_spam_are_both_reported()
    {
        using var scanner = Scanner();
        var virus = await scanner.ScanAsync(TestMessages.Opener(TestMessages.EicarAttachment()), TestMessages.Context(), CancellationToken.None);
        Assert.True(virus.Virus.Infected);
        var spam = await scanner.ScanAsync(TestMessages.Opener(TestMessages.Gtube), TestMessages.Context(), CancellationToken.None);
        Assert.False(spam.Virus.Infected);
        Assert.Equal("reject", spam.Spam.Action);
    }

    [Fact]
    public async Task Each_scanner_opens_its_own_stream()
    {
        var opened = 0;
        using var scanner = Scanner();
        var report = await scanner.ScanAsync(() => { Interlocked.Increment(ref opened); return new MemoryStream(TestMessages.Clean); },
            TestMessages.Context(), CancellationToken.None);
        Assert.Equal(2, opened);
        Assert.Equal(ScanStatus.Done, report.Virus.Status);
        Assert.Equal(ScanStatus.Done, report.Spam.Status);
    }

    [Fact]
    public async Task Nothing_configured_means_not_enabled_and_not_configured()
    {
        using var scanner = new ContentScanner(new ContentScannerOptions());
        Assert.False(scanner.Enabled);
        var report = await scanner.ScanAsync(TestMessages.Opener(TestMessages.Clean), TestMessages.Context(), CancellationToken.None);
        Assert.Equal(new ScanReport(new VirusScan(ScanStatus.NotConfigured), new SpamScan(ScanStatus.NotConfigured)), report);
    }

    [Fact]
    public async Task A_message_store_that_throws_is_unavailable_not_an_exception()
    {
        using var scanner = Scanner();
        var report = await scanner.ScanAsync(() => throw new IOException("disk gone"), TestMessages.Context(), CancellationToken.None);
        Assert.Equal(ScanStatus.Unavailable, report.Virus.Status);
        Assert.Equal(ScanStatus.Unavailable, report.Spam.Status);
        Assert.Contains("disk gone", report.Virus.Problem);
    }

    [Fact]
    public async Task An_oversized_message_does_not_open_the_breaker()
    {
        using var small = new ClamdServer(streamMaxLength: "10K").Start();
        using var scanner = new ContentScanner(new ContentScannerOptions { ClamdEndpoint = small.Endpoint, BreakerFailureThreshold = 1 });
        for (var i = 0; i < 3; i++)
        {
            var report = await scanner.ScanAsync(TestMessages.Opener(TestMessages.EicarAttachment(paddingBytes: 100_000)), TestMessages.Context(), CancellationToken.None);
            Assert.Equal(ScanStatus.Unavailable, report.Virus.Status);
            Assert.NotEqual(ContentScanner.CircuitOpenProblem, report.Virus.Problem);
        }
        Assert.Equal(CircuitState.Closed, scanner.ClamdBreaker.State);
    }
}

/// <summary>Scanners stopped in the middle of a run, then started again: the breakers open, refuse
/// at once, and let the first call after the cool-down through. Own instances (they get killed).</summary>
public sealed class ScannerRecoveryTests
{
    [Fact]
    public async Task Stopped_scanners_are_unavailable_quickly_then_short_circuited_then_recover()
    {
        using var clamd = new ClamdServer().Start();
        using var rspamd = new RspamdServer().Start();
        var clock = new Akka.TestKit.TestScheduler(Akka.Configuration.ConfigurationFactory.Default(), Akka.Event.NoLogger.Instance);
        using var scanner = new ContentScanner(new ContentScannerOptions
        {
            ClamdEndpoint = clamd.Endpoint, RspamdUrl = rspamd.Url,
            BreakerFailureThreshold = 3, BreakerCoolDown = TimeSpan.FromSeconds(30),
        }, scheduler: clock);
        Task<ScanReport> Scan(byte[] m) => scanner.ScanAsync(TestMessages.Opener(m), TestMessages.Context(), CancellationToken.None);

        var before = await Scan(TestMessages.EicarAttachment());
        Assert.True(before.Virus.Infected);
        Assert.Equal(ScanStatus.Done, before.Spam.Status);

        clamd.Stop();
        rspamd.Stop();

        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            var down = await Scan(TestMessages.Clean);
            Assert.Equal(ScanStatus.Unavailable, down.Virus.Status);
            Assert.Equal(ScanStatus.Unavailable, down.Spam.Status);
            Assert.NotEqual(ContentScanner.CircuitOpenProblem, down.Virus.Problem);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
        }
        Assert.Equal(CircuitState.Open, scanner.ClamdBreaker.State);
        Assert.Equal(CircuitState.Open, scanner.RspamdBreaker.State);

        var refused = await Scan(TestMessages.Clean);
        Assert.Equal(ContentScanner.CircuitOpenProblem, refused.Virus.Problem);
        Assert.Equal(ContentScanner.CircuitOpenProblem, refused.Spam.Problem);
        Assert.Equal(new CircuitBreakerCounters(Failures: 3, Opens: 1, ShortCircuits: 1), scanner.ClamdBreaker.Counters);
        Assert.Equal(new CircuitBreakerCounters(Failures: 3, Opens: 1, ShortCircuits: 1), scanner.RspamdBreaker.Counters);

        clamd.Start();
        rspamd.Start();
        // Back, but the cool-down has not passed: still refused without trying.
        Assert.Equal(ContentScanner.CircuitOpenProblem, (await Scan(TestMessages.Clean)).Virus.Problem);

        clock.Advance(TimeSpan.FromSeconds(30));
        var after = await Scan(TestMessages.EicarAttachment());
        Assert.True(after.Virus.Infected, after.Virus.Problem);
        Assert.Equal(ScanStatus.Done, after.Spam.Status);
        Assert.Equal(CircuitState.Closed, scanner.ClamdBreaker.State);
        Assert.Equal(CircuitState.Closed, scanner.RspamdBreaker.State);
    }
}
