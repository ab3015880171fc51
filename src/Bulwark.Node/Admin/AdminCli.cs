using System.Net.Http;

namespace Bulwark.Node.Admin;

/// <summary>
/// The same executable as a client of a node's admin API:
///   bulwark blocks | block IP [--minutes N] [--reason TEXT] | unblock IP | ip-status IP   [--admin URL]
///   bulwark quarantine list | show ID | release ID | delete ID
/// Exit codes: 0 done, 1 the node refused or could not be reached, 2 bad usage.
/// </summary>
public static class AdminCli
{
    public static readonly string[] Commands = ["blocks", "block", "unblock", "ip-status", "quarantine", "cluster", "shards"];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ParseOptions(args[1..], out var positional);
        var admin = options.GetValueOrDefault("admin")
            ?? Environment.GetEnvironmentVariable("BULWARK_ADMIN_URL")
            ?? "http://127.0.0.1:8025";
        HttpRequestMessage request;
        switch (args[0])
        {
            case "blocks" when positional.Count == 0:
                request = new HttpRequestMessage(HttpMethod.Get, $"{admin}/admin/blocks");
                break;
            case "ip-status" when positional.Count == 1:
                request = new HttpRequestMessage(HttpMethod.Get, $"{admin}/admin/ip/{Uri.EscapeDataString(positional[0])}");
                break;
            case "block" when positional.Count == 1:
                var query = $"minutes={Uri.EscapeDataString(options.GetValueOrDefault("minutes") ?? "60")}" +
                            $"&reason={Uri.EscapeDataString(options.GetValueOrDefault("reason") ?? "blocked by operator")}";
                request = new HttpRequestMessage(HttpMethod.Post, $"{admin}/admin/blocks/{Uri.EscapeDataString(positional[0])}?{query}");
                break;
            case "unblock" when positional.Count == 1:
                request = new HttpRequestMessage(HttpMethod.Delete, $"{admin}/admin/blocks/{Uri.EscapeDataString(positional[0])}");
                break;
            case "cluster" or "shards" when positional.Count == 0:
                request = new HttpRequestMessage(HttpMethod.Get, $"{admin}/admin/{args[0]}");
                break;
            case "quarantine" when positional is ["list"]:
                request = new HttpRequestMessage(HttpMethod.Get, $"{admin}/admin/quarantine");
                break;
            case "quarantine" when positional is ["show", var id]:
                request = new HttpRequestMessage(HttpMethod.Get, $"{admin}/admin/quarantine/{Uri.EscapeDataString(id)}");
                break;
            case "quarantine" when positional is ["release", var id]:
                request = new HttpRequestMessage(HttpMethod.Post, $"{admin}/admin/quarantine/{Uri.EscapeDataString(id)}/release");
                break;
            case "quarantine" when positional is ["delete", var id]:
                request = new HttpRequestMessage(HttpMethod.Delete, $"{admin}/admin/quarantine/{Uri.EscapeDataString(id)}");
                break;
            default:
                Console.Error.WriteLine("usage: bulwark blocks | block IP [--minutes N] [--reason TEXT] | unblock IP | ip-status IP\n" +
                                        "       bulwark quarantine list | show ID | release ID | delete ID\n" +
                                        "       bulwark cluster | shards   [--admin URL]");
                return 2;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                Console.Write(body);
                return 0;
            }
            Console.Error.Write($"bulwark: {args[0]} failed ({(int)response.StatusCode}): {body}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"bulwark: cannot reach the admin API at {admin}: {e.Message}");
            return 1;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args, out List<string> positional)
    {
        var options = new Dictionary<string, string>();
        positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
                options[args[i][2..]] = args[++i];
            else
                positional.Add(args[i]);
        }
        return options;
    }
}
