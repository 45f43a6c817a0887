using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Engine.Sampling;
using Momo.Testing;

namespace Momo.Engine.Tests.Engine;

/// <summary>Admission, cancellation and memory pressure, with exact output throughout.</summary>
public sealed class EngineLifecycleTests
{
    [Fact]
    public async Task A_cancelled_request_is_freed_in_every_tier_and_the_others_finish_correctly()
    {
        using var gate = new DecodeGate();
        using var harness = EngineHarness.Create(gate: gate);
        var expected = (await harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(1), DecodingMode.Pyramid, maxTokens: 200))).Text;

        gate.Close();
        using var cancel = new CancellationTokenSource();
        var doomed = harness.Engine.Submit(EngineHarness.Request(EngineHarness.Prompt(2), DecodingMode.Pyramid, maxTokens: 4000), cancel.Token);
        var survivor = harness.RunAsync(EngineHarness.Request(EngineHarness.Prompt(1), DecodingMode.Pyramid, maxTokens: 200));
        await gate.PassUntilAsync(() => doomed.TryPeek(out _), "the doomed request has produced a token");
        var freedBefore = harness.Engine.Counters.CancelledSequences;
        await cancel.CancelAsync(); // while the engine is held: the doomed request is still running
        gate.Open();

        Assert.Equal(expected, (await Eventually.CompletesAsync(survivor, "the survivor finishes")).Text);
        await Eventually.HoldsAsync(() => harness.Engine.Counters.CancelledSequences == freedBefore + 1, "the engine frees the cancelled request");
        await Eventually.HoldsAsync(() => harness.Engine.Counters.Running == 0, "no sequence runs");
    }

    [Fact]
    public async Task A_shared_prompt_prefix_is_reused_from_cache_and_gives_the_same_output()
    {
        var system = EngineHarness.Prompt(7).Concat(EngineHarness.Prompt(8)).Concat(EngineHarness.Prompt(9)).ToArray();
        int[] first = [.. system, 5, 6, 7];
        int[] second = [.. system, 9, 10];
        using var cold = EngineHarness.Create();
        var expected = (await cold.RunAsync(EngineHarness.Request(second, DecodingMode.Pyramid, maxTokens: 30))).Text;

        using var warm = EngineHarness.Create();
        var (_, firstLast) = await warm.RunAsync(EngineHarness.Request(first, DecodingMode.Pyramid, maxTokens: 30));
        var (text, last) = await warm.RunAsync(EngineHarness.Request(second, DecodingMode.Pyramid, maxTokens: 30));

        Assert.Equal(0, firstLast.Statistics!.CachedPromptTokens);
        Assert.Equal(system.Length, last.Statistics!.CachedPromptTokens);
        Assert.Equal(expected, text);

        using var noReuse = EngineHarness.Create(new EngineOptions(MaxSequences: 16, ContextPerSequence: 4096, ReusePrefixes: false));
        await noReuse.RunAsync(EngineHarness.Request(first, DecodingMode.Pyramid, maxTokens: 30));
        var (uncachedText, uncached) = await noReuse.RunAsync(EngineHarness.Request(second, DecodingMode.Pyramid, maxTokens: 30));
        Assert.Equal(0, uncached.Statistics!.CachedPromptTokens);
        Assert.Equal(expected, uncachedText);
    }

    [Fact]
    public async Task A_full_queue_refuses_new_requests_and_the_queued_ones_still_complete()
    {
        using var gate = new DecodeGate(open: false);
        using var harness = EngineHarness.Create(new EngineOptions(MaxSequences: 1, ContextPerSequence: 4096, MaxQueuedRequests: 2), gate: gate);
        var accepted = new List<System.Threading.Channels.ChannelReader<GenerationUpdate>>
        {
            harness.Engine.Submit(EngineHarness.Request(EngineHarness.Prompt(0), DecodingMode.TwoTier, maxTokens: 300), default),
        };
        await gate.HeldAsync("the first request holds the only sequence");
        var refused = 0;
        for (var i = 1; i < 8; i++)
        {
            try
            {
                accepted.Add(harness.Engine.Submit(EngineHarness.Request(EngineHarness.Prompt(i), DecodingMode.TwoTier, maxTokens: 300), default));
            }
            catch (EngineQueueFullException)
            {
                refused++;
            }
        }
        Assert.Equal(5, refused); // one running, two queued, the rest refused
        Assert.Equal(3, accepted.Count);

        gate.Open();
        foreach (var updates in accepted)
        {
            var all = await Eventually.CompletesAsync(updates.ReadAllAsync().ToListAsync().AsTask(), "an accepted request finishes");
            Assert.Equal(FinishReason.Length, all[^1].Finish);
        }
    }

    [Theory]
    [InlineData("target")]
    [InlineData("qualifier")]
    [InlineData("draft")]
    public async Task Under_kv_pressure_every_request_completes_with_exact_output(string tightTier)
    {
        const int Tight = 160;
        using var roomy = EngineHarness.Create();
        using var harness = EngineHarness.Create(
            draftKv: tightTier == "draft" ? Tight : 1 << 20,
            qualifierKv: tightTier == "qualifier" ? Tight : 1 << 20,
            targetKv: tightTier == "target" ? Tight : 1 << 20);
        var prompts = Enumerable.Range(0, 8).Select(EngineHarness.Prompt).ToArray();
        var expected = new List<string>();
        foreach (var prompt in prompts)
        {
            expected.Add((await roomy.RunAsync(EngineHarness.Request(prompt, DecodingMode.TargetOnly, maxTokens: 30))).Text);
        }

        var results = await Task.WhenAll(prompts.Select(p => harness.RunAsync(EngineHarness.Request(p, DecodingMode.Pyramid, maxTokens: 30))));

        Assert.Equal(expected, results.Select(r => r.Text).ToList());
        var stats = results.Select(r => r.Last.Statistics!).ToList();
        if (tightTier == "target")
        {
            Assert.Contains(stats, s => s.Preemptions > 0);
        }
        else
        {
            Assert.Contains(stats, s => s.Degradations.Count > 0);
        }
    }

    [Fact]
    public async Task A_running_request_shares_its_prompt_prefix_with_a_new_one_and_both_stay_exact()
    {
        var system = EngineHarness.Prompt(5).Concat(EngineHarness.Prompt(6)).Concat(EngineHarness.Prompt(7)).ToArray();
        var noEnd = SamplingParameters.Greedy with { LogitBias = new Dictionary<int, float> { [FakeVocabulary.EndOfText] = -100 } };
        var first = EngineHarness.Request([.. system, 4, 4], DecodingMode.Pyramid, maxTokens: 3000, sampling: noEnd);
        var second = EngineHarness.Request([.. system, 8], DecodingMode.Pyramid, maxTokens: 30);
        using var cold = EngineHarness.Create();
        var expectedFirst = (await cold.RunAsync(first)).Text;
        var expectedSecond = (await cold.RunAsync(second)).Text;

        using var gate = new DecodeGate(open: false);
        using var warm = EngineHarness.Create(gate: gate);
        var firstUpdates = warm.Engine.Submit(first, default);
        await gate.PassUntilAsync(() => firstUpdates.TryPeek(out _), "the first request has produced a token");
        var secondRun = warm.RunAsync(second);
        // While the gate lets it, the second request is admitted, runs and is released; the first one is still running.
        await gate.PassUntilAsync(
            () => warm.Engine.Counters.Waiting == 0 && warm.Engine.Counters.Running == 1, "the second request has run and been released");
        var (text, last) = await Eventually.CompletesAsync(secondRun, "the second request's updates are read");

        // Its slot is still busy, so the cached prefix can only have come from the running request's KV.
        Assert.False(firstUpdates.Completion.IsCompleted, "the first request finished too early to share its prefix");
        Assert.Equal(system.Length, last.Statistics!.CachedPromptTokens);
        Assert.Equal(expectedSecond, text);
        gate.Open();
        var firstText = new System.Text.StringBuilder();
        foreach (var update in await Eventually.CompletesAsync(firstUpdates.ReadAllAsync().ToListAsync().AsTask(), "the first request finishes"))
        {
            firstText.Append(update.Text);
        }
        Assert.Equal(expectedFirst, firstText.ToString());
    }
}
