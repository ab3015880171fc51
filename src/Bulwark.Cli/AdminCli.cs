using System.Net;
using System.Net.Http.Headers;

namespace Bulwark.Cli;

/// <summary>
/// Carries out a parsed command line other than "run the node": prints help or a usage error, or
/// makes the admin API call and prints the answer. Exit codes: <see cref="ExitCodes"/>.
/// </summary>
public static class AdminCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static Task<int> RunAsync(ParsedCommandLine commandLine) =>
        RunAsync(commandLine, Console.Out, Console.Error, new SocketsHttpHandler());

    /// <summary>The same, writing to the given streams and sending through <paramref name="http"/>
    /// (a fake in tests), which it disposes.</summary>
    public static async Task<int> RunAsync(ParsedCommandLine commandLine, TextWriter output, TextWriter error, HttpMessageHandler http)
    {
        using var handler = http;
        switch (commandLine)
        {
            case ShowText show:
                output.Write(show.Text);
                return ExitCodes.Done;
            case UsageError usage:
                error.Write($"{usage.Message}\n\n{usage.Usage}");
                return ExitCodes.Usage;
            case AdminCall call:
                return await CallAsync(call, output, error, handler);
            default:
                throw new ArgumentException($"{commandLine} is not a CLI command; the node runs it", nameof(commandLine));
        }
    }

    private static async Task<int> CallAsync(AdminCall call, TextWriter output, TextWriter error, HttpMessageHandler handler)
    {
        using var message = new HttpRequestMessage(call.Request.Method, call.Target.BaseUrl + call.Request.Path);
        if (call.Target.Token is { } token) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout };
        string body;
        try
        {
            using var response = await http.SendAsync(message);
            body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                var hint = response.StatusCode == HttpStatusCode.Unauthorized ? " (give --token or set BULWARK_ADMIN_TOKEN)" : "";
                var problem = call.Json ? body.TrimEnd() : CliOutput.Problem(body);
                error.Write($"bulwark: {call.Command} failed ({(int)response.StatusCode}){hint}: {problem}\n");
                return ExitCodes.Refused;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            error.Write($"bulwark: cannot reach the admin API at {call.Target.BaseUrl}: {e.Message}\n");
            return ExitCodes.Refused;
        }
        output.Write(call.Json ? body : Readable(call.Request.View, body));
        return ExitCodes.Done;
    }

    /// <summary>The answer as its view shows it; an answer of another shape (a proxy's page, an
    /// older node) as it came, rather than an exception.</summary>
    private static string Readable(CliView view, string body)
    {
        try
        {
            return CliOutput.Render(view, body);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body;
        }
    }
}
