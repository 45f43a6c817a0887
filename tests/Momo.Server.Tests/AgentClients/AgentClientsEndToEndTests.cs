using System.Text.Json;
using Momo.Server.Tests.Deployment;
using Momo.Testing;
using Xunit.Abstractions;

namespace Momo.Server.Tests.AgentClients;

/// <summary>
/// Claude Code 2.1.328 (Anthropic Messages API) and Codex CLI 0.169.0 (OpenAI Responses API), both from npm, as real
/// agent clients of a real server on loopback that serves the forged agent family: the short form of
/// <c>tests/agent-clients/run.sh</c>, which installs both into a cache folder outside the repository on first use.
/// The one-agent scenarios always run (each a minute or two on a 2-core CPU); the subagent ones (Claude Code's Agent
/// tool, Codex's multi_agent_v1) add a few minutes more, so they run only with <c>MOMO_AGENT_CLIENTS_SUBAGENTS=1</c>
/// (or through the script itself).
/// </summary>
public sealed class AgentClientsEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ServerInstance? _server;

    private static bool Subagents => Environment.GetEnvironmentVariable("MOMO_AGENT_CLIENTS_SUBAGENTS") == "1";

    public async Task InitializeAsync() => _server = await AgentClientServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Claude_Code_reads_a_file_through_momo_and_momo_answers_its_content_in_prose()
    {
        using var results = await RunAsync(Subagents ? "claude-all" : "claude-read");
        var read = Scenario(results, "claude-read");
        Assert.True(read.GetProperty("numTurns").GetInt32() >= 2, read.ToString());
        Assert.Contains(read.GetProperty("calls").EnumerateArray(), c => c.GetProperty("name").GetString() == "Read");
        if (Subagents)
        {
            var agent = Scenario(results, "claude-agent");
            Assert.Contains(agent.GetProperty("calls").EnumerateArray(), c => c.GetProperty("name").GetString() == "Agent");
        }
    }

    [Fact]
    public async Task Codex_runs_a_command_through_momo_and_momo_answers_its_output_in_prose()
    {
        using var results = await RunAsync(Subagents ? "codex-all" : "codex-exec");
        var exec = Scenario(results, "codex-exec");
        Assert.NotEmpty(exec.GetProperty("commands").EnumerateArray());
        if (Subagents)
        {
            Assert.Single(Scenario(results, "codex-agent").GetProperty("subagentThreads").EnumerateArray());
        }
    }

    private async Task<JsonDocument> RunAsync(string scenario)
    {
        var folder = Directory.CreateTempSubdirectory("momo-agent-clients-").FullName;
        var script = Path.Combine(RepositoryPaths.Root, "tests", "agent-clients", "run.sh");
        var momo = _server!.Address.ToString().TrimEnd('/');
        var results = Path.Combine(folder, "results.json");
        try
        {
            await ToolProcess.RunAsync("bash", [script, "--momo", momo, "--model", ServerInstance.ModelId, "--scenario", scenario, "--out", folder],
                RepositoryPaths.Root, TimeSpan.FromMinutes(Subagents ? 40 : 20));
        }
        finally
        {
            output.WriteLine(File.Exists(results) ? File.ReadAllText(results) : "no results.json in " + folder);
        }
        var document = JsonDocument.Parse(File.ReadAllText(results));
        Directory.Delete(folder, recursive: true);
        return document;
    }

    // Every scenario the script ran passed its own checks (exit code 0 first, so a failure names its cause), and momo
    // served each of its model calls.
    private static JsonElement Scenario(JsonDocument results, string name)
    {
        var scenario = results.RootElement.GetProperty(name);
        Assert.Equal(0, scenario.GetProperty("exitCode").GetInt32());
        Assert.True(scenario.GetProperty("ok").GetBoolean(), scenario.ToString());
        Assert.True(scenario.GetProperty("momo").GetProperty("requests").GetInt32() >= 2, scenario.ToString());
        return scenario;
    }
}
