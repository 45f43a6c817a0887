using Momo.Engine.Scheduling;

namespace Momo.Engine.Tests.Engine;

/// <summary>The host prompt cache's bookkeeping: matches, the size limit, least recently used first, one entry per conversation.</summary>
public sealed class PromptCacheTests
{
    // One target snapshot of the tokens at 100 bytes a token.
    private static PromptCacheEntry Entry(params int[] tokens) =>
        new(tokens, [null, null, new FakeKvSnapshot("target", tokens, 100)], [0, 0, tokens.Length]);

    [Fact]
    public void The_entry_sharing_the_longest_prefix_is_found()
    {
        using var cache = new PromptCache(10_000);
        cache.Add(Entry(1, 2, 3, 4));
        cache.Add(Entry(1, 2, 9, 9, 9));

        var (entry, shared) = cache.Find([1, 2, 3, 7]);

        Assert.Equal([1, 2, 3, 4], entry!.Tokens.ToArray());
        Assert.Equal(3, shared);
        Assert.Equal((null, 0), cache.Find([5, 6]));
    }

    [Fact]
    public void The_least_recently_used_entry_is_dropped_to_stay_within_the_limit()
    {
        using var cache = new PromptCache(1_000); // four tokens' worth fit twice, not three times
        cache.Add(Entry(1, 1, 1, 1));
        cache.Add(Entry(2, 2, 2, 2));
        cache.Touch(cache.Find([1, 1]).Entry!); // restored: now the most recently used
        cache.Add(Entry(3, 3, 3, 3));

        Assert.Equal(800, cache.Bytes);
        Assert.Equal(4, cache.Find([1, 1, 1, 1]).Shared);
        Assert.Equal(0, cache.Find([2, 2, 2, 2]).Shared);
        Assert.Equal(4, cache.Find([3, 3, 3, 3]).Shared);
    }

    [Fact]
    public void An_entry_larger_than_the_whole_limit_is_not_kept()
    {
        using var cache = new PromptCache(500);
        cache.Add(Entry(1, 2));
        cache.Add(Entry(1, 2, 3, 4, 5, 6));

        Assert.Equal(1, cache.Count);
        Assert.Equal(200, cache.Bytes);
    }

    [Fact]
    public void A_later_turn_of_a_conversation_replaces_its_earlier_turn()
    {
        using var cache = new PromptCache(10_000);
        cache.Add(Entry(1, 2, 3));
        cache.Add(Entry(1, 2, 3, 4, 5));

        Assert.Equal(1, cache.Count);
        Assert.True(cache.Covers([1, 2, 3], [0, 0, 3]));
        Assert.False(cache.Covers([1, 2, 3], [1, 0, 3])); // the draft's KV of those tokens was never saved
    }

    [Fact]
    public void A_disabled_cache_keeps_nothing()
    {
        using var cache = new PromptCache(0);
        cache.Add(Entry(1, 2, 3));

        Assert.False(cache.Enabled);
        Assert.Equal(0, cache.Count);
    }
}
