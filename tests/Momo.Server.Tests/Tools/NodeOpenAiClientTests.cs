using System.Text.Json;
using Momo.Server.Tests.Deployment;
using Momo.Testing;

namespace Momo.Server.Tests.Tools;

/// <summary>
/// The npm <c>openai</c> client (what most JavaScript agents use) against the real server: every scenario of
/// <c>tests/openai-node/tool-calls.mjs</c>, its package installed by <c>npm ci</c> on first use (pinned, ignored by git).
/// </summary>
[Collection(ToolServerCollection.Name)]
public sealed class NodeOpenAiClientTests(ToolServerFixture fixture)
{
    [Fact]
    public async Task The_npm_openai_client_calls_tools_streamed_and_not_and_gets_structured_output()
    {
        foreach (var tool in new[] { "node", "npm" })
        {
            Assert.True(ToolProcess.IsInstalled(tool), $"{tool} is needed to run the npm openai client");
        }
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "openai-node");
        if (!File.Exists(Path.Combine(folder, "node_modules", ".package-lock.json")))
        {
            await ToolProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, TimeSpan.FromMinutes(5));
        }

        var printed = await ToolProcess.RunAsync(
            "node", ["tool-calls.mjs", new Uri(fixture.Server.Address, "v1").ToString(), ServerInstance.ModelId], folder, TimeSpan.FromMinutes(8));

        var results = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();
        Assert.Equal(10, results.Count);
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
    }
}
