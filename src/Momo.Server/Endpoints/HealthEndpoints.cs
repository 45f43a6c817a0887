using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Momo.Server.Hosting;

namespace Momo.Server.Endpoints;

/// <summary>/alive (the process answers) and /health (models loaded, ready for traffic), in every environment.</summary>
internal static class HealthEndpoints
{
    private const string LiveTag = "live";

    public static IServiceCollection AddMomoHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<ModelsLoadedCheck>("models");
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // Loading is "degraded", not "unhealthy" (it is expected and logs no error), but still not ready: 503.
        routes.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).WithName("Health");
        routes.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }).WithName("Alive");
        return routes;
    }

    private sealed class ModelsLoadedCheck(RuntimeHolder holder) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(holder.IsReady
                ? HealthCheckResult.Healthy("models loaded")
                : holder.LoadError is { } error ? HealthCheckResult.Unhealthy(error) : HealthCheckResult.Degraded("models loading"));
    }
}
