using Momo.Bench.Soak;
using Momo.Server.Tests.Fuzz;
using Momo.Testing;
using Xunit.Abstractions;

namespace Momo.Server.Tests;

/// <summary>The benchmark's soak, short: 32 clients on loopback sending 96 requests, a fifth of them hanging up mid-stream.</summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Requests = 96;

    [Fact]
    public async Task A_short_soak_of_32_clients_with_a_fifth_disconnecting_ends_with_no_failures_and_nothing_held()
    {
        using var gate = new DecodeGate();
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "8",
            // Without the prefix cache every freed sequence must leave its KV empty, so leaks show as cells in use.
            ["Momo:ReusePrefixes"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Error",
        }, gate);
        var options = new SoakOptions(new Uri(server.Address, "v1").ToString().TrimEnd('/'), ServerInstance.ModelId,
            Clients: 32, DisconnectFraction: 0.2, MaxTokens: 16, Seed: 7, Requests: Requests);

        var report = await Eventually.CompletesAsync(SoakRunner.RunAsync(options, "SoakTests"), "the soak's requests are answered", TimeSpan.FromMinutes(5));

        foreach (var line in report.Lines())
        {
            output.WriteLine(line);
        }
        Assert.True(SoakCommand.IsHealthy(report), string.Join("\n", report.Lines()));
        Assert.Equal(Requests, report.Requests);
        Assert.Equal(Requests, report.Completed + report.Disconnected); // each one read to its end or dropped on purpose
        Assert.True(report.Completed > 32, $"only {report.Completed} requests completed");
        Assert.True(report.Disconnected > 0, "no client disconnected");
        // The report reads /metrics, but servers of other tests in this process export meters of the same names, so
        // the engine's own counters and ledger are the authority here.
        // The last hang-ups reach the engine after their clients have moved on; it frees those sequences on its next steps.
        await Eventually.HoldsAsync(() => server.Engine.Counters.Running == 0 && server.Engine.Counters.Waiting == 0, "no sequence running or waiting");
        // A soak's short requests may all end before their hang-ups arrive; one more hang-up, held by the gate while its
        // stream still generates, reaches the engine whatever the machine's speed.
        gate.Close();
        await HeldStreams.HangUpMidStreamAsync(server, gate);
        gate.Open();
        await Eventually.HoldsAsync(() => server.Engine.Counters.Running == 0 && server.Engine.Counters.Waiting == 0, "no sequence running or waiting");
        await Eventually.HoldsAsync(() => EngineProbe.KvCellsInUse(server.Engine).All(cells => cells == 0), "every tier's KV is empty");
        Assert.True(server.Engine.Counters.CancelledSequences > 0, "no disconnect reached the engine");
    }
}
