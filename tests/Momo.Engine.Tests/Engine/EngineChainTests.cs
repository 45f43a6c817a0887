using Momo.Engine.Requests;
using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Engine;

/// <summary>Prompt lookup and <c>auto</c> through the real engine over fake tiers.</summary>
public sealed class EngineChainTests
{
    [Theory]
    [InlineData(DecodingMode.TargetOnly)]
    [InlineData(DecodingMode.Pyramid)]
    [InlineData(DecodingMode.Auto)]
    public async Task Prompt_lookup_proposes_the_repeating_text_and_the_target_accepts_it_with_the_same_greedy_output(DecodingMode mode)
    {
        // The fake target's greedy text depends on the last two tokens only, so it soon repeats itself: lookup's home turf.
        using var harness = EngineHarness.Create();
        var prompt = EngineHarness.Prompt(3);
        var (alone, _) = await harness.RunAsync(EngineHarness.Request(prompt, DecodingMode.TargetOnly, maxTokens: 80, lookup: false));

        var (text, last) = await harness.RunAsync(EngineHarness.Request(prompt, mode, maxTokens: 80, lookup: true));

        Assert.Equal(alone, text);
        var statistics = last.Statistics!;
        Assert.True(statistics.LookupAcceptedTokens > 10, $"lookup accepted {statistics.LookupAcceptedTokens} of {statistics.LookupProposedTokens}");
        Assert.True(statistics.TargetCalls < statistics.CompletionTokens / 2, $"{statistics.TargetCalls} target calls for {statistics.CompletionTokens} tokens");
    }

    [Fact]
    public async Task Auto_speculates_when_verifying_is_cheap_and_keeps_the_target_alone_output()
    {
        // The fake cost curves are GPU-like (verifying 16 tokens costs about one decode), so speculation pays.
        using var harness = EngineHarness.Create();
        var prompt = EngineHarness.Prompt(5);
        var (alone, _) = await harness.RunAsync(EngineHarness.Request(prompt, DecodingMode.TargetOnly, maxTokens: 48, lookup: false));

        var (text, last) = await harness.RunAsync(EngineHarness.Request(prompt, DecodingMode.Auto, maxTokens: 48, lookup: false));

        Assert.Equal(alone, text);
        Assert.Equal("auto", last.Statistics!.Mode);
        Assert.True(last.Statistics.TargetProposedTokens > 0, "auto never speculated");
    }

    [Fact]
    public async Task Auto_speculates_for_a_lone_sequence_but_not_in_a_batch_where_every_extra_row_costs_nearly_a_token()
    {
        // A decode costs a fixed part of 2 plus 1 per row. Alone, verifying drafts in one decode saves fixed parts (a
        // token costs 3 alone); in a batch of eight the fixed part is shared already (a token costs 1.25), and every
        // proposal adds a row costing 1 for less than a token: auto must leave the batch to the target alone (apart
        // from its probes).
        var planner = new DraftLengthPlanner(Curve(0.02, 0.02), Curve(0.1, 0.1), Curve(2, 1));
        using var harness = EngineHarness.Create(planner: planner);
        var (_, alone) = await harness.RunAsync(Request(0));

        var batch = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => harness.RunAsync(Request(i))));

        var aloneProposed = alone.Statistics!.TargetProposedTokens;
        var batchProposed = batch.Average(r => (double)r.Last.Statistics!.TargetProposedTokens);
        Assert.True(aloneProposed > 8, $"alone, auto proposed only {aloneProposed} tokens");
        Assert.True(batchProposed < aloneProposed / 4.0, $"in the batch auto proposed {batchProposed:F1} tokens per sequence, alone {aloneProposed}");

        GenerationRequest Request(int i) => EngineHarness.Request(EngineHarness.Prompt(i + 1), DecodingMode.Auto, maxTokens: 48, lookup: false);
    }

    [Fact]
    public async Task The_engine_s_timed_decodes_refine_the_measured_cost_curves_it_plans_with()
    {
        // A calibration that said one second per decode; the fake tiers decode in microseconds.
        var slow = Enumerable.Repeat(1.0, 16).ToArray();
        var planner = DraftLengthPlanner.FromMeasurements([slow, slow, slow]);
        using var harness = EngineHarness.Create(planner: planner);

        await harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(3), DecodingMode.TargetOnly, maxTokens: 40, lookup: false));

        Assert.True(planner.TargetCost.Cost(1) < 0.25, $"the target's one-token cost is still {planner.TargetCost.Cost(1)} s");
        Assert.Equal(1.0, planner.TargetCost.Cost(16)); // no decode of 16 tokens was timed
        Assert.Equal(1.0, planner.Curves[0]!.Cost(1)); // target_only never decodes the draft
    }

    private static TierCostCurve Curve(double fixedPart, double perRow) =>
        new(Enumerable.Range(1, 64).Select(k => fixedPart + (perRow * k)).ToArray());
}
