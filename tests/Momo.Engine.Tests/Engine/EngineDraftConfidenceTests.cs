using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Sampling;

namespace Momo.Engine.Tests.Engine;

/// <summary>A draft round stops after a proposal the draft is unsure of; the output stays the target's.</summary>
public sealed class EngineDraftConfidenceTests
{
    [Theory]
    [InlineData(DecodingMode.TwoTier)]
    [InlineData(DecodingMode.Pyramid)]
    public async Task A_demanding_confidence_drafts_fewer_tokens_and_keeps_the_target_alone_output(DecodingMode mode)
    {
        var prompt = EngineHarness.Prompt(4);
        var (alone, _) = await Run(0f, DecodingMode.TargetOnly);

        var (always, drafting) = await Run(0f, mode);
        var (unsure, stopping) = await Run(0.999f, mode);

        Assert.Equal(alone, always);
        Assert.Equal(alone, unsure);
        Assert.True(stopping.DraftedTokens < drafting.DraftedTokens / 2,
            $"{stopping.DraftedTokens} drafted with a demanding confidence, {drafting.DraftedTokens} without");

        async Task<(string Text, GenerationStatistics Statistics)> Run(float confidence, DecodingMode chosen)
        {
            using var harness = EngineHarness.Create(new EngineOptions(MaxSequences: 4, ContextPerSequence: 4096, DraftMinConfidence: confidence));
            var (text, last) = await harness.RunAsync(EngineHarness.Request(prompt, chosen, maxTokens: 48, draft: 6, qualified: 8, lookup: false));
            return (text, last.Statistics!);
        }
    }

    [Fact]
    public void The_top_probability_of_a_greedy_row_comes_from_the_softmax_of_the_raw_logits()
    {
        var confidence = new DraftConfidence();
        float[] logits = [0f, MathF.Log(3f), float.NegativeInfinity];
        float[] oneHot = [0f, 1f, 0f];

        Assert.Equal(0.75f, confidence.TopProbability(logits, oneHot, greedy: true), 5);
        Assert.Equal(0.6f, confidence.TopProbability(logits, [0.4f, 0.6f, 0f], greedy: false), 5);
    }

    [Fact]
    public void A_confidence_outside_zero_to_one_is_refused_naming_the_setting()
    {
        var refusal = Assert.Throws<ArgumentOutOfRangeException>(() => new EngineOptions(DraftMinConfidence: 1.5f).Validate());
        Assert.Contains("DraftMinConfidence", refusal.Message, StringComparison.Ordinal);
    }
}
