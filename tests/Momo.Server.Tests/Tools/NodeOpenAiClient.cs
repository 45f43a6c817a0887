using System.Text.Json;
using Momo.Server.Tests.Deployment;
using Momo.Testing;

namespace Momo.Server.Tests.Tools;

/// <summary>
/// Runs a script of <c>tests/openai-node</c> (the npm <c>openai</c> client) against a server, installing the pinned
/// package by <c>npm ci</c> on first use (ignored by git), and returns the JSON result line each scenario printed.
/// </summary>
internal static class NodeOpenAiClient
{
    // Test classes in other collections run in parallel; two npm installs into one folder would trip over each other.
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static async Task<IReadOnlyList<JsonElement>> RunAsync(string script, ServerInstance server, TimeSpan timeout)
    {
        foreach (var tool in new[] { "node", "npm" })
        {
            Assert.True(ToolProcess.IsInstalled(tool), $"{tool} is needed to run the npm openai client");
        }
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "openai-node");
        await Install.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(folder, "node_modules", ".package-lock.json")))
            {
                await ToolProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, TimeSpan.FromMinutes(5));
            }
        }
        finally
        {
            Install.Release();
        }

        var printed = await ToolProcess.RunAsync("node", [script, new Uri(server.Address, "v1").ToString(), ServerInstance.ModelId], folder, timeout);
        return [.. printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)];
    }
}
