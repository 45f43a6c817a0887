using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Sampling;
using Momo.Testing;

namespace Momo.Engine.Tests.Engine;

/// <summary>A fault in one request fails that request only; a stalled reader cannot hold the engine or its memory.</summary>
public sealed class EngineFaultTests
{
    private const int Poison = 31;

    [Theory]
    [InlineData(DecodingMode.TargetOnly)]
    [InlineData(DecodingMode.Pyramid)]
    [InlineData(DecodingMode.Auto)]
    public async Task A_request_whose_decode_fails_ends_with_an_error_and_the_others_finish_exactly(DecodingMode mode)
    {
        using var reference = EngineHarness.Create();
        using var harness = EngineHarness.Create();
        harness.Target.PoisonFirstToken = Poison;
        int[][] healthy = [[2, 3, 4, 5], [6, 7, 8], [9, 10, 11, 12, 13]];

        var runs = healthy.Select(p => harness.RunAsync(EngineHarness.Request(p, mode, maxTokens: 30)))
            .Append(harness.RunAsync(EngineHarness.Request([Poison, 3, 4], mode, maxTokens: 30)))
            .ToList();
        var results = await Task.WhenAll(runs);

        Assert.Equal(FinishReason.Error, results[^1].Last.Finish);
        for (var i = 0; i < healthy.Length; i++)
        {
            var (alone, _) = await reference.RunAsync(EngineHarness.Request(healthy[i], mode, maxTokens: 30));
            Assert.NotEqual(FinishReason.Error, results[i].Last.Finish);
            Assert.Equal(alone, results[i].Text);
        }
    }

    [Fact]
    public async Task A_request_whose_slot_setup_fails_at_admission_ends_with_an_error_and_a_running_request_completes_exactly()
    {
        var system = EngineHarness.Prompt(5).Concat(EngineHarness.Prompt(6)).ToArray();
        var noEnd = SamplingParameters.Greedy with { LogitBias = new Dictionary<int, float> { [FakeVocabulary.EndOfText] = -100 } };
        var running = EngineHarness.Request([.. system, 4, 4], DecodingMode.Pyramid, maxTokens: 400, sampling: noEnd);
        using var reference = EngineHarness.Create();
        var expected = (await reference.RunAsync(running)).Text;

        using var harness = EngineHarness.Create();
        var first = harness.RunAsync(running);
        await Eventually.HoldsAsync(() => harness.Engine.Counters.Running == 1, "the first request runs");
        // The second request shares the first one's prompt prefix: admitting it copies KV cells, which now fail.
        harness.Target.FailCopies = true;
        var second = harness.RunAsync(EngineHarness.Request([.. system, 8], DecodingMode.Pyramid, maxTokens: 30));
        await Eventually.HoldsAsync(() => first.IsCompleted && second.IsCompleted, "both requests end");

        var (_, failed) = await second;
        Assert.Equal(FinishReason.Error, failed.Finish);
        Assert.Contains("copying a prefix failed", failed.Error, StringComparison.Ordinal);
        var (text, last) = await first;
        Assert.Equal(FinishReason.Length, last.Finish);
        Assert.Equal(expected, text);
        Assert.Equal(0, harness.Engine.Counters.Running);
    }

    [Fact]
    public async Task A_reader_that_stops_reading_has_its_request_cancelled_and_its_sequence_freed()
    {
        using var harness = EngineHarness.Create(new EngineOptions(MaxSequences: 2, ContextPerSequence: 1 << 16, MaxUnreadUpdates: 8));
        var stalled = harness.Engine.Submit(EngineHarness.Request([2, 3, 4], DecodingMode.TargetOnly, maxTokens: 50_000), default);

        await Eventually.HoldsAsync(
            () => harness.Engine.Counters.CancelledSequences == 1 && harness.Engine.Counters.Running == 0, "the engine cancels and frees the stalled request");

        var read = 0;
        await Assert.ThrowsAsync<SlowReaderException>(async () =>
        {
            await foreach (var _ in stalled.ReadAllAsync())
            {
                read++;
            }
        });
        Assert.Equal(8, read); // what it had buffered, then the reason
        var (text, last) = await harness.RunAsync(EngineHarness.Request([5, 6, 7], DecodingMode.TargetOnly, maxTokens: 5));
        Assert.Equal(FinishReason.Length, last.Finish);
    }
}
