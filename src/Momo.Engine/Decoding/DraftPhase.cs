using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;

namespace Momo.Engine.Decoding;

/// <summary>
/// The draft proposes the next token of every drafting sequence in one batched decode (never one decode per
/// sequence). Each proposal's distribution q is written to the sequence's next tail row, where the verifying stage
/// reads it; the tokens themselves are returned for the executor to append.
/// </summary>
internal sealed class DraftPhase(TierSet tiers, TierDecoder decoder)
{
    private readonly List<TierFeed> _feeds = [];
    private readonly List<SequencePlan> _fed = [];
    private readonly List<(SequencePlan Plan, int Token)> _proposals = [];
    private TierDecoder.LogitsReader? _read;

    /// <summary>One draft position for every plan with drafts left.</summary>
    public IReadOnlyList<(SequencePlan Plan, int Token)> ProposeNext(IReadOnlyList<SequencePlan> drafting)
    {
        _feeds.Clear();
        _fed.Clear();
        _proposals.Clear();
        foreach (var plan in drafting)
        {
            if (plan.DraftsLeft > 0)
            {
                _fed.Add(plan);
                _feeds.Add(decoder.CatchUp(plan.Sequence, Tier.Draft, logitsForLast: 1));
            }
        }
        decoder.Decode(Tier.Draft, _feeds, _read ??= Propose);
        return _proposals;
    }

    private void Propose(int feed, int handle)
    {
        var sequence = _fed[feed].Sequence;
        var row = sequence.TailRows.Row(sequence.TailLength);
        sequence.ComputeRow(tiers[Tier.Draft]!.Logits(handle), sequence.WorkingLength, row);
        _proposals.Add((_fed[feed], sequence.Random.SampleFrom(row)));
    }
}
