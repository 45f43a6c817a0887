using System.Diagnostics.Metrics;
using Momo.Engine.Telemetry;
using OpenTelemetry.Metrics;

namespace Momo.Server.Telemetry;

/// <summary>Prometheus metrics at /metrics through OpenTelemetry.</summary>
internal static class TelemetryExtensions
{
    private static readonly HashSet<string> LatencyHistograms =
        ["time_to_first_token", "inter_token_latency", "e2e_request_latency", "request_queue_time"];

    /// <summary>Registers the meters and the Prometheus exporter.</summary>
    public static IServiceCollection AddMomoTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<RequestSummaryLog>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(EngineMetrics.MeterName, ServerMetrics.MeterName)
            .AddPrometheusExporter());
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
            metrics.AddView(OwnInstrumentsOnly(provider.GetRequiredService<IMeterFactory>())));
        return services;
    }

    /// <summary>Maps GET /metrics.</summary>
    public static IEndpointRouteBuilder MapMomoMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint("/metrics");
        return routes;
    }

    /// <summary>
    /// One view for every instrument. OpenTelemetry subscribes to meters by name across the whole process, and it merges
    /// same-named instruments of two meters into one stream that vanishes when either meter is disposed; so a second
    /// host in the process (tests run several) would add its counts to this host's series, and take them down with it
    /// when it stops. Instruments of meters that this host's <see cref="IMeterFactory"/> did not create are dropped.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OwnInstrumentsOnly(IMeterFactory ownMeters) => instrument =>
        !ReferenceEquals(instrument.Meter.Scope, ownMeters) ? MetricStreamConfiguration.Drop
        : LatencyHistograms.Contains(instrument.Name) ? LatencyBuckets()
        : null;

    // Token latencies span sub-millisecond (tiny models, GPU) to tens of seconds (long queues).
    private static ExplicitBucketHistogramConfiguration LatencyBuckets() => new()
    {
        Boundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };
}
