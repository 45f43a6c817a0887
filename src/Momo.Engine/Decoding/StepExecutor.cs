using Momo.Engine.Runtime;
using Momo.Engine.Scheduling;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;
using Momo.Engine.Telemetry;

namespace Momo.Engine.Decoding;

/// <summary>
/// Executes a planned step: the prefill chunks, lookup proposals (free), then draft and qualifier rounds by each chain's
/// round rule until every chain has its tail, then one target verification for every ready sequence. Each phase is one
/// batched decode per tier across all sequences (split only where the batch limit demands), whatever their chains and
/// lengths. The plan is read, never written: each round's progress (drafts left, tails that ended) is the executor's
/// own. Only the speculative tail changes here: proposals are appended, and qualifying goes through
/// <see cref="TailKeeper.Qualify"/>, which truncates every tier's KV past the qualified text; what the target accepted
/// is returned for the apply stage.
/// </summary>
internal sealed class StepExecutor
{
    private readonly ITokenText _vocabulary;
    private readonly TailKeeper _tails;
    private readonly PrefillPhase _prefill;
    private readonly DraftPhase _draft;
    private readonly QualifyPhase _qualify;
    private readonly VerifyPhase _verify;
    // This step's progress, by plan index: drafts still to propose in the current round, and whether the tail already
    // ends the text (an end-of-generation token: speculating further is wasted).
    private int[] _draftsLeft = [];
    private bool[] _tailEnded = [];
    private readonly List<int> _drafting = [];

    public StepExecutor(
        TierSet tiers, KvLedger ledger, TailKeeper tails, ITokenText vocabulary, AcceptanceRule rule, EngineMetrics metrics,
        float draftMinConfidence, IReadOnlyList<TierCostCurve?> costs)
    {
        _vocabulary = vocabulary;
        _tails = tails;
        var decoder = new TierDecoder(tiers, ledger, metrics, costs);
        _prefill = new PrefillPhase(decoder);
        _draft = new DraftPhase(tiers, decoder, draftMinConfidence);
        _qualify = new QualifyPhase(tiers, decoder, rule);
        _verify = new VerifyPhase(tiers, decoder, rule);
    }

    public StepOutcome Execute(StepPlan plan)
    {
        var ready = plan.Ready;
        StartProgress(ready.Count);
        var inner = new List<InnerVerification>();
        _prefill.Run(plan.Prefill);
        AppendLookups(ready);
        for (var round = 0; StartRound(ready, round); round++)
        {
            Draft(ready);
            Qualify(ready, inner);
        }
        return new StepOutcome(inner, _verify.Run(ready));
    }

    private void StartProgress(int count)
    {
        if (_draftsLeft.Length < count)
        {
            _draftsLeft = new int[count];
            _tailEnded = new bool[count];
        }
        Array.Clear(_draftsLeft, 0, count);
        Array.Clear(_tailEnded, 0, count);
    }

    /// <summary>Lookup's proposals join the tail at once, with one-hot rows: proposing them costs no decode.</summary>
    private void AppendLookups(IReadOnlyList<SequencePlan> ready)
    {
        for (var p = 0; p < ready.Count; p++)
        {
            var planned = ready[p];
            for (var i = 0; i < planned.Lengths.LookupCount && !_tailEnded[p]; i++)
            {
                var token = planned.LookupTokens[i];
                planned.Sequence.Tokens.AppendOneHot(token);
                _tailEnded[p] = _vocabulary.IsEndOfGeneration(token);
            }
        }
    }

    /// <summary>Sets each sequence's drafts for inner round <paramref name="round"/> by its chain's round rule; returns whether any sequence drafts.</summary>
    private bool StartRound(IReadOnlyList<SequencePlan> ready, int round)
    {
        _drafting.Clear();
        for (var p = 0; p < ready.Count; p++)
        {
            var planned = ready[p];
            _draftsLeft[p] = _tailEnded[p] ? 0 : planned.Chain.DraftsThisRound(planned.Lengths, round, planned.Sequence.Tokens.QualifiedCount);
            if (_draftsLeft[p] > 0)
            {
                _drafting.Add(p);
            }
        }
        return _drafting.Count > 0;
    }

    /// <summary>Draft positions, one batched decode each, until every drafting sequence has its round's drafts.</summary>
    private void Draft(IReadOnlyList<SequencePlan> ready)
    {
        var feeding = new List<int>(_drafting.Count);
        var sequences = new List<Sequence>(_drafting.Count);
        while (true)
        {
            feeding.Clear();
            sequences.Clear();
            foreach (var p in _drafting)
            {
                if (_draftsLeft[p] > 0)
                {
                    feeding.Add(p);
                    sequences.Add(ready[p].Sequence);
                }
            }
            if (feeding.Count == 0)
            {
                return;
            }
            var proposals = _draft.ProposeNext(sequences);
            for (var i = 0; i < proposals.Length; i++)
            {
                var (p, (token, sure)) = (feeding[i], proposals[i]);
                ready[p].Sequence.Tokens.AppendDraft(token);
                // Drafting past the end of the text is wasted work: every verifier stops there anyway. Past an unsure
                // proposal the round stops too (a qualifying chain's next inner round drafts on from the qualified
                // text). Where no qualifier checks the drafts, an end ends the tail.
                var ends = _vocabulary.IsEndOfGeneration(token);
                _draftsLeft[p] = ends || !sure ? 0 : _draftsLeft[p] - 1;
                _tailEnded[p] |= ends && !ready[p].Chain.Qualifies;
            }
        }
    }

    private void Qualify(IReadOnlyList<SequencePlan> ready, List<InnerVerification> inner)
    {
        var qualifying = new List<int>(_drafting.Count);
        var sequences = new List<Sequence>(_drafting.Count);
        foreach (var p in _drafting)
        {
            if (ready[p].Chain.Qualifies)
            {
                qualifying.Add(p);
                sequences.Add(ready[p].Sequence);
            }
        }
        if (qualifying.Count == 0)
        {
            return;
        }
        foreach (var (index, proposed, verdict, expected) in _qualify.Run(sequences))
        {
            var p = qualifying[index];
            inner.Add(new InnerVerification(ready[p], proposed, verdict.AcceptedCount, expected));
            _tailEnded[p] |= _tails.Qualify(ready[p].Sequence, verdict.AcceptedCount, verdict.NextToken);
        }
    }
}
