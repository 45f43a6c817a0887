using Momo.Engine.Telemetry;
using OpenTelemetry.Metrics;

namespace Momo.Server.Telemetry;

/// <summary>Prometheus metrics at /metrics through OpenTelemetry.</summary>
internal static class TelemetryExtensions
{
    /// <summary>Registers the meters and the Prometheus exporter.</summary>
    public static IServiceCollection AddMomoTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<RequestSummaryLog>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(EngineMetrics.MeterName, ServerMetrics.MeterName)
            .AddView("time_to_first_token", LatencyBuckets())
            .AddView("inter_token_latency", LatencyBuckets())
            .AddView("e2e_request_latency", LatencyBuckets())
            .AddView("request_queue_time", LatencyBuckets())
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps GET /metrics.</summary>
    public static IEndpointRouteBuilder MapMomoMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint("/metrics");
        return routes;
    }

    // Token latencies span sub-millisecond (tiny models, GPU) to tens of seconds (long queues).
    private static ExplicitBucketHistogramConfiguration LatencyBuckets() => new()
    {
        Boundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };
}
