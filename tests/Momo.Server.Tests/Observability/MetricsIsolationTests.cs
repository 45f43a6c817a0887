using System.Globalization;
using System.Text;
using Momo.Testing;

namespace Momo.Server.Tests.Observability;

/// <summary>
/// Meters are process-wide and OpenTelemetry subscribes to them by name, so several servers in one process (as in this
/// test run) could see each other's instruments; each server's /metrics must count its own requests only, before and
/// after another server stops.
/// </summary>
public sealed class MetricsIsolationTests
{
    [Fact]
    public async Task A_server_counts_only_its_own_requests_while_another_server_in_the_process_serves_and_stops()
    {
        await using var mine = await ServerInstance.StartAsync(TestFamilies.Tiny);
        var other = await ServerInstance.StartAsync(TestFamilies.Tiny);
        try
        {
            await CompleteAsync(other);
            await CompleteAsync(other);
            await Eventually.HoldsAsync(async () => await FinishedAsync(other) == 2, "the other server counted its two requests");
            Assert.Equal(0, await FinishedAsync(mine));
            await CompleteAsync(mine);
            await Eventually.HoldsAsync(async () => await FinishedAsync(mine) == 1, "this server counted its request");
        }
        finally
        {
            await other.DisposeAsync();
        }

        // Before the fix the merged series vanished with the other server's meter, and the counts fell.
        Assert.Equal(1, await FinishedAsync(mine));
        await CompleteAsync(mine);
        await Eventually.HoldsAsync(async () => await FinishedAsync(mine) == 2, "this server counted its second request");
    }

    private static async Task CompleteAsync(ServerInstance server)
    {
        using var body = new StringContent("""{"prompt": "Once upon a time", "max_tokens": 4, "temperature": 0}""", Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync("v1/completions", body);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<long> FinishedAsync(ServerInstance server) => (await server.Http.GetStringAsync("metrics")).Split('\n')
        .Where(l => l.StartsWith("request_success_total{", StringComparison.Ordinal))
        .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
