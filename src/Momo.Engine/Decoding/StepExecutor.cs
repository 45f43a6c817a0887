using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// Executes a planned step: the prefill chunks, then draft and qualifier rounds until every pyramid sequence holds its
/// γ₂ qualified tokens, then one target verification for every ready sequence. Each phase is one batched decode per
/// tier across all sequences (split only where the batch limit demands), whatever their modes and draft lengths.
/// Only the speculative tail changes here; what the target accepted is returned for the apply stage.
/// </summary>
internal sealed class StepExecutor
{
    private readonly KvLedger _ledger;
    private readonly ITokenText _vocabulary;
    private readonly PrefillPhase _prefill;
    private readonly DraftPhase _draft;
    private readonly QualifyPhase _qualify;
    private readonly VerifyPhase _verify;
    private readonly StepOutcome _outcome = new();
    private readonly List<SequencePlan> _drafting = [];
    private readonly List<SequencePlan> _qualifying = [];

    public StepExecutor(
        TierSet tiers, KvLedger ledger, ITokenText vocabulary, AcceptanceRule rule, EngineMetrics metrics, float draftMinConfidence,
        IReadOnlyList<TierCostCurve?> costs)
    {
        _ledger = ledger;
        _vocabulary = vocabulary;
        var decoder = new TierDecoder(tiers, ledger, metrics, costs);
        _prefill = new PrefillPhase(decoder);
        _draft = new DraftPhase(tiers, decoder, draftMinConfidence);
        _qualify = new QualifyPhase(tiers, decoder, rule);
        _verify = new VerifyPhase(tiers, decoder, rule);
    }

    public StepOutcome Execute(StepPlan plan)
    {
        _outcome.Clear();
        _prefill.Run(plan.Prefill);
        AppendLookups(plan);
        for (var round = 0; StartRound(plan, round); round++)
        {
            Draft();
            Qualify();
        }
        _verify.Run(plan.Ready, _outcome.Target);
        return _outcome;
    }

    /// <summary>The lookup chain's proposals join the tail at once, with one-hot rows: proposing them costs no decode.</summary>
    private void AppendLookups(StepPlan plan)
    {
        foreach (var planned in plan.Ready)
        {
            if (planned.Chain != Chain.Lookup)
            {
                continue;
            }
            for (var i = 0; i < planned.DraftLength && !planned.TailEnded; i++)
            {
                var token = planned.Sequence.LookupProposals[i];
                planned.Sequence.AppendOneHot(token);
                planned.TailEnded = _vocabulary.IsEndOfGeneration(token);
            }
        }
    }

    /// <summary>Sets each sequence's drafts for inner round <paramref name="round"/>; returns whether any sequence drafts.</summary>
    private bool StartRound(StepPlan plan, int round)
    {
        _drafting.Clear();
        foreach (var planned in plan.Ready)
        {
            planned.DraftsLeft = DraftsThisRound(planned, round);
            if (planned.DraftsLeft > 0)
            {
                _drafting.Add(planned);
            }
        }
        return _drafting.Count > 0;
    }

    private static int DraftsThisRound(SequencePlan planned, int round)
    {
        if (planned.TailEnded)
        {
            return 0;
        }
        switch (planned.Chain)
        {
            case Chain.TwoTier:
                return round == 0 ? planned.DraftLength : 0;
            case Chain.Pyramid:
                var missing = planned.QualifiedLength - planned.Sequence.QualifiedCount;
                return missing <= 0 ? 0 : Math.Min(planned.DraftLength, missing);
            default:
                return 0;
        }
    }

    /// <summary>Draft positions, one batched decode each, until every drafting sequence has its round's drafts.</summary>
    private void Draft()
    {
        while (true)
        {
            var proposals = _draft.ProposeNext(_drafting);
            if (proposals.Count == 0)
            {
                return;
            }
            foreach (var (planned, token, sure) in proposals)
            {
                planned.Sequence.AppendDraft(token);
                // Drafting past the end of the text is wasted work: every verifier stops there anyway. Past an unsure
                // proposal the round stops too (a pyramid's next inner round drafts on from the qualified text).
                var ends = _vocabulary.IsEndOfGeneration(token);
                planned.DraftsLeft = ends || !sure ? 0 : planned.DraftsLeft - 1;
                planned.TailEnded |= ends && planned.Chain == Chain.TwoTier;
            }
        }
    }

    private void Qualify()
    {
        _qualifying.Clear();
        _qualifying.AddRange(_drafting.Where(planned => planned.Chain == Chain.Pyramid));
        foreach (var (planned, verdict, expected) in _qualify.Run(_qualifying))
        {
            var sequence = planned.Sequence;
            var firstNew = sequence.QualifiedCount;
            _outcome.Inner.Add(new InnerVerification(sequence, sequence.DraftCount, verdict.AcceptedCount, expected));
            sequence.QualifyDrafts(verdict.AcceptedCount, verdict.NextToken);
            EndAtEndOfGeneration(planned, firstNew);
            // Everything before the last qualified token is now the sequence's content in every tier.
            _ledger.Truncate(sequence.Slot, sequence.WorkingLength - 1);
        }
    }

    /// <summary>
    /// An end-of-generation token among the newly qualified ones ends the tail there: tokens after it (an accepted
    /// end followed by the bonus token) would be verified in vain, and no more inner rounds are drafted.
    /// </summary>
    private void EndAtEndOfGeneration(SequencePlan planned, int firstNew)
    {
        var sequence = planned.Sequence;
        for (var i = firstNew; i < sequence.QualifiedCount; i++)
        {
            if (_vocabulary.IsEndOfGeneration(sequence.Working[sequence.CommittedLength + i]))
            {
                sequence.KeepQualified(i + 1);
                planned.TailEnded = true;
                return;
            }
        }
    }
}
