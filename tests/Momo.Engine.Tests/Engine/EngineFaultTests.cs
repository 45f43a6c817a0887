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
