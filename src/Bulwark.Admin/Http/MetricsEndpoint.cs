using System.Text;
using Bulwark.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Bulwark.Admin.Http;

/// <summary>
/// GET /metrics. The OpenTelemetry SDK listens to the catalog's Meter and its Prometheus exporter
/// renders the scrape. Around the exporter: first the catalog's refresh callbacks set the gauges
/// whose values live elsewhere, then histogram label sets that have recorded nothing yet are
/// added as zeros (<see cref="UnobservedHistograms"/>).
/// </summary>
public sealed class MetricsEndpoint : IDisposable
{
    public const string Path = "/metrics";

    /// <summary>The classic text format, whatever the scraper offers. Dashboards and alerts were
    /// written against it: under OpenMetrics the exporter would name counter families without
    /// "_total" and add a "_created" series to every counter and histogram.</summary>
    private const string ClassicText = "text/plain; version=0.0.4";

    private readonly MetricCatalog _catalog;
    private readonly MeterProvider _provider;

    public MetricsEndpoint(MetricCatalog catalog)
    {
        _catalog = catalog;
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(catalog.Meter.Name)
            .AddPrometheusExporter(options =>
            {
                // Scope labels (otel_scope_name, ...) on every series would change every label
                // set the dashboards select on; target_info would be a metric of its own.
                options.ScopeInfoEnabled = false;
                options.TargetInfoEnabled = false;
                // A scrape right after an event shows it, as before.
                options.ScrapeResponseCacheDurationMilliseconds = 0;
            })
            .Build();
        // Series bound before the SDK listened (the static ones of BulwarkMetrics) read 0 from now.
        catalog.Publish();
    }

    public void MapTo(IApplicationBuilder app) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(_provider, IsScrape, path: null,
            configureBranchedPipeline: branch => branch.Use(AroundExporterAsync), optionsName: null);

    private static bool IsScrape(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) && context.Request.Path == Path;

    private async Task AroundExporterAsync(HttpContext context, RequestDelegate exporter)
    {
        await _catalog.RefreshAsync(context.RequestAborted);
        context.Request.Headers.Accept = ClassicText;
        // Uncompressed, so the zeros can be added to the text.
        context.Request.Headers.AcceptEncoding = "identity";

        var body = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await exporter(context);
        }
        finally
        {
            context.Response.Body = body;
        }

        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (context.Response.StatusCode == StatusCodes.Status200OK)
            text = UnobservedHistograms.Insert(text, _catalog.Histograms);
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        await body.WriteAsync(bytes, context.RequestAborted);
    }

    public void Dispose() => _provider.Dispose();
}
