using Momo.Engine.Results;
using Momo.Engine.Runtime;

namespace Momo.Engine.Decoding;

/// <summary>
/// The log-probabilities a request asked for, read from the target's logits of the verification just decoded: the
/// same rows whichever tier proposed the tokens, so no decode is added. They are the raw distribution (log-softmax of
/// the logits), not the one after temperature, penalties, bias or a grammar: what the model itself assigns.
/// </summary>
internal static class TargetLogprobs
{
    /// <summary>One entry per emitted token; <paramref name="emitted"/>[j] was chosen at batch handle <paramref name="firstHandle"/> + j.</summary>
    public static TokenLogprob[] Read(ITierModel target, int firstHandle, ReadOnlySpan<int> emitted, int top)
    {
        var entries = new TokenLogprob[emitted.Length];
        for (var j = 0; j < emitted.Length; j++)
        {
            entries[j] = Entry(target.Logits(firstHandle + j), emitted[j], top);
        }
        return entries;
    }

    private static TokenLogprob Entry(ReadOnlySpan<float> logits, int token, int top)
    {
        var logNormalizer = LogSumExp(logits);
        var best = Best(logits, top);
        var alternatives = new TokenAlternative[best.Length];
        for (var i = 0; i < best.Length; i++)
        {
            alternatives[i] = new TokenAlternative(best[i], (float)(logits[best[i]] - logNormalizer));
        }
        return new TokenLogprob(token, (float)(logits[token] - logNormalizer), alternatives);
    }

    /// <summary>log Σ exp(logits), shifted by the maximum so that no term overflows; summed in double.</summary>
    private static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }
        var sum = 0.0;
        foreach (var logit in logits)
        {
            sum += Math.Exp(logit - max);
        }
        return max + Math.Log(sum);
    }

    /// <summary>The ids of the <paramref name="count"/> largest logits, best first (ties: lower id first).</summary>
    private static int[] Best(ReadOnlySpan<float> logits, int count)
    {
        var best = new int[Math.Min(count, logits.Length)];
        var filled = 0;
        for (var id = 0; id < logits.Length; id++)
        {
            // Insertion into a short sorted list: most ids fail the first comparison against the current worst.
            if (filled == best.Length && (filled == 0 || logits[id] <= logits[best[filled - 1]]))
            {
                continue;
            }
            var at = filled < best.Length ? filled++ : filled - 1;
            while (at > 0 && logits[id] > logits[best[at - 1]])
            {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = id;
        }
        return best;
    }
}
