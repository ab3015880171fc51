using System.Diagnostics;
using Bulwark.Delivery.Spool;
using Xunit.Abstractions;

namespace Bulwark.Delivery.Tests;

/// <summary>Measures fsynced commits per second from 20 concurrent writers (printed; the assert is
/// only a floor that catches a serialising regression, not a benchmark gate).</summary>
public sealed class SpoolThroughputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Twenty_writers_commit_hundreds_per_second()
    {
        using var spool = new FileSpool(_dir.Path);
        var body = TestMail.Message(body: string.Concat(Enumerable.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n", 64)));
        const int writers = 20, each = 100;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
                await TestMail.CommitAsync(spool, body, id => TestMail.Envelope(id, "bob@example.com"));
        })));
        sw.Stop();
        var rate = writers * each / sw.Elapsed.TotalSeconds;
        output.WriteLine($"{writers * each} commits of {body.Length} bytes in {sw.ElapsedMilliseconds} ms: {rate:F0}/s");
        Assert.Equal(writers * each, spool.List().Count);
        Assert.True(rate > 100, $"only {rate:F0} commits/s");
    }
}
