using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Engine.Sequences;

namespace Momo.Engine.Decoding;

/// <summary>
/// The draft proposes the next token of every drafting sequence in one batched decode (never one decode per
/// sequence). Each proposal's distribution q is written to the sequence's next tail row, where the verifying stage
/// reads it; the tokens themselves are returned for the executor to append, each with whether the draft was sure
/// enough of it (at least <paramref name="minConfidence"/>, see <see cref="DraftConfidence"/>) to draft on after it.
/// </summary>
internal sealed class DraftPhase(TierSet tiers, TierDecoder decoder, float minConfidence)
{
    private readonly DraftConfidence _confidence = new();
    private readonly List<TierFeed> _feeds = [];

    /// <summary>One draft position for each of <paramref name="drafting"/>; the proposals in the same order.</summary>
    public DraftProposal[] ProposeNext(IReadOnlyList<Sequence> drafting)
    {
        _feeds.Clear();
        foreach (var sequence in drafting)
        {
            _feeds.Add(decoder.CatchUp(sequence, Tier.Draft, logitsForLast: 1));
        }
        var proposals = new DraftProposal[drafting.Count];
        decoder.Decode(Tier.Draft, _feeds, (feed, handle) => proposals[feed] = Propose(drafting[feed], handle));
        return proposals;
    }

    private DraftProposal Propose(Sequence sequence, int handle)
    {
        var row = sequence.Tokens.TailRows.Row(sequence.Tokens.TailLength);
        var logits = tiers[Tier.Draft]!.Logits(handle);
        sequence.ComputeRow(logits, sequence.Tokens.WorkingLength, row);
        var sure = minConfidence <= 0 || _confidence.TopProbability(logits, row, sequence.Request.Sampling.IsGreedy) >= minConfidence;
        return new DraftProposal(sequence.Sampler.Random.SampleFrom(row), sure);
    }
}

/// <summary>A drafted <paramref name="Token"/>, and whether the draft was sure enough of it to draft on after it.</summary>
internal readonly record struct DraftProposal(int Token, bool Sure);
