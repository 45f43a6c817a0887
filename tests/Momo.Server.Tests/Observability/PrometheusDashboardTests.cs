using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests.Observability;

/// <summary>
/// A real Prometheus scrapes a real server under load in every mode; then every PromQL expression of the Grafana
/// dashboard must return data, acceptance rates must lie in [0, 1], and the token counter must equal the usage
/// the clients were given.
/// </summary>
/// <remarks>
/// Runs alone: OpenTelemetry listens to meters by name across the process, so another server instance running
/// at the same time would add its tokens to the counters this test checks exactly.
/// </remarks>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusDashboardTests
{
    [Fact]
    public async Task Every_dashboard_query_returns_data_from_a_real_prometheus_after_load_in_every_mode()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny);
        await using var prometheus = await PrometheusProcess.StartAsync(server.Address);
        await prometheus.WaitForAsync("up{job=\"momo\"}", r => r.GetArrayLength() == 1 && Value(r[0]) == 1);

        // A first round creates every series; the second, after some scrapes, makes every rate() window see an increase
        // (a series' first sample has no predecessor, so a rate over it alone is zero and a quantile NaN).
        var completionTokens = await DriveLoadAsync(server.Http);
        await prometheus.WaitForAsync("sum(generation_tokens_total)", r => r.GetArrayLength() == 1 && Value(r[0]) == completionTokens);
        completionTokens += await DriveLoadAsync(server.Http);

        await prometheus.WaitForAsync("sum(generation_tokens_total)", r => r.GetArrayLength() == 1 && Value(r[0]) == completionTokens);
        await WaitForMoreScrapesAsync(prometheus, 2); // so every rate window holds the load
        foreach (var (panel, expression) in DashboardQueries.Load())
        {
            var result = await prometheus.QueryAsync(expression);
            Assert.True(result.GetArrayLength() > 0, $"panel '{panel}': '{expression}' returned no data");
            Assert.True(result.EnumerateArray().Any(series => double.IsFinite(Value(series))),
                $"panel '{panel}': '{expression}' returned only NaN/Inf: {result}");
        }

        // Every stage's series exist from start at zero; lookup_to_target, which no fixed mode runs, stays there.
        var acceptance = await prometheus.QueryAsync(
            "sum by (tier) (spec_decode_num_accepted_tokens_total) / sum by (tier) (spec_decode_num_draft_tokens_total > 0)");
        Assert.Equal(3, acceptance.GetArrayLength()); // draft_to_qualifier, qualifier_to_target, draft_to_target
        foreach (var stage in acceptance.EnumerateArray())
        {
            Assert.InRange(Value(stage), 0.0, 1.0);
        }
        var errors = await prometheus.QueryAsync("sum(request_errors_total)");
        Assert.Equal(4, Value(errors[0]));
    }

    /// <summary>Waits (bounded) until Prometheus has scraped the server <paramref name="count"/> more times.</summary>
    private static async Task WaitForMoreScrapesAsync(PrometheusProcess prometheus, int count)
    {
        const string Scrapes = "count_over_time(up{job=\"momo\"}[10m])";
        var before = Value((await prometheus.QueryAsync(Scrapes))[0]);
        await prometheus.WaitForAsync(Scrapes, r => r.GetArrayLength() == 1 && Value(r[0]) >= before + count);
    }

    /// <summary>Requests in every mode, streamed and not, plus two refused ones; returns the completion tokens reported in usage.</summary>
    private static async Task<int> DriveLoadAsync(HttpClient http)
    {
        var total = 0;
        foreach (var mode in new[] { "pyramid", "two_tier", "target_only" })
        {
            for (var i = 0; i < 3; i++)
            {
                var body = $$$"""{"messages":[{"role":"user","content":"The old man {{{i}}}"}],"max_tokens":{{{20 + (5 * i)}}},"temperature":0.7,"seed":{{{i}}},"speculative":{"mode":"{{{mode}}}"}}""";
                using var response = await http.PostAsync("v1/chat/completions", Json(body));
                response.EnsureSuccessStatusCode();
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                total += document.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
            }
            var streamed = $$$"""{"prompt":"The peach","max_tokens":24,"stream":true,"stream_options":{"include_usage":true},"speculative":{"mode":"{{{mode}}}"}}""";
            total += await StreamedUsageAsync(http, streamed);
        }
        using var bad = await http.PostAsync("v1/chat/completions", Json("{oops"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var unknown = await http.PostAsync("v1/chat/completions", Json("""{"model":"nope","messages":[{"role":"user","content":"x"}]}"""));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        return total;
    }

    private static async Task<int> StreamedUsageAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("v1/completions", Json(body));
        response.EnsureSuccessStatusCode();
        var usage = 0;
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }
            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            if (chunk.RootElement.TryGetProperty("usage", out var u))
            {
                usage = u.GetProperty("completion_tokens").GetInt32();
            }
        }
        Assert.True(usage > 0, "the stream carried no usage chunk");
        return usage;
    }

    private static double Value(JsonElement series) =>
        double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PrometheusCollection
{
    public const string Name = "prometheus";
}
