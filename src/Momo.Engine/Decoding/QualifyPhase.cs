using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// The pyramid's inner stage: one batched qualifier decode verifies every sequence's drafts (v = m, u = q).
/// Accepted drafts and the residual or bonus token become qualified tokens; each keeps in its tail row the
/// distribution it was truly sampled from (m, or q where the lossy fuzzy test accepted outright), which is the
/// proposal distribution the target verifies against.
/// </summary>
internal sealed class QualifyPhase(TierSet tiers, EngineMetrics metrics)
{
    private readonly DecodeBatch _batch = new();
    private readonly List<(Sequence Sequence, int KvBefore)> _fed = [];
    private readonly List<int> _handles = [];

    public void Run(IReadOnlyList<Sequence> sequences)
    {
        _batch.Clear();
        _fed.Clear();
        _handles.Clear();
        foreach (var sequence in sequences)
        {
            if (sequence.DraftCount == 0)
            {
                continue;
            }
            _fed.Add((sequence, sequence.Kv[(int)Tier.Qualifier]));
            _handles.Add(TierFeed.AddCatchUp(_batch, sequence, Tier.Qualifier, sequence.DraftCount + 1));
        }
        TierFeed.Decode(tiers, Tier.Qualifier, _batch, _fed);
        var model = tiers[Tier.Qualifier]!;
        for (var i = 0; i < _fed.Count; i++)
        {
            Qualify(_fed[i].Sequence, model, _handles[i]);
        }
    }

    private void Qualify(Sequence sequence, ITierModel model, int firstHandle)
    {
        var drafts = sequence.DraftCount;
        var firstDraft = sequence.QualifiedCount; // tail index of the first draft
        var firstDraftPosition = sequence.CommittedLength + firstDraft;
        var vocabulary = model.VocabularySize;
        // [drafts + 1, vocabulary]: m at each draft and the bonus position
        var verifier = TierFeed.VerifierRows(sequence, model, firstHandle, firstDraftPosition, drafts);
        var proposed = sequence.Working.Slice(firstDraftPosition, drafts);
        var proposal = sequence.TailRows.Rows(firstDraft, drafts); // [drafts, vocabulary]: q
        var outcome = Verify(sequence, proposed, proposal, verifier, vocabulary, out var relaxed);
        for (var j = 0; j <= outcome.AcceptedCount; j++)
        {
            // A token accepted outright by the lossy test was drawn from q, whose row is already in place; every
            // other qualified token (exactly accepted, recovered or bonus) is an exact sample from m.
            if (j == outcome.AcceptedCount || !relaxed[j])
            {
                verifier.Slice(j * vocabulary, vocabulary).CopyTo(sequence.TailRows.Row(firstDraft + j));
            }
        }
        sequence.Counters.QualifierAcceptedTokens += outcome.AcceptedCount;
        sequence.DraftToQualifier.Observe(outcome.AcceptedCount, drafts);
        metrics.RecordVerification("draft_to_qualifier", drafts, outcome.AcceptedCount);
        sequence.QualifyDrafts(outcome.AcceptedCount, outcome.NextToken);
        // Everything before the residual/bonus token is now the sequence's content in every tier.
        sequence.TruncateKv(tiers, sequence.WorkingLength - 1);
    }

    private static VerifyOutcome Verify(
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
        return SpeculativeSampling.Verify(proposed, proposal, verifier, vocabulary, sequence.Random);
    }
}
