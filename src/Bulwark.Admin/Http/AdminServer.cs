using System.Text.Json;
using Akka.Actor;
using Bulwark.Admin.Dashboard;
using Bulwark.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Admin.Http;

/// <summary>
/// The operator's port (Kestrel), on loopback by default:
///   GET  /                   the dashboard page (files built into the executable)
///   GET  /api/dashboard      what the page shows, farm-wide
///   GET  /metrics            Prometheus text format, see <see cref="MetricsEndpoint"/>
///   GET  /health/live, /health/ready
///   /admin/...               the admin API the CLI talks to, see <see cref="AdminApi"/>
/// Access rules: <see cref="AdminSecurity"/>.
/// </summary>
public sealed class AdminServer(
    AdminSettings settings,
    AdminApi api,
    DashboardBuilder dashboard,
    HealthChecks health,
    MetricsCollector metrics,
    ILogger<AdminServer> log) : IHostedService
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private WebApplication? _app;
    private MetricsEndpoint? _metrics;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Port == 0) return;
        metrics.Register();
        // Before SMTP opens (this service starts first), so the exporter sees every event.
        _metrics = new MetricsEndpoint(BulwarkMetrics.Catalog);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(settings.Address, settings.Port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Use(Guard);
        app.MapGet("/health/live", () => Results.Json(new { status = "live" }));
        app.MapGet("/health/ready", () => health.Ready() is { } problems && problems.Count > 0
            ? Results.Json(new { status = "not-ready", problems }, statusCode: 503)
            : Results.Json(new { status = "ready" }));
        _metrics.MapTo(app);
        app.MapGet("/api/dashboard", async () => Results.Json(await dashboard.BuildAsync(), Json));
        app.Map("/admin/{**rest}", AdminAsync);
        app.MapGet("/{**path}", (string? path) => StaticAssets.TryGet("/" + path, out var body, out var type)
            ? Results.Bytes(body, type)
            : Results.Json(new { error = "no such page" }, statusCode: 404));
        await app.StartAsync(cancellationToken);
        _app = app;
        log.LogInformation("dashboard and admin API on http://{Address}:{Port}/", settings.Address, settings.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
            await _app.DisposeAsync();
        }
        _metrics?.Dispose();
    }

    private async Task Guard(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        var decision = AdminSecurity.Check(settings, request.Method, request.Path.Value ?? "/",
            request.Headers.Host.ToString(), request.Headers.Origin.ToString(), request.Headers.Authorization.ToString());
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers.CacheControl = "no-store";
        if (!decision.Allowed)
        {
            if (decision.Status == 401) headers.WWWAuthenticate = "Bearer realm=\"bulwark\"";
            await Results.Json(new { error = decision.Reason }, statusCode: decision.Status).ExecuteAsync(context);
            return;
        }
        await next();
    }

    private async Task<IResult> AdminAsync(HttpContext context, string? rest)
    {
        var parts = ("admin/" + (rest ?? "")).Trim('/').Split('/');
        try
        {
            var (status, body) = await api.RouteAsync(context.Request.Method, parts, key => context.Request.Query[key].FirstOrDefault());
            return Results.Json(body, Json, statusCode: status);
        }
        catch (AskTimeoutException)
        {
            return Results.Json(new { error = "the farm did not answer in time" }, statusCode: 503);
        }
        catch (Exception e)
        {
            log.LogError(e, "admin request failed");
            return Results.Json(new { error = e.Message }, statusCode: 500);
        }
    }
}
