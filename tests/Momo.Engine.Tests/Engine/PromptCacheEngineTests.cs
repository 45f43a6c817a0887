using Momo.Engine.Requests;

namespace Momo.Engine.Tests.Engine;

/// <summary>
/// The host-memory prompt cache in the engine: more conversations than slots keep their prefixes, output is the same
/// as a cold run in every mode, the size limit holds, and a refused restore is computed instead.
/// </summary>
public sealed class PromptCacheEngineTests
{
    private const int SystemLength = 120;

    private static int[][] Systems() =>
    [
        AgentConversations.SystemPrompt(1, SystemLength),
        AgentConversations.SystemPrompt(1, SystemLength), // a subagent's conversation on the same system prompt
        AgentConversations.SystemPrompt(1, SystemLength),
        AgentConversations.SystemPrompt(2, SystemLength), // another agent with its own
    ];

    private static EngineOptions TwoSlots(long promptCacheBytes, bool reuse = true) =>
        new(MaxSequences: 2, ContextPerSequence: 4096, ReusePrefixes: reuse, PromptCacheBytes: promptCacheBytes);

    [Theory]
    [InlineData(DecodingMode.Pyramid)]
    [InlineData(DecodingMode.TwoTier)]
    [InlineData(DecodingMode.TargetOnly)]
    [InlineData(DecodingMode.Auto)]
    public async Task Four_conversations_on_two_slots_find_every_earlier_turn_cached_and_answer_as_a_cold_run(DecodingMode mode)
    {
        using var harness = EngineHarness.Create(TwoSlots(64 << 20));
        var turns = await AgentConversations.RunAsync(harness, Systems(), turns: 3, mode);

        foreach (var turn in turns.Where(t => t.Index > 0))
        {
            Assert.True(turn.Cached >= turn.Cacheable,
                $"conversation {turn.Conversation} turn {turn.Index}: {turn.Cached} cached of the {turn.Cacheable} cacheable tokens of its earlier turns");
        }
        Assert.True(harness.Target.Restores > 0, "no turn was restored from the host cache");
        using var cold = EngineHarness.Create(TwoSlots(0, reuse: false));
        foreach (var turn in turns)
        {
            var (text, last) = await cold.RunAsync(EngineHarness.Request(turn.Prompt, mode, maxTokens: 12));
            Assert.Equal(0, last.Statistics!.CachedPromptTokens);
            Assert.Equal(text, turn.Text);
        }
    }

    [Fact]
    public async Task A_preempted_sequence_has_its_kv_copied_to_the_host_cache_and_restored_when_it_resumes_with_exact_output()
    {
        const int Tight = 160;
        using var roomy = EngineHarness.Create();
        using var harness = EngineHarness.Create(
            new EngineOptions(MaxSequences: 16, ContextPerSequence: 4096, PromptCacheBytes: 64 << 20), targetKv: Tight);
        // Each prompt starts with its own token, so no request finds another's KV in the host cache: every restore
        // there is a preempted sequence's own.
        var prompts = Enumerable.Range(0, 8).Select(i => EngineHarness.Prompt(i).Prepend(2 + i).ToArray()).ToArray();
        var expected = new List<string>();
        foreach (var prompt in prompts)
        {
            expected.Add((await roomy.RunAsync(EngineHarness.Request(prompt, DecodingMode.TargetOnly, maxTokens: 30))).Text);
        }

        var results = await Task.WhenAll(prompts.Select(p => harness.RunAsync(EngineHarness.Request(p, DecodingMode.Pyramid, maxTokens: 30))));

        Assert.Equal(expected, results.Select(r => r.Text).ToList());
        Assert.Contains(results, r => r.Last.Statistics!.Preemptions > 0);
        Assert.All(results, r => Assert.Equal(0, r.Last.Statistics!.CachedPromptTokens));
        Assert.True(harness.Target.Saves > 0, "no preempted KV was copied to the host cache");
        Assert.True(harness.Target.Restores > 0, "no preempted sequence had its KV restored when it resumed");
    }

    [Fact]
    public async Task Without_the_host_cache_a_conversation_whose_slot_was_taken_keeps_only_the_shared_system_prompt()
    {
        using var harness = EngineHarness.Create(TwoSlots(0));
        var turns = await AgentConversations.RunAsync(harness, Systems(), turns: 3, DecodingMode.Pyramid);

        Assert.Contains(turns, t => t.Index > 0 && t.Cached < t.Cacheable);
        Assert.Equal(0, harness.Target.Saves);
        Assert.Equal(0, harness.Engine.Counters.PromptCacheEntries);
    }

    [Fact]
    public async Task With_prefix_reuse_off_nothing_is_cached_or_saved()
    {
        using var harness = EngineHarness.Create(TwoSlots(64 << 20, reuse: false));
        var turns = await AgentConversations.RunAsync(harness, Systems(), turns: 2, DecodingMode.Pyramid);

        Assert.All(turns, t => Assert.Equal(0, t.Cached));
        Assert.Equal(0, harness.Target.Saves);
    }

    [Fact]
    public async Task The_host_cache_never_holds_more_than_its_limit()
    {
        // About two conversations' KV (three tiers at 1 KiB a token): the others are dropped, least recently used first.
        const long Limit = 2 * 3 * 160 * 1024;
        using var harness = EngineHarness.Create(TwoSlots(Limit));
        var systems = Enumerable.Range(10, 6).Select(seed => AgentConversations.SystemPrompt(seed, SystemLength)).ToArray();
        var turns = await AgentConversations.RunAsync(harness, systems, turns: 2, DecodingMode.Pyramid);

        Assert.InRange(harness.Engine.Counters.PromptCacheBytes, 1, Limit);
        Assert.InRange(harness.Engine.Counters.PromptCacheEntries, 1, 2);
        // Six conversations through two slots and room for two more: some second turns started cold.
        Assert.Contains(turns, t => t.Index > 0 && t.Cached < t.Cacheable);
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_saved_loses_only_the_prefix_and_the_engine_goes_on()
    {
        using var harness = EngineHarness.Create(TwoSlots(64 << 20));
        harness.Qualifier.FailSaves = true;
        var turns = await AgentConversations.RunAsync(harness, Systems(), turns: 2, DecodingMode.Pyramid);

        Assert.Equal(8, turns.Count);
        Assert.Equal(0, harness.Engine.Counters.PromptCacheEntries);
        using var cold = EngineHarness.Create(TwoSlots(0, reuse: false));
        foreach (var turn in turns)
        {
            Assert.Equal((await cold.RunAsync(EngineHarness.Request(turn.Prompt, DecodingMode.Pyramid, maxTokens: 12))).Text, turn.Text);
        }
    }

    [Fact]
    public async Task Under_memory_pressure_cached_prefixes_go_to_the_host_cache_before_they_are_dropped()
    {
        // The target's KV holds about two conversations: a free slot's cache is evicted while the other slot runs.
        using var harness = EngineHarness.Create(TwoSlots(64 << 20), targetKv: 300);
        var turns = await AgentConversations.RunAsync(harness, Systems(), turns: 2, DecodingMode.Pyramid);

        Assert.True(harness.Target.FullRefusals > 0, "the target's KV never ran full; the test proves nothing");
        Assert.True(harness.Target.Saves > 0, "nothing was saved before the eviction");
        using var cold = EngineHarness.Create(TwoSlots(0, reuse: false));
        foreach (var turn in turns)
        {
            Assert.Equal((await cold.RunAsync(EngineHarness.Request(turn.Prompt, DecodingMode.Pyramid, maxTokens: 12))).Text, turn.Text);
        }
    }

    [Fact]
    public async Task A_restore_the_tiers_refuse_is_computed_instead_with_the_same_output()
    {
        using var harness = EngineHarness.Create(TwoSlots(64 << 20));
        foreach (var tier in harness.Tiers)
        {
            tier.RefuseRestores = true;
        }
        var turns = await AgentConversations.RunAsync(harness, Systems(), turns: 2, DecodingMode.Pyramid);

        using var cold = EngineHarness.Create(TwoSlots(0, reuse: false));
        foreach (var turn in turns)
        {
            Assert.Equal((await cold.RunAsync(EngineHarness.Request(turn.Prompt, DecodingMode.Pyramid, maxTokens: 12))).Text, turn.Text);
        }
        Assert.Equal(0, harness.Target.Restores);
    }
}
