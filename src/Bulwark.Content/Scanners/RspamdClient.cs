using System.Net.Http.Headers;
using Bulwark.Policy.Content;

namespace Bulwark.Content.Scanners;

/// <summary>
/// rspamd's HTTP API: POST {baseUrl}/checkv2 with the raw message and the envelope in request
/// headers (see <see cref="RspamdRequest"/>). Never throws for rspamd's failures (only for the
/// caller's own cancellation): non-2xx, a timeout, a refused connection or malformed JSON
/// all become <see cref="ScanStatus.Unavailable"/>.
/// </summary>
public sealed class RspamdClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _checkUri;

    /// <param name="baseUrl">The normal worker, e.g. "http://127.0.0.1:11333".</param>
    /// <param name="http">A shared HttpClient (its own Timeout is not used); null creates one.</param>
    public RspamdClient(string baseUrl, TimeSpan timeout, HttpClient? http = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        BaseUrl = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute);
        _checkUri = new Uri(BaseUrl, "checkv2");
        Timeout = timeout;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    public Uri BaseUrl { get; }
    /// <summary>Covers connect, upload and rspamd's answer together.</summary>
    public TimeSpan Timeout { get; }

    public async Task<SpamScan> ScanAsync(Stream message, ScanContext context, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _checkUri);
            request.Content = new StreamContent(message);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            RspamdRequest.AddHeaders(request.Headers, context);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cts.Token);
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            if (!response.IsSuccessStatusCode)
                return Unavailable($"rspamd answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(body)}");
            return RspamdReply.Parse(body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable($"rspamd: no answer within {Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return Unavailable("rspamd: " + e.Message);
        }
        catch (IOException e)
        {
            return Unavailable("rspamd: " + e.Message);
        }
    }

    /// <summary>GET /ping: true when the worker answers "pong".</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            var text = await _http.GetStringAsync(new Uri(BaseUrl, "ping"), cts.Token);
            return text.Trim() == "pong";
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private static SpamScan Unavailable(string problem) => new(ScanStatus.Unavailable, Problem: problem);
    private static string Shorten(string s) => s.Length <= 200 ? s.Trim() : s[..200].Trim() + "…";
}
