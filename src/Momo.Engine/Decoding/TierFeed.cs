using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;

namespace Momo.Engine.Decoding;

/// <summary>Adds a sequence's not-yet-cached tokens to a tier's batch: the catch-up every phase starts with.</summary>
internal static class TierFeed
{
    /// <summary>
    /// Adds <c>Working[Kv[tier]..]</c> with logits for the last <paramref name="logitsForLast"/> tokens and marks them
    /// cached. Returns the batch handle of the first token with logits.
    /// </summary>
    public static int AddCatchUp(DecodeBatch batch, Sequence sequence, Tier tier, int logitsForLast)
    {
        var from = sequence.Kv[(int)tier];
        var tokens = sequence.Working[from..];
        if (tokens.Length < logitsForLast)
        {
            throw new InvalidOperationException(
                $"Sequence {sequence.Request.Id}: {tier} needs logits for {logitsForLast} tokens but only {tokens.Length} are uncached.");
        }
        var handle = batch.AddRange(tokens, from, sequence.Slot, logitsForLast);
        sequence.Kv[(int)tier] = sequence.WorkingLength;
        return handle;
    }

    /// <summary>
    /// The verifier's distributions for a run of <paramref name="count"/> proposals decoded from batch handle
    /// <paramref name="firstHandle"/>: one row per proposal position plus the bonus position, starting at working index
    /// <paramref name="firstPosition"/>, written into the sequence's verifier rows.
    /// </summary>
    /// <returns>[count + 1, vocabulary] rows.</returns>
    public static Span<float> VerifierRows(Sequence sequence, ITierModel model, int firstHandle, int firstPosition, int count)
    {
        var vocabulary = model.VocabularySize;
        var rows = sequence.VerifierRows.Rows(0, count + 1);
        for (var j = 0; j <= count; j++)
        {
            sequence.Distribution.Compute(
                model.Logits(firstHandle + j), sequence.HistoryBefore(firstPosition + j), rows.Slice(j * vocabulary, vocabulary));
        }
        return rows;
    }

    /// <summary>
    /// Decodes the batch on <paramref name="tier"/>. If the decode fails, the sequences' KV bookkeeping for that tier
    /// is restored (llama.cpp leaves the cache as before on a failed decode, save for processed micro-batches,
    /// which the truncation removes).
    /// </summary>
    public static void Decode(TierSet tiers, Tier tier, DecodeBatch batch, IReadOnlyList<(Sequence Sequence, int KvBefore)> fed)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var model = tiers[tier] ?? throw new InvalidOperationException($"The {tier} tier is not loaded.");
        try
        {
            model.Decode(batch);
        }
        catch
        {
            foreach (var (sequence, kvBefore) in fed)
            {
                sequence.Kv[(int)tier] = kvBefore;
                model.Truncate(sequence.Slot, kvBefore);
            }
            throw;
        }
    }
}
