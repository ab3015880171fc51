using System.Net;
using System.Net.Http.Headers;

namespace Bulwark.Node.Admin;

/// <summary>
/// The same executable as a client of a node's admin API (see <see cref="AdminCliCommands.Usage"/>).
/// Exit codes: 0 done, 1 the node refused or could not be reached, 2 bad usage.
/// </summary>
public static class AdminCli
{
    public static string[] Commands => AdminCliCommands.Names;

    public static async Task<int> RunAsync(string[] args)
    {
        var (positional, options) = AdminCliCommands.Split(args[1..]);
        var request = AdminCliCommands.Parse(args[0], positional, options);
        if (request is null)
        {
            Console.Error.WriteLine(AdminCliCommands.Usage);
            return 2;
        }
        var admin = (options.GetValueOrDefault("admin") ?? Environment.GetEnvironmentVariable("BULWARK_ADMIN_URL") ?? "http://127.0.0.1:8025").TrimEnd('/');
        var token = options.GetValueOrDefault("token") ?? Environment.GetEnvironmentVariable("BULWARK_ADMIN_TOKEN");
        using var message = new HttpRequestMessage(request.Method, admin + request.Path);
        if (!string.IsNullOrEmpty(token)) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        try
        {
            using var response = await http.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                var hint = response.StatusCode == HttpStatusCode.Unauthorized ? " (give --token or set BULWARK_ADMIN_TOKEN)" : "";
                Console.Error.Write($"bulwark: {args[0]} failed ({(int)response.StatusCode}){hint}: {body}");
                return 1;
            }
            Console.Write(options.ContainsKey("json") ? body : AdminCliOutput.Render(request.View, body));
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"bulwark: cannot reach the admin API at {admin}: {e.Message}");
            return 1;
        }
    }
}
