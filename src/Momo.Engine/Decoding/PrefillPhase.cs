using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;

namespace Momo.Engine.Decoding;

/// <summary>
/// Chunked prefill: caches committed tokens (all but the last, which the first decode phase feeds with logits)
/// in every tier a sequence uses, at most <paramref name="tokenBudget"/> prompt tokens per tier per step, so a
/// long prompt never stalls the streams that are already running.
/// </summary>
internal sealed class PrefillPhase(TierSet tiers, int tokenBudget)
{
    private readonly DecodeBatch _batch = new();
    private readonly List<(Sequence, int)> _fed = [];

    public void Run(IReadOnlyList<Sequence> sequences)
    {
        for (var t = 0; t < TierSet.Count; t++)
        {
            var tier = (Tier)t;
            _batch.Clear();
            _fed.Clear();
            var budget = Math.Min(tokenBudget, tiers[tier]?.MaxBatchTokens ?? 0);
            foreach (var sequence in sequences)
            {
                if (budget <= 0 || !TierSet.TiersOf(sequence.Mode).Contains(tier))
                {
                    continue;
                }
                var from = sequence.Kv[t];
                var count = Math.Min(sequence.CommittedLength - 1 - from, budget);
                if (count <= 0)
                {
                    continue;
                }
                _fed.Add((sequence, from));
                _batch.AddRange(sequence.Working.Slice(from, count), from, sequence.Slot, logitsForLast: 0);
                sequence.Kv[t] = from + count;
                budget -= count;
            }
            TierFeed.Decode(tiers, tier, _batch, _fed);
        }
    }

    /// <summary>Whether every tier <paramref name="sequence"/> uses holds all its committed tokens but the last.</summary>
    public static bool IsComplete(Sequence sequence) =>
        TierSet.TiersOf(sequence.Mode).All(tier => sequence.Kv[(int)tier] >= sequence.CommittedLength - 1);
}
