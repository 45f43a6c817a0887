using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests.Deployment;

/// <summary>
/// docker-compose.yml as <c>docker compose</c> reads it, without a Docker engine: valid under the Compose
/// Specification's schema, and starting the services the README promises for each way it documents
/// (<c>tests/compose-schema/validate.mjs</c>, npm packages installed on first use).
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    [Fact]
    public async Task Plain_docker_compose_up_starts_the_gpu_server_with_prometheus_and_grafana()
    {
        var resolved = await ResolveAsync();

        Assert.Equal(["gpu"], resolved.Profiles);
        Assert.Equal(["grafana", "momo", "prometheus"], resolved.Services.Order());
    }

    [Fact]
    public async Task The_cpu_profile_starts_the_cpu_server_instead_of_the_gpu_one()
    {
        var resolved = await ResolveAsync("--profile", "cpu");

        Assert.Equal(["grafana", "momo-cpu", "prometheus"], resolved.Services.Order());
    }

    private static async Task<Resolved> ResolveAsync(params string[] profileArguments)
    {
        foreach (var tool in new[] { "node", "npm" })
        {
            Assert.True(ToolProcess.IsInstalled(tool), $"{tool} is needed to validate docker-compose.yml");
        }
        var checker = Path.Combine(RepositoryPaths.Root, "tests", "compose-schema");
        await Install.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(checker, "node_modules", ".package-lock.json")))
            {
                await ToolProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], checker, TimeSpan.FromMinutes(5));
            }
        }
        finally
        {
            Install.Release();
        }
        // The defaults under test are the repository's own: a COMPOSE_PROFILES in this process's environment would override them.
        var printed = await ToolProcess.RunAsync(
            "node", ["validate.mjs", Path.Combine(RepositoryPaths.Root, "docker-compose.yml"), .. profileArguments], checker,
            TimeSpan.FromMinutes(2), new Dictionary<string, string?> { ["COMPOSE_PROFILES"] = null });
        using var report = JsonDocument.Parse(printed);
        var root = report.RootElement;
        Assert.Empty(root.GetProperty("problems").EnumerateArray());
        return new Resolved(
            [.. root.GetProperty("profiles").EnumerateArray().Select(p => p.GetString()!)],
            [.. root.GetProperty("services").EnumerateArray().Select(s => s.GetString()!)]);
    }

    private sealed record Resolved(string[] Profiles, string[] Services);
}
