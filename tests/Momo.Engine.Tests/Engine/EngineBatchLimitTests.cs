using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Sampling;

namespace Momo.Engine.Tests.Engine;

/// <summary>
/// Every decode stays inside its tier's batch limit whatever the configuration, and speculation never runs past the end
/// of the text. The fake tiers throw on an over-limit batch (as llama.cpp's n_batch assert would abort) and record the
/// largest batch and any decode that carried tokens after a sequence's end token.
/// </summary>
public sealed class EngineBatchLimitTests
{
    private static readonly DecodingMode[] Modes = [DecodingMode.Pyramid, DecodingMode.TwoTier, DecodingMode.TargetOnly, DecodingMode.Auto];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Random_settings_never_exceed_a_tier_batch_limit_and_every_request_matches_its_text_alone(int seed)
    {
        var random = new Random(seed);
        var maxSequences = random.Next(1, 11);
        var batchTokens = random.Next(2, 48);
        var options = new EngineOptions(
            MaxSequences: maxSequences, ContextPerSequence: 4096, PrefillTokensPerStep: random.Next(1, 80), ReusePrefixes: random.Next(2) == 0);
        var requests = Enumerable.Range(0, maxSequences * 2).Select(_ => RandomRequest(random)).ToArray();
        using var limited = EngineHarness.Create(options, batchTokens: batchTokens);
        using var reference = EngineHarness.Create();

        var together = await Task.WhenAll(requests.Select(request => limited.RunAsync(request)));

        foreach (var tier in limited.Tiers)
        {
            Assert.InRange(tier.LargestBatch, 1, batchTokens);
        }
        for (var i = 0; i < requests.Length; i++)
        {
            var (text, last) = together[i];
            Assert.True(last.Finish is FinishReason.Stop or FinishReason.Length, $"request {i} ended {last.Finish}: {last.Error}");
            var (alone, _) = await reference.RunAsync(requests[i] with { Id = $"alone-{i}" });
            Assert.Equal(alone, text);
        }
    }

    [Fact]
    public async Task The_reported_reproduction_eight_pyramid_sequences_with_sixteen_qualified_tokens_in_batches_of_64_completes()
    {
        using var harness = EngineHarness.Create(new EngineOptions(MaxSequences: 8, ContextPerSequence: 4096), batchTokens: 64);
        var requests = Enumerable.Range(0, 8)
            .Select(i => EngineHarness.Request(EngineHarness.Prompt(i), DecodingMode.Pyramid, maxTokens: 64, draft: 4, qualified: 16))
            .ToArray();

        var results = await Task.WhenAll(requests.Select(request => harness.RunAsync(request)));

        Assert.All(results, result => Assert.NotEqual(FinishReason.Error, result.Last.Finish));
        Assert.InRange(harness.Target.LargestBatch, 1, 64);
    }

    [Fact]
    public async Task An_end_token_inside_the_qualified_tail_ends_speculation_there()
    {
        // The end token is likely in every tier, so drafts often propose it and the qualifier often accepts it.
        using var harness = EngineHarness.Create(endBias: 1.5f, vocabulary: 12);
        var results = new List<(string Text, GenerationUpdate Last)>();
        for (var batch = 0; batch < 120; batch += 40)
        {
            results.AddRange(await Task.WhenAll(Enumerable.Range(batch, 40).Select(seed => harness.RunAsync(EngineHarness.Request(
                EngineHarness.PromptWithin(seed, vocabulary: 12), DecodingMode.Pyramid, maxTokens: 40, draft: 4, qualified: 8,
                new SamplingParameters { Temperature = 1, Seed = (ulong)seed })))));
        }

        Assert.True(results.Count(r => r.Last.Finish == FinishReason.Stop) >= 60, "most generations end with the end token");
        Assert.All(harness.Tiers, tier => Assert.Equal(0, tier.DecodesPastTheEnd));
    }

    [Fact]
    public void A_setting_that_cannot_work_is_refused_naming_it()
    {
        var failure = Assert.Throws<ArgumentOutOfRangeException>(() => new EngineOptions(MaxQueuedRequests: 0).Validate());

        Assert.Equal("MaxQueuedRequests", failure.ParamName);
    }

    private static GenerationRequest RandomRequest(Random random)
    {
        var prompt = Enumerable.Range(0, random.Next(1, 70)).Select(_ => random.Next(2, EngineHarness.Vocabulary)).ToArray();
        var mode = Modes[random.Next(Modes.Length)];
        var fixedLengths = random.Next(2) == 0;
        bool?[] lookups = [null, true, false];
        return EngineHarness.Request(
            prompt, mode, maxTokens: random.Next(1, 40),
            draft: fixedLengths ? random.Next(1, 17) : null,
            qualified: fixedLengths ? random.Next(1, 33) : null,
            lookup: lookups[random.Next(lookups.Length)]);
    }
}
