using Bulwark.EndToEnd.Tests.Farm;
using Bulwark.EndToEnd.Tests.Infrastructure;
using Bulwark.Tests.Shared;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace Bulwark.EndToEnd.Tests.Observability;

/// <summary>
/// The dashboard as an operator sees it: a real 2-node farm on PostgreSQL, the page loaded by
/// node 1 in headless Chromium, showing both members, shards hosted, a refusal this test caused
/// through node 2, a session held open on node 2, and a block lifted with the page's button.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_dashboard_of_one_node_shows_the_whole_farm_live()
    {
        await using var farm = await LocalFarm.StartAsync(2);
        const string refusedClient = "127.0.0.51";
        const string idleClient = "127.0.0.52";
        const string blockedIp = "127.0.0.53";

        // A verdict caused through node 2: 550 5.1.1 at RCPT.
        using (var client = await RawSmtpClient.ConnectAsync(farm[2].SmtpPort, refusedClient))
        {
            Assert.StartsWith("220", await client.ReadReplyAsync());
            Assert.StartsWith("250", await client.CommandAsync("EHLO dashboard.test"));
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<someone@sender.test>"));
            Assert.StartsWith("550 5.1.1", await client.CommandAsync("RCPT TO:<nobody-here@example.test>"));
            await client.CommandAsync("QUIT");
        }
        // A session left open on node 2, mid-transaction.
        using var idle = await RawSmtpClient.ConnectAsync(farm[2].SmtpPort, idleClient);
        Assert.StartsWith("220", await idle.ReadReplyAsync());
        Assert.StartsWith("250", await idle.CommandAsync("EHLO idle.test"));
        Assert.StartsWith("250", await idle.CommandAsync("MAIL FROM:<idle@sender.test>"));
        var (blockExit, blockOutput) = await farm[1].CliAsync("block", blockedIp, "--minutes", "30", "--reason", "dashboard test");
        Assert.True(blockExit == 0, blockOutput);

        await using var browser = await HeadlessChromium.StartAsync();
        var page = browser.Page;
        await page.GoToAsync(farm[1].AdminUrl + "/");

        foreach (var node in farm.Nodes)
            await browser.WaitForAsync($"!!document.querySelector('#members tr[data-address=\"{node.ClusterAddress}\"]')", Wait,
                $"member {node.ClusterAddress} listed");
        await browser.WaitForAsync(
            "[...document.querySelectorAll('#members tr[data-address]')].every(r => r.innerText.includes('Up'))", Wait, "both members Up");
        // Shards hosted: every node row of the shards table has at least one "N / M" cell with N > 0.
        await browser.WaitForAsync("""
            (() => { const rows = [...document.querySelectorAll('#shards tr[data-node]')];
                     return rows.length === 2 && rows.every(r => [...r.querySelectorAll('td[data-type]')]
                         .some(td => parseInt(td.innerText.split('/')[0], 10) > 0)); })()
            """, Wait, "non-zero shard counts on both nodes");
        await browser.WaitForAsync(
            "(() => { const r = document.querySelector('#verdict-totals tr[data-verdict=\"rcpt 550 5.1.1\"]'); return !!r && /\\b[1-9]\\d*\\b/.test(r.innerText.replace('550','').replace('5.1.1','')); })()",
            Wait, "the rcpt 550 5.1.1 verdict this test caused");
        await browser.WaitForAsync("!!document.querySelector('#verdict-chart svg')", Wait, "the verdict chart");
        await browser.WaitForAsync($"document.querySelector('#sessions').innerText.includes('{idleClient}')", Wait, "the open session on node 2");
        await browser.WaitForAsync($"!!document.querySelector('#blocks tr[data-ip=\"{blockedIp}\"]')", Wait, "the blocked IP");
        Assert.Contains("dashboard test", await page.EvaluateFunctionAsync<string>(
            "s => document.querySelector(s).innerText", $"#blocks tr[data-ip=\"{blockedIp}\"]"));

        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard", "two-node-farm.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        output.WriteLine($"dashboard screenshot: {screenshot}");
        Console.WriteLine($"dashboard screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        // The page's Unblock button lifts the block farm-wide (the confirmation is accepted).
        var confirmations = new List<string>();
        page.Dialog += async (_, e) =>
        {
            lock (confirmations) confirmations.Add($"{e.Dialog.DialogType}: {e.Dialog.Message}");
            await e.Dialog.Accept();
        };
        await page.ClickAsync($"#blocks tr[data-ip=\"{blockedIp}\"] [data-action=\"unblock\"]");
        await browser.WaitForAsync($"!document.querySelector('#blocks tr[data-ip=\"{blockedIp}\"]')", Wait, "the block gone from the page");
        var deadline = DateTime.UtcNow + Wait;
        string blocks;
        do
        {
            (_, blocks) = await farm[2].CliAsync("blocks");
            if (!blocks.Contains(blockedIp)) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.DoesNotContain(blockedIp, blocks);
        lock (confirmations) Assert.Equal($"Confirm: Unblock {blockedIp} across the farm?", Assert.Single(confirmations));

        Assert.Empty(browser.ConsoleErrors);
    }
}
