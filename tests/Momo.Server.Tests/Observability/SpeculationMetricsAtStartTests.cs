using System.Globalization;
using Momo.Engine.Requests;
using Momo.Engine.Speculation;
using Momo.Server.Tests.Hosting;
using Momo.Testing;

namespace Momo.Server.Tests.Observability;

/// <summary>
/// A fresh server publishes every speculation series at zero, so a dashboard shows "none yet" from the first scrape.
/// The server runs as its own process: instruments in this test process are shared by every server it hosts.
/// </summary>
public sealed class SpeculationMetricsAtStartTests
{
    private static readonly (string Stage, int Longest)[] Stages =
    [
        (SpeculationStages.DraftToQualifier, SpeculationSettings.MaxDraftTokens),
        (SpeculationStages.QualifierToTarget, SpeculationSettings.MaxQualifiedTokens),
        (SpeculationStages.DraftToTarget, SpeculationSettings.MaxDraftTokens),
        (SpeculationStages.LookupToTarget, SpeculationSettings.MaxLookupTokens),
    ];

    [Fact]
    public async Task Before_any_request_every_stage_and_position_of_the_speculation_counters_reads_zero()
    {
        await using var server = ServerProcess.Start(TestFamilies.Tiny);
        using var http = await server.WaitUntilReadyAsync();

        var metrics = await http.GetStringAsync("metrics");

        foreach (var (stage, longest) in Stages)
        {
            var tier = $"tier=\"{stage}\"";
            foreach (var counter in new[] { "spec_decode_num_drafts_total", "spec_decode_num_draft_tokens_total", "spec_decode_num_accepted_tokens_total" })
            {
                Assert.Equal([0.0], Values(metrics, counter, tier));
            }
            for (var position = 0; position < longest; position++)
            {
                Assert.Equal([0.0], Values(metrics, "spec_decode_num_accepted_tokens_per_pos_total", tier, $"position=\"{position}\""));
            }
            Assert.Empty(Values(metrics, "spec_decode_num_accepted_tokens_per_pos_total", tier, $"position=\"{longest}\""));
        }
    }

    // The values of the series of `name` whose labels include every one of `labels`.
    private static double[] Values(string metrics, string name, params string[] labels) => [.. metrics.Split('\n')
        .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal))
        .Where(line => labels.All(label => line[..line.IndexOf('}', StringComparison.Ordinal)].Contains(label, StringComparison.Ordinal)))
        .Select(line => double.Parse(line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))];
}
