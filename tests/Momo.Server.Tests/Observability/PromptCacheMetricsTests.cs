using System.Globalization;
using Momo.Testing;

namespace Momo.Server.Tests.Observability;

/// <summary>
/// The prefix cache counters on /metrics. Instruments are process-wide, so this runs alone (the Prometheus
/// collection): a server of another test would add its own prompt tokens.
/// </summary>
[Collection(PrometheusCollection.Name)]
public sealed class PromptCacheMetricsTests
{
    [Fact]
    public async Task The_prefix_cache_counters_say_how_many_prompt_tokens_were_looked_up_and_found()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, PromptCacheTests.TwoSlots(promptCacheMiB: "64"));
        var before = await server.Http.GetStringAsync("metrics");
        var turns = await PromptCacheTests.RunConversationsAsync(server.Http, turns: 2);

        var queried = turns.Sum(t => t.PromptTokens);
        // The exporter serves a scrape it cached a moment ago: read again until the last turn's counts are in.
        var after = before;
        await Eventually.HoldsAsync(async () =>
        {
            after = await server.Http.GetStringAsync("metrics");
            return Sample(after, "prefix_cache_queries_total") - Sample(before, "prefix_cache_queries_total") >= queried;
        }, "every turn's prompt tokens are counted");
        Assert.Equal(queried, Sample(after, "prefix_cache_queries_total") - Sample(before, "prefix_cache_queries_total"));
        Assert.Equal(turns.Sum(t => t.Cached), Sample(after, "prefix_cache_hits_total") - Sample(before, "prefix_cache_hits_total"));
        Assert.True(Sample(after, "prompt_cache_bytes") > 0, "the host cache gauge reads 0");
    }

    private static long Sample(string metrics, string name) => metrics.Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
