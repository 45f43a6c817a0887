using System.Diagnostics.CodeAnalysis;
using Momo.Engine.Runtime;
using Momo.Engine.Sequences;
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

    /// <summary>Verifies the drafts of each of <paramref name="qualifying"/> that has any; one verdict per sequence fed.</summary>
    public List<QualifyVerdict> Run(IReadOnlyList<Sequence> qualifying)
    {
        _feeds.Clear();
        var fed = new List<int>(qualifying.Count);
        for (var i = 0; i < qualifying.Count; i++)
        {
            if (qualifying[i].Tokens.DraftCount > 0)
            {
                fed.Add(i);
                _feeds.Add(decoder.CatchUp(qualifying[i], Tier.Qualifier, qualifying[i].Tokens.DraftCount + 1));
            }
        }
        var verdicts = new List<QualifyVerdict>(fed.Count);
        decoder.Decode(Tier.Qualifier, _feeds, (feed, handle) => verdicts.Add(Qualify(fed[feed], qualifying[fed[feed]], handle)));
        return verdicts;
    }

    private QualifyVerdict Qualify(int index, Sequence sequence, int firstHandle)
    {
        var model = tiers[Tier.Qualifier]!;
        var drafts = sequence.Tokens.DraftCount;
        var firstDraft = sequence.Tokens.QualifiedCount; // tail index of the first draft
        var firstDraftPosition = sequence.Tokens.CommittedLength + firstDraft;
        var vocabulary = model.VocabularySize;
        // [drafts + 1, vocabulary]: m at each draft and the bonus position
        var verifier = VerifierRows.Compute(sequence, model, firstHandle, firstDraftPosition, drafts);
        var proposed = sequence.Tokens.Working.Slice(firstDraftPosition, drafts);
        var proposal = sequence.Tokens.TailRows.Rows(firstDraft, drafts); // [drafts, vocabulary]: q
        var outcome = Verify(sequence, proposed, proposal, verifier, vocabulary, out var relaxed);
        var expected = VerifierRows.ExpectedAcceptance(proposal, verifier, vocabulary, drafts); // before m overwrites q
        for (var j = 0; j <= outcome.AcceptedCount; j++)
        {
            // A token accepted outright by the relaxed test was drawn from q, whose row is already in place; every
            // other qualified token (exactly accepted, recovered or bonus) is an exact sample from m.
            if (j == outcome.AcceptedCount || !relaxed[j])
            {
                verifier.Slice(j * vocabulary, vocabulary).CopyTo(sequence.Tokens.TailRows.Row(firstDraft + j));
            }
        }
        return new QualifyVerdict(index, drafts, outcome, expected);
    }

    private VerifyOutcome Verify(
        Sequence sequence, ReadOnlySpan<int> proposed, ReadOnlySpan<float> proposal, ReadOnlySpan<float> verifier,
        int vocabulary, out bool[] relaxed)
    {
        if (sequence.Request.Speculation.FuzzyThreshold is { } threshold)
        {
            var fuzzy = FuzzyAcceptance.Verify(proposed, proposal, verifier, vocabulary, threshold, sequence.Sampler.Random);
            relaxed = fuzzy.Relaxed;
            return fuzzy.Outcome;
        }
        relaxed = new bool[proposed.Length];
        return rule(proposed, proposal, verifier, vocabulary, sequence.Sampler.Random);
    }
}

/// <summary>
/// The qualifier's verdict on the <paramref name="Proposed"/> drafts of input <paramref name="Index"/>, with 1 − TV(q, m)
/// at each draft (the pair's acceptance, measured from the rows).
/// </summary>
[SuppressMessage("Performance", "CA1819", Justification = "VerifierRows allocated it for this one verdict and handed it over; the applier reads it per position, once, with no copy.")]
internal readonly record struct QualifyVerdict(int Index, int Proposed, VerifyOutcome Outcome, double[] ExpectedAcceptance);
