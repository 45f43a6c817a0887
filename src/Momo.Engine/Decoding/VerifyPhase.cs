using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// The outer stage: one batched target decode verifies every sequence's speculative tail (pyramid: qualified
/// tokens against their true distributions; two-tier: drafts against q; target-only: an empty tail, so the
/// "bonus" is an ordinary sample from p). Commits the accepted tokens plus the residual or bonus token and rolls
/// every tier's KV back to the committed prefix.
/// </summary>
internal sealed class VerifyPhase(TierSet tiers, EngineMetrics metrics)
{
    private readonly DecodeBatch _batch = new();
    private readonly List<(Sequence Sequence, int KvBefore)> _fed = [];
    private readonly List<int> _handles = [];

    /// <summary>Verifies and commits; returns, per sequence, the working index where its newly committed tokens start.</summary>
    public void Run(IReadOnlyList<Sequence> sequences, List<(Sequence Sequence, int FirstNew)> committed)
    {
        _batch.Clear();
        _fed.Clear();
        _handles.Clear();
        foreach (var sequence in sequences)
        {
            _fed.Add((sequence, sequence.Kv[(int)Tier.Target]));
            _handles.Add(TierFeed.AddCatchUp(_batch, sequence, Tier.Target, sequence.TailLength + 1));
        }
        TierFeed.Decode(tiers, Tier.Target, _batch, _fed);
        var model = tiers.Target;
        for (var i = 0; i < _fed.Count; i++)
        {
            var sequence = _fed[i].Sequence;
            committed.Add((sequence, sequence.CommittedLength));
            Commit(sequence, model, _handles[i]);
        }
    }

    private void Commit(Sequence sequence, ITierModel model, int firstHandle)
    {
        var tail = sequence.TailLength;
        var firstTail = sequence.CommittedLength;
        var vocabulary = model.VocabularySize;
        var verifier = TierFeed.VerifierRows(sequence, model, firstHandle, firstTail, tail); // [tail + 1, vocabulary]: p
        var outcome = SpeculativeSampling.Verify(
            sequence.Working.Slice(firstTail, tail), sequence.TailRows.Rows(0, tail), verifier, vocabulary, sequence.Random);
        Count(sequence, tail, outcome.AcceptedCount);
        sequence.TruncateKv(tiers, firstTail + outcome.AcceptedCount);
        sequence.CommitTail(outcome.AcceptedCount, outcome.NextToken);
    }

    private void Count(Sequence sequence, int proposed, int accepted)
    {
        var counters = sequence.Counters;
        counters.TargetCalls++;
        counters.TargetProposedTokens += proposed;
        counters.TargetAcceptedTokens += accepted;
        if (proposed == 0)
        {
            return;
        }
        var pyramid = sequence.Mode == DecodingMode.Pyramid;
        (pyramid ? sequence.QualifierToTarget : sequence.DraftToTarget).Observe(accepted, proposed);
        metrics.RecordVerification(pyramid ? "qualifier_to_target" : "draft_to_target", proposed, accepted);
    }
}
