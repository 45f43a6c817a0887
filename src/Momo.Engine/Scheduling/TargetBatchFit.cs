using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// When the step's target verification holds more tokens than one decode of the target may carry, there are two ways
/// to stay inside the limit: verify in several decodes, or shorten the longest tails until one decode holds them all.
/// This picks whichever the target's measured cost curve says yields more expected tokens per unit of cost
/// (tokens per sequence: <see cref="AcceptanceProfile.TokensPerVerify"/>). The draft and qualifier work saved by shorter
/// tails is left out: it is small next to the target's, and leaving it out only favours splitting.
/// </summary>
internal static class TargetBatchFit
{
    /// <summary>
    /// Shortens <paramref name="gammas"/> in place when that pays. <paramref name="overhead"/>[i] is the target tokens
    /// sequence i feeds beside its γ proposals (catch-up, bonus position, a pyramid's possible extra qualified token).
    /// </summary>
    public static void Fit(Span<int> gammas, ReadOnlySpan<int> overhead, ReadOnlySpan<AcceptanceProfile> alphas, int limit, TierCostCurve target)
    {
        if (Total(gammas, overhead) <= limit)
        {
            return;
        }
        Span<int> shortened = stackalloc int[gammas.Length];
        gammas.CopyTo(shortened);
        while (Total(shortened, overhead) > limit && Longest(shortened) is var longest && shortened[longest] > 0)
        {
            shortened[longest]--;
        }
        if (Rate(shortened, overhead, alphas, limit, target) > Rate(gammas, overhead, alphas, limit, target))
        {
            shortened.CopyTo(gammas);
        }
    }

    /// <summary>Cost of decoding <paramref name="tokens"/> tokens in decodes of at most <paramref name="limit"/>.</summary>
    public static double SplitCost(int tokens, int limit, TierCostCurve curve) =>
        (tokens / limit * curve.Cost(limit)) + curve.Cost(tokens % limit);

    private static double Rate(ReadOnlySpan<int> gammas, ReadOnlySpan<int> overhead, ReadOnlySpan<AcceptanceProfile> alphas, int limit, TierCostCurve target)
    {
        var tokens = 0.0;
        for (var i = 0; i < gammas.Length; i++)
        {
            tokens += alphas[i].TokensPerVerify(gammas[i]);
        }
        return tokens / SplitCost(Total(gammas, overhead), limit, target);
    }

    private static int Total(ReadOnlySpan<int> gammas, ReadOnlySpan<int> overhead)
    {
        var sum = 0;
        for (var i = 0; i < gammas.Length; i++)
        {
            sum += gammas[i] + overhead[i];
        }
        return sum;
    }

    private static int Longest(ReadOnlySpan<int> gammas)
    {
        var longest = 0;
        for (var i = 1; i < gammas.Length; i++)
        {
            if (gammas[i] > gammas[longest])
            {
                longest = i;
            }
        }
        return longest;
    }
}
