using Momo.Engine.Requests;

namespace Momo.Engine.Tests.Engine;

/// <summary>Greedy output of every speculative mode is token-identical to the target alone (fake tiers: exact arithmetic).</summary>
public sealed class EngineIdentityTests
{
    public static TheoryData<DecodingMode, int?, int?> Settings => new()
    {
        { DecodingMode.TwoTier, 1, null },
        { DecodingMode.TwoTier, 4, null },
        { DecodingMode.TwoTier, 16, null },
        { DecodingMode.TwoTier, null, null },
        { DecodingMode.Pyramid, 1, 1 },
        { DecodingMode.Pyramid, 2, 6 },
        { DecodingMode.Pyramid, 4, 8 },
        { DecodingMode.Pyramid, 8, 32 },
        { DecodingMode.Pyramid, null, null },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Greedy_speculative_output_is_identical_to_target_only_for_thirty_prompts(DecodingMode mode, int? draft, int? qualified)
    {
        using var harness = EngineHarness.Create();
        for (var i = 0; i < 30; i++)
        {
            var prompt = EngineHarness.Prompt(i);
            var (expected, _) = await harness.RunAsync(EngineHarness.Request(prompt, DecodingMode.TargetOnly, maxTokens: 20 + i));
            var (actual, last) = await harness.RunAsync(EngineHarness.Request(prompt, mode, maxTokens: 20 + i, draft, qualified));
            Assert.Equal(expected, actual);
            Assert.Equal(mode.ToApiName(), last.Statistics!.Mode);
            Assert.True(last.Statistics.DraftedTokens > 0, "speculation must actually run");
        }
    }

    [Fact]
    public async Task Sixteen_concurrent_streams_each_produce_exactly_their_text_alone_in_every_mode()
    {
        using var harness = EngineHarness.Create();
        foreach (var mode in Enum.GetValues<DecodingMode>())
        {
            var alone = new List<string>();
            for (var i = 0; i < 16; i++)
            {
                alone.Add((await harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(i), mode, maxTokens: 10 + (3 * i)))).Text);
            }
            var together = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(i), mode, maxTokens: 10 + (3 * i)))));
            Assert.Equal(alone, together.Select(r => r.Text).ToList());
        }
        Assert.True(harness.Target.MaxSequencesInOneDecode >= 8, $"the target decoded at most {harness.Target.MaxSequencesInOneDecode} sequences per call");
        Assert.True(harness.Draft.MaxSequencesInOneDecode >= 8, $"the draft decoded at most {harness.Draft.MaxSequencesInOneDecode} sequences per call");
    }

    [Fact]
    public async Task Statistics_count_every_stage_consistently()
    {
        using var harness = EngineHarness.Create();
        var (_, last) = await harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(3), DecodingMode.Pyramid, maxTokens: 40, draft: 3, qualified: 6));
        var stats = last.Statistics!;
        Assert.True(stats.QualifierAcceptedTokens <= stats.DraftedTokens);
        Assert.True(stats.TargetAcceptedTokens <= stats.TargetProposedTokens);
        Assert.True(stats.TargetCalls > 0);
        // Every target call commits its accepted tokens plus one; the last call may overshoot the end.
        Assert.True(stats.TargetAcceptedTokens + stats.TargetCalls >= stats.CompletionTokens);
    }
}
