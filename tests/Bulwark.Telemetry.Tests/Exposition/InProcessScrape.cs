using System.Diagnostics.Metrics;
using Bulwark.Admin.Http;
using Bulwark.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Telemetry.Tests.Exposition;

/// <summary>A catalog on a Meter of its own and the node's /metrics pipeline over it, invoked
/// directly with an <see cref="HttpContext"/>: the real exporter, no socket.</summary>
public sealed class InProcessScrape : IDisposable
{
    private readonly MetricsEndpoint _endpoint;
    private readonly RequestDelegate _pipeline;
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private readonly Meter? _ownMeter;

    /// <summary>A fresh catalog, so tests running side by side never see each other's series.</summary>
    public InProcessScrape() : this(new MetricCatalog(new Meter("Bulwark.Tests." + Guid.NewGuid().ToString("N"))), ownsMeter: true)
    {
    }

    public InProcessScrape(MetricCatalog catalog) : this(catalog, ownsMeter: false)
    {
    }

    private InProcessScrape(MetricCatalog catalog, bool ownsMeter)
    {
        Catalog = catalog;
        _ownMeter = ownsMeter ? catalog.Meter : null;
        _endpoint = new MetricsEndpoint(catalog);
        var app = new ApplicationBuilder(_services);
        _endpoint.MapTo(app);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        _pipeline = app.Build();
    }

    public MetricCatalog Catalog { get; }

    public async Task<string> TextAsync() => (await GetAsync()).Body;

    public async Task<(int Status, string? ContentType, string Body)> GetAsync(
        string path = "/metrics", string method = "GET", string? accept = null, string? acceptEncoding = null)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = method;
        context.Request.Path = path;
        if (accept is not null) context.Request.Headers.Accept = accept;
        if (acceptEncoding is not null) context.Request.Headers.AcceptEncoding = acceptEncoding;
        using var body = new MemoryStream();
        context.Response.Body = body;
        await _pipeline(context);
        return (context.Response.StatusCode, context.Response.ContentType, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    public void Dispose()
    {
        _endpoint.Dispose();
        _services.Dispose();
        _ownMeter?.Dispose();
    }
}
