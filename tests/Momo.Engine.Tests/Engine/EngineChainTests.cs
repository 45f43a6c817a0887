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
}
