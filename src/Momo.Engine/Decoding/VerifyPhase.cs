using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;

namespace Momo.Engine.Decoding;

/// <summary>
/// The outer stage: one batched target decode verifies every ready sequence's speculative tail (pyramid: qualified
/// tokens against their true distributions; two-tier: drafts against q; target-only: an empty tail, so the "bonus"
/// is an ordinary sample from p). Returns what was accepted, one verdict per plan in order; committing is the apply stage's.
/// </summary>
internal sealed class VerifyPhase(TierSet tiers, TierDecoder decoder, AcceptanceRule rule)
{
    private readonly List<TierFeed> _feeds = [];

    public TargetVerification[] Run(IReadOnlyList<SequencePlan> ready)
    {
        _feeds.Clear();
        foreach (var plan in ready)
        {
            _feeds.Add(decoder.CatchUp(plan.Sequence, Tier.Target, plan.Sequence.Tokens.TailLength + 1));
        }
        var verdicts = new TargetVerification[ready.Count];
        decoder.Decode(Tier.Target, _feeds, (feed, handle) => verdicts[feed] = Verify(ready[feed], handle));
        return verdicts;
    }

    private TargetVerification Verify(SequencePlan plan, int firstHandle)
    {
        var sequence = plan.Sequence;
        var model = tiers.Target;
        var tail = sequence.Tokens.TailLength;
        var firstTail = sequence.Tokens.CommittedLength;
        var verifier = VerifierRows.Compute(sequence, model, firstHandle, firstTail, tail); // [tail + 1, vocabulary]: p
        var proposals = sequence.Tokens.TailRows.Rows(0, tail); // [tail, vocabulary]: the distribution each tail token was drawn from
        var outcome = rule(sequence.Tokens.Working.Slice(firstTail, tail), proposals, verifier, model.VocabularySize, sequence.Sampler.Random);
        var expected = VerifierRows.ExpectedAcceptance(proposals, verifier, model.VocabularySize, tail);
        return new TargetVerification(plan, tail, outcome.AcceptedCount, outcome.NextToken, expected)
        {
            Logprobs = sequence.Request.TopLogprobs is { } top
                ? TargetLogprobs.Read(model, firstHandle, [.. sequence.Tokens.Working.Slice(firstTail, outcome.AcceptedCount), outcome.NextToken], top)
                : null,
        };
    }
}
