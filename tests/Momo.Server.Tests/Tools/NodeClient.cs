using System.Text.Json;
using Momo.Server.Tests.Deployment;
using Momo.Testing;

namespace Momo.Server.Tests.Tools;

/// <summary>
/// Runs a script of a node package folder under <c>tests/</c> (tests/openai-node: the npm <c>openai</c> client;
/// tests/anthropic-node: <c>@anthropic-ai/sdk</c>) against a server, installing the folder's pinned packages by
/// <c>npm ci</c> on first use (ignored by git), and returns the JSON result line each scenario printed.
/// </summary>
internal static class NodeClient
{
    // Test classes in other collections run in parallel; two npm installs at once would trip over each other.
    private static readonly SemaphoreSlim Install = new(1, 1);

    /// <summary>Runs <c>node SCRIPT BASE_URL MODEL</c> in <c>tests/<paramref name="package"/></c>.</summary>
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(string package, string script, ServerInstance server, string baseUrl, TimeSpan timeout)
    {
        foreach (var tool in new[] { "node", "npm" })
        {
            Assert.True(ToolProcess.IsInstalled(tool), $"{tool} is needed to run the npm clients");
        }
        var folder = Path.Combine(RepositoryPaths.Root, "tests", package);
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

        var printed = await ToolProcess.RunAsync("node", [script, baseUrl, ServerInstance.ModelId], folder, timeout);
        return [.. printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)];
    }
}
