namespace Momo.Bench.AgentTurns;

/// <summary>One turn as the server answered it.</summary>
/// <param name="Conversation">Conversation index.</param>
/// <param name="Turn">Turn index within it (0 = first).</param>
/// <param name="PromptTokens">Prompt tokens (usage.prompt_tokens).</param>
/// <param name="CachedTokens">Of them, served from the prefix cache (usage.prompt_tokens_details.cached_tokens).</param>
/// <param name="FirstTokenSeconds">Request sent to first content.</param>
/// <param name="Seconds">Request sent to the end of the stream.</param>
internal sealed record AgentTurnResult(int Conversation, int Turn, int PromptTokens, int CachedTokens, double FirstTokenSeconds, double Seconds);

/// <summary>What the run shows: hit rates and the prefill the cache avoided.</summary>
internal sealed record AgentTurnsSummary(
    int Requests, long PromptTokens, long CachedTokens, double HitRate, double LaterTurnsHitRate, long PrefilledTokens,
    double MedianFirstTurnSeconds, double MedianLaterTurnSeconds)
{
    /// <summary>Sums over <paramref name="turns"/>; "later" means every turn but each conversation's first.</summary>
    public static AgentTurnsSummary Of(IReadOnlyList<AgentTurnResult> turns)
    {
        var later = turns.Where(t => t.Turn > 0).ToList();
        long prompt = turns.Sum(t => (long)t.PromptTokens), cached = turns.Sum(t => (long)t.CachedTokens);
        long laterPrompt = later.Sum(t => (long)t.PromptTokens), laterCached = later.Sum(t => (long)t.CachedTokens);
        return new AgentTurnsSummary(
            turns.Count, prompt, cached, Ratio(cached, prompt), Ratio(laterCached, laterPrompt), prompt - cached,
            Median(turns.Where(t => t.Turn == 0).Select(t => t.FirstTokenSeconds)), Median(later.Select(t => t.FirstTokenSeconds)));
    }

    private static double Ratio(long part, long whole) => whole > 0 ? (double)part / whole : 0;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
