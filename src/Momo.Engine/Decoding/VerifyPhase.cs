using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;

namespace Momo.Engine.Decoding;

/// <summary>
/// The outer stage: one batched target decode verifies every ready sequence's speculative tail (pyramid: qualified
/// tokens against their true distributions; two-tier: drafts against q; target-only: an empty tail, so the "bonus"
/// is an ordinary sample from p). Returns what was accepted; committing is the apply stage's.
/// </summary>
internal sealed class VerifyPhase(TierSet tiers, TierDecoder decoder, AcceptanceRule rule)
{
    private readonly List<TierFeed> _feeds = [];
    private readonly List<SequencePlan> _fed = [];
    private List<TargetVerification> _results = [];
    private TierDecoder.LogitsReader? _read;

    public void Run(IReadOnlyList<SequencePlan> ready, List<TargetVerification> results)
    {
        _feeds.Clear();
        _fed.Clear();
        _results = results;
        foreach (var plan in ready)
        {
            _fed.Add(plan);
            _feeds.Add(decoder.CatchUp(plan.Sequence, Tier.Target, plan.Sequence.TailLength + 1));
        }
        decoder.Decode(Tier.Target, _feeds, _read ??= Verify);
    }

    private void Verify(int feed, int firstHandle)
    {
        var sequence = _fed[feed].Sequence;
        var model = tiers.Target;
        var tail = sequence.TailLength;
        var firstTail = sequence.CommittedLength;
        var verifier = VerifierRows.Compute(sequence, model, firstHandle, firstTail, tail); // [tail + 1, vocabulary]: p
        var proposals = sequence.TailRows.Rows(0, tail); // [tail, vocabulary]: the distribution each tail token was drawn from
        var outcome = rule(sequence.Working.Slice(firstTail, tail), proposals, verifier, model.VocabularySize, sequence.Random);
        var expected = VerifierRows.ExpectedAcceptance(proposals, verifier, model.VocabularySize, tail);
        _results.Add(new TargetVerification(sequence, _fed[feed].Chain, firstTail, tail, outcome.AcceptedCount, outcome.NextToken, expected)
        {
            Logprobs = sequence.Request.TopLogprobs is { } top
                ? TargetLogprobs.Read(model, firstHandle, [.. sequence.Working.Slice(firstTail, outcome.AcceptedCount), outcome.NextToken], top)
                : null,
        });
    }
}
