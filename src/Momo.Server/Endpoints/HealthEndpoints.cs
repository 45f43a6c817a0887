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
        routes.MapHealthChecks("/health").WithName("Health");
        routes.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }).WithName("Alive");
        return routes;
    }

    private sealed class ModelsLoadedCheck(RuntimeHolder holder) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(holder.IsReady
                ? HealthCheckResult.Healthy("models loaded")
                : holder.LoadError is { } error ? HealthCheckResult.Unhealthy(error) : HealthCheckResult.Unhealthy("models loading"));
    }
}
