using System.Text.Json;
using Momo.Server.Tests.Deployment;
using Momo.Testing;
using Xunit.Abstractions;

namespace Momo.Server.Tests.OpenClaw;

/// <summary>
/// OpenClaw 2026.9.6 (npm) as a real agent client of a real server on loopback that serves the forged agent family:
/// the short form of <c>tests/openclaw/run.sh</c>, which installs Node 24 and OpenClaw into a cache folder outside the
/// repository on first use. The headless <c>agent exec</c> turn always runs (OpenClaw's 11 tools and 22k-character
/// system prompt, about 24k tokens here); the gateway turn with a subagent adds several minutes, so it runs only with
/// <c>MOMO_OPENCLAW_GATEWAY=1</c> (or through the script itself).
/// </summary>
public sealed class OpenClawEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ServerInstance? _server;

    public async Task InitializeAsync() => _server = await AgentClientServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenClaw_calls_a_tool_on_momo_runs_it_and_momo_answers_the_result_in_prose()
    {
        var gateway = Environment.GetEnvironmentVariable("MOMO_OPENCLAW_GATEWAY") == "1";
        var folder = Directory.CreateTempSubdirectory("momo-openclaw-").FullName;
        var script = Path.Combine(RepositoryPaths.Root, "tests", "openclaw", "run.sh");
        var momo = _server!.Address.ToString().TrimEnd('/');
        string printed;
        try
        {
            printed = await ToolProcess.RunAsync("bash",
                [script, "--momo", momo, "--model", ServerInstance.ModelId, "--scenario", gateway ? "all" : "exec", "--out", folder],
                RepositoryPaths.Root, TimeSpan.FromMinutes(gateway ? 40 : 20));
        }
        finally
        {
            var results = Path.Combine(folder, "results.json");
            output.WriteLine(File.Exists(results) ? File.ReadAllText(results) : "no results.json in " + folder);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var exec = document.RootElement.GetProperty("exec");
        Assert.Equal(0, exec.GetProperty("exitCode").GetInt32());
        Assert.True(exec.GetProperty("ok").GetBoolean(), exec.ToString());
        Assert.Contains("read", exec.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.True(exec.GetProperty("momo").GetProperty("requests").GetInt32() >= 2, printed);
        if (gateway)
        {
            Assert.True(document.RootElement.GetProperty("gateway").GetProperty("ok").GetBoolean(), document.RootElement.GetProperty("gateway").ToString());
        }
        Directory.Delete(folder, recursive: true);
    }
}
