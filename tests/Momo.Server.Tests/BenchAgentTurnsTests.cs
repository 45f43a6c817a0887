using System.Text.Json;
using Momo.Bench.AgentTurns;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>The benchmark's agent-turns workload against a real server with fewer slots than conversations.</summary>
public sealed class BenchAgentTurnsTests
{
    [Fact]
    public async Task The_agent_turns_workload_reports_the_prefix_cache_hit_rate_across_turns()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "2",
            ["Momo:ContextSize"] = "2048",
        });
        var output = Path.Combine(Path.GetTempPath(), $"momo-agent-turns-{Guid.NewGuid():N}");
        try
        {
            var exit = await AgentTurnsCommand.RunAsync(
            [
                "--workload", "agent-turns", "--url", new Uri(server.Address, "v1").ToString(), "--model", ServerInstance.ModelId,
                "--conversations", "3", "--agents", "3", "--turns", "2", "--system-words", "200", "--max-tokens", "8", "--out", output,
            ]);

            Assert.Equal(0, exit);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "agent-turns.json")));
            var summary = report.RootElement.GetProperty("summary");
            Assert.Equal(6, summary.GetProperty("Requests").GetInt32());
            // Three system prompts on two slots: every second turn still finds its conversation, via the host cache.
            Assert.InRange(summary.GetProperty("LaterTurnsHitRate").GetDouble(), 0.8, 1.0);
            Assert.Equal(
                summary.GetProperty("PromptTokens").GetInt64(),
                summary.GetProperty("CachedTokens").GetInt64() + summary.GetProperty("PrefilledTokens").GetInt64());
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
