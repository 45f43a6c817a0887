using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Testing;

namespace Momo.Engine.Tests.Engine;

/// <summary>Stopping the engine answers every request it holds, queued ones included, and takes no more.</summary>
public sealed class EngineShutdownTests
{
    [Fact]
    public async Task Running_and_queued_requests_all_get_a_final_update_when_the_engine_stops()
    {
        using var gate = new DecodeGate(open: false);
        var harness = EngineHarness.Create(new EngineOptions(MaxSequences: 1, ContextPerSequence: 1 << 16, MaxQueuedRequests: 8), gate: gate);
        var running = harness.Engine.Submit(EngineHarness.Request(EngineHarness.Prompt(1), DecodingMode.TargetOnly, maxTokens: 60_000), default);
        await gate.HeldAsync("the running request holds the only sequence"); // the rest must queue
        var queued = Enumerable.Range(2, 3)
            .Select(i => harness.Engine.Submit(EngineHarness.Request(EngineHarness.Prompt(i), DecodingMode.Pyramid), default))
            .ToList();
        Assert.Equal(3, harness.Engine.Counters.Waiting);

        harness.Dispose(); // stopping the engine opens the gate: the running request is still running

        foreach (var reader in queued.Prepend(running))
        {
            var updates = await Eventually.CompletesAsync(reader.ReadAllAsync().ToListAsync().AsTask(), "a request's final update");
            Assert.Equal(FinishReason.Cancelled, updates[^1].Finish);
        }
        Assert.Equal(0, harness.Engine.Counters.Waiting);
        Assert.Throws<EngineStoppedException>(() => harness.Engine.Submit(EngineHarness.Request([2, 3], DecodingMode.TargetOnly), default));
    }

    [Fact]
    public async Task The_waiting_gauge_never_goes_negative_while_requests_come_and_go()
    {
        using var harness = EngineHarness.Create(new EngineOptions(MaxSequences: 2, ContextPerSequence: 4096, MaxQueuedRequests: 64));
        var lowest = 0;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(() =>
        {
            while (!watching.IsCancellationRequested)
            {
                lowest = Math.Min(lowest, harness.Engine.Counters.Waiting);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(i), DecodingMode.TargetOnly, maxTokens: 3))));
        await watching.CancelAsync();
        await watcher;

        Assert.Equal(0, lowest);
        Assert.Equal(0, harness.Engine.Counters.Waiting);
    }
}

/// <summary>The KV gauges describe the caches as they are, at rest too.</summary>
public sealed class EngineKvGaugeTests
{
    [Fact]
    public async Task Once_every_request_is_released_the_kv_gauges_read_zero_without_prefix_reuse()
    {
        using var harness = EngineHarness.Create(new EngineOptions(MaxSequences: 4, ContextPerSequence: 4096, ReusePrefixes: false));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(i), DecodingMode.Pyramid, maxTokens: 20))));

        await Eventually.HoldsAsync(() => harness.Engine.Counters.KvUsage().All(m => m.Value == 0), "every KV gauge reads 0");
    }
}
