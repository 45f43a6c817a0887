using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;

namespace Momo.Engine.Decoding;

/// <summary>
/// The pyramid's inner stage: one batched qualifier decode verifies every sequence's drafts (v = m, u = q). Returns,
/// per sequence, how many drafts were accepted and the residual or bonus token. Each qualified position's tail row
/// receives the distribution its token was truly sampled from (m, or q where the relaxed fuzzy test accepted
/// outright): the proposal distribution the target verifies against.
/// </summary>
internal sealed class QualifyPhase(TierSet tiers, TierDecoder decoder, AcceptanceRule rule)
{
    private readonly List<TierFeed> _feeds = [];
    private readonly List<SequencePlan> _fed = [];
    private readonly List<(SequencePlan Plan, VerifyOutcome Outcome, double[] ExpectedAcceptance)> _results = [];
    private TierDecoder.LogitsReader? _read;

    /// <summary>Verifies the drafts; per sequence the verdict and Σ 1 − TV(q, m) over the drafts.</summary>
    public IReadOnlyList<(SequencePlan Plan, VerifyOutcome Outcome, double[] ExpectedAcceptance)> Run(IReadOnlyList<SequencePlan> drafting)
    {
        _feeds.Clear();
        _fed.Clear();
        _results.Clear();
        foreach (var plan in drafting)
        {
            if (plan.Sequence.DraftCount > 0)
            {
                _fed.Add(plan);
                _feeds.Add(decoder.CatchUp(plan.Sequence, Tier.Qualifier, plan.Sequence.DraftCount + 1));
            }
        }
        decoder.Decode(Tier.Qualifier, _feeds, _read ??= Qualify);
        return _results;
    }

    private void Qualify(int feed, int firstHandle)
    {
        var sequence = _fed[feed].Sequence;
        var model = tiers[Tier.Qualifier]!;
        var drafts = sequence.DraftCount;
        var firstDraft = sequence.QualifiedCount; // tail index of the first draft
        var firstDraftPosition = sequence.CommittedLength + firstDraft;
        var vocabulary = model.VocabularySize;
        // [drafts + 1, vocabulary]: m at each draft and the bonus position
        var verifier = VerifierRows.Compute(sequence, model, firstHandle, firstDraftPosition, drafts);
        var proposed = sequence.Working.Slice(firstDraftPosition, drafts);
        var proposal = sequence.TailRows.Rows(firstDraft, drafts); // [drafts, vocabulary]: q
        var outcome = Verify(sequence, proposed, proposal, verifier, vocabulary, out var relaxed);
        var expected = VerifierRows.ExpectedAcceptance(proposal, verifier, vocabulary, drafts); // before m overwrites q
        for (var j = 0; j <= outcome.AcceptedCount; j++)
        {
            // A token accepted outright by the relaxed test was drawn from q, whose row is already in place; every
            // other qualified token (exactly accepted, recovered or bonus) is an exact sample from m.
            if (j == outcome.AcceptedCount || !relaxed[j])
            {
                verifier.Slice(j * vocabulary, vocabulary).CopyTo(sequence.TailRows.Row(firstDraft + j));
            }
        }
        _results.Add((_fed[feed], outcome, expected));
    }

    private VerifyOutcome Verify(
        Sequence sequence, ReadOnlySpan<int> proposed, ReadOnlySpan<float> proposal, ReadOnlySpan<float> verifier,
        int vocabulary, out bool[] relaxed)
    {
        if (sequence.Request.Speculation.FuzzyThreshold is { } threshold)
        {
            var fuzzy = FuzzyAcceptance.Verify(proposed, proposal, verifier, vocabulary, threshold, sequence.Random);
            relaxed = fuzzy.Relaxed;
            return fuzzy.Outcome;
        }
        relaxed = new bool[proposed.Length];
        return rule(proposed, proposal, verifier, vocabulary, sequence.Random);
    }
}
