using Momo.Engine.Requests;
using Momo.Engine.Sampling;
using Momo.Testing;

namespace Momo.Engine.Tests.Engine;

/// <summary>Chunked prefill and the opt-in fuzzy inner stage.</summary>
public sealed class EngineSchedulingTests
{
    [Fact]
    public async Task A_long_prompt_is_prefilled_in_chunks_while_a_running_stream_keeps_receiving_tokens()
    {
        using var gate = new DecodeGate(open: false);
        using var harness = EngineHarness.Create(new EngineOptions(MaxSequences: 4, ContextPerSequence: 8192, PrefillTokensPerStep: 32), gate: gate);
        var running = harness.Engine.Submit(EngineHarness.Request(EngineHarness.Prompt(1), DecodingMode.TargetOnly, maxTokens: 400), default);
        await gate.PassUntilAsync(() => running.TryPeek(out _), "the running stream is producing");
        while (running.TryRead(out _))
        {
            // Held: from here on the stream only gets what it is given while the long prompt is prefilled.
        }

        var longPrompt = Enumerable.Range(0, 2048).Select(i => 2 + (i % 29)).ToArray();
        var late = harness.Engine.Submit(EngineHarness.Request(longPrompt, DecodingMode.Pyramid, maxTokens: 4), default);
        gate.Open();
        await Eventually.CompletesAsync(late.WaitToReadAsync().AsTask(), "the long prompt's first token");
        var updatesMeanwhile = 0;
        while (running.TryRead(out _))
        {
            updatesMeanwhile++;
        }

        // 2,047 prompt tokens at 32 per step take 64 steps; a stalled stream would have received nothing meanwhile.
        Assert.True(updatesMeanwhile >= 50, $"the running stream got only {updatesMeanwhile} updates while the long prompt was prefilled");
    }

    [Fact]
    public async Task The_relaxed_fuzzy_threshold_accepts_every_draft_at_the_qualifier_when_set_to_one()
    {
        using var harness = EngineHarness.Create();
        var sampling = new SamplingParameters { Temperature = 1, Seed = 3 };
        var (_, exact) = await harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(4), DecodingMode.Pyramid, 60, 4, 8, sampling));
        var (text, fuzzy) = await harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(4), DecodingMode.Pyramid, 60, 4, 8, sampling, fuzzy: 1.0));

        Assert.True(exact.Statistics!.QualifierAcceptedTokens < exact.Statistics.DraftedTokens, "the exact inner test rejects some drafts");
        Assert.Equal(fuzzy.Statistics!.DraftedTokens, fuzzy.Statistics.QualifierAcceptedTokens);
        Assert.False(string.IsNullOrEmpty(text));
    }
}
