using System.Diagnostics.Metrics;

namespace Bulwark.Telemetry.Tests;

/// <summary>The facade's instruments as any System.Diagnostics.Metrics listener (dotnet-counters,
/// an OpenTelemetry pipeline) sees them, through a plain <see cref="MeterListener"/>.</summary>
public sealed class InstrumentTests
{
    [Fact]
    public void Bulwark_metrics_are_instruments_of_one_meter_named_Bulwark_of_the_expected_kinds()
    {
        var seen = new Dictionary<string, Instrument>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == BulwarkMetrics.MeterName) lock (seen) seen[instrument.Name] = instrument;
            };
            listener.Start();
            _ = BulwarkMetrics.Connections;
        }

        Assert.Equal(BulwarkMetrics.Catalog.Names.Order(), seen.Keys.Order());
        Assert.IsType<Counter<long>>(seen["bulwark_smtp_connections_total"]);
        Assert.IsType<Counter<long>>(seen["bulwark_smtp_verdicts_total"]);
        Assert.IsType<Histogram<double>>(seen["bulwark_entity_ask_duration_seconds"]);
        Assert.IsType<ObservableGauge<double>>(seen["bulwark_smtp_sessions_active"]);
        Assert.Equal("s", seen["bulwark_scanner_duration_seconds"].Unit);
        Assert.Null(seen["bulwark_message_bytes_accepted_total"].Unit);
        Assert.Equal(BulwarkMetrics.Verdicts.Help, seen["bulwark_smtp_verdicts_total"].Description);
        var advice = ((Histogram<double>)seen["bulwark_scanner_duration_seconds"]).Advice;
        Assert.Equal(HistogramMetric.LatencyBuckets, advice?.HistogramBucketBoundaries);
    }

    [Fact]
    public void A_labelled_increment_reaches_a_listener_with_its_labels_as_tags()
    {
        using var meter = new Meter("Bulwark.Tests." + Guid.NewGuid().ToString("N"));
        var catalog = new MetricCatalog(meter);
        var verdicts = catalog.Counter("t_verdicts_total", "v", "phase", "code", "enhanced");
        var recorded = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => recorded.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        verdicts.Labels("rcpt", "550", "5.1.1").Inc();
        verdicts.Labels("rcpt", "550", "5.1.1").Inc(2);

        Assert.Equal(new long[] { 0, 1, 2 }, recorded.Select(r => r.Value));
        Assert.All(recorded, r => Assert.Equal(
            new Dictionary<string, object?> { ["phase"] = "rcpt", ["code"] = "550", ["enhanced"] = "5.1.1" }, r.Tags));
        Assert.Equal(3, verdicts.Labels("rcpt", "550", "5.1.1").Value);
    }

    [Fact]
    public void Gauges_report_the_last_value_set_on_each_series_when_a_listener_collects()
    {
        using var meter = new Meter("Bulwark.Tests." + Guid.NewGuid().ToString("N"));
        var catalog = new MetricCatalog(meter);
        var members = catalog.Gauge("t_members", "m", "status");
        members.Labels("up").Set(3);
        members.Labels("down").Set(1);
        members.Labels("up").Set(2);
        var observed = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => observed[(string)tags[0].Value!] = value);
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(new Dictionary<string, double> { ["down"] = 1, ["up"] = 2 }, observed);
    }

    [Fact]
    public void Tags_go_out_sorted_by_key_whatever_the_order_of_the_label_names() =>
        Assert.Equal(["code", "enhanced", "phase"], TagKeysOf(BulwarkMetrics.Verdicts.Labels("mail", "250", "2.1.0")));

    private static string[] TagKeysOf(CounterSeries series)
    {
        string[] keys = [];
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "bulwark_smtp_verdicts_total") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => keys = tags.ToArray().Select(t => t.Key).ToArray());
        listener.Start();
        series.Inc(0);
        return keys;
    }
}
