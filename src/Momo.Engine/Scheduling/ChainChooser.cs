using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling.Chains;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// Picks a sequence's chain for one step, reading only the chains' descriptors (<see cref="ChainRegistry"/>). A fixed
/// mode runs its own chain, or the lookup chain when prompt lookup found a continuation (lookup is free, so a match is
/// always worth verifying, at the length that pays). <c>auto</c> weighs every chain the loaded tiers allow, and its
/// lengths, by the tokens per unit of cost of the whole step (<see cref="StepLoad"/>: the expected tokens from the
/// sequence's running acceptance per stage, the cost from the tiers' measured curves for the batch as settled so far),
/// and takes the best; when that is the target alone for a while it probes the speculative chains in turn, so their
/// acceptance estimates keep learning. Choosing changes no sequence: what <c>auto</c> decided travels in the plan
/// (<see cref="AutoDecision"/>) for the apply stage to record.
/// </summary>
internal sealed class ChainChooser(TierSet tiers, KvLedger ledger, DraftLengthPlanner lengths)
{
    private readonly StepLoad _load = lengths.NewStepLoad();

    /// <summary>
    /// Target-only steps after which <c>auto</c> probes speculation again, per sequence in the step: in a batch of n a
    /// speculative chain pays less (the target's rows are no longer nearly free), and every probe costs rows of a
    /// compute-bound decode, so a busy batch probes n times less often.
    /// </summary>
    public const int ProbeEvery = 16;

    /// <summary>
    /// How much more a speculative chain must promise than the target alone before <c>auto</c> takes it. The expected
    /// rates come from running estimates and measured curves that are off by several per cent (single decodes swing by
    /// more on a shared machine); where a chain promises only that much, as in a busy batch on a compute-bound CPU, its
    /// real gain is as likely a loss.
    /// </summary>
    public const double SpeculationMargin = 0.05;

    private int _stepSequences = 1;

    /// <summary>The chain, its adaptive lengths (before the request's settings and the step's bounds), and what <c>auto</c> decided.</summary>
    public readonly record struct Choice(ProposalChain Chain, ChainLengths Lengths, AutoDecision? Auto = null);

    public Choice Choose(Sequence sequence, int lookupFound)
    {
        var mode = sequence.Mode;
        if (lookupFound > 0 && mode != DecodingMode.Auto)
        {
            // A proposal runs on as far as the request allows (a loop repeats), so even a fixed mode verifies only
            // the number its acceptance by position and the target's cost curve say pays.
            return new Choice(ChainRegistry.Lookup, ChainRegistry.Lookup.Adaptive(sequence, lengths, lookupFound));
        }
        if (mode == DecodingMode.Auto)
        {
            return ChooseBest(sequence, lookupFound);
        }
        var chain = ChainRegistry.Of(mode);
        return new Choice(chain, chain.Adaptive(sequence, lengths, lookupFound));
    }

    /// <summary>Starts a step in which <paramref name="sequences"/> sequences verify, each counted as the target alone until its chain is settled.</summary>
    public void BeginStep(int sequences)
    {
        _stepSequences = Math.Max(1, sequences);
        _load.Clear();
        for (var i = 0; i < sequences; i++)
        {
            _load.Add(SequenceWork.TargetOnly());
        }
    }

    /// <summary>Settles a sequence's chain and lengths for this step: its work replaces its placeholder in the step's load.</summary>
    public void Settle(SequencePlan planned)
    {
        _load.Remove(SequenceWork.TargetOnly());
        _load.Add(planned.Chain.Work(planned.Sequence, planned.Lengths));
    }

    /// <summary>
    /// The chain and lengths under which the whole step commits the most tokens per unit of cost, given what the other
    /// sequences already settled (and the rest, for now, as the target alone): a coordinate ascent over the batch.
    /// </summary>
    private Choice ChooseBest(Sequence sequence, int lookupFound)
    {
        _load.Remove(SequenceWork.TargetOnly());
        var tokens = _load.ExpectedTokens;
        var cost = _load.Cost();
        double StepRate(SequenceWork work) => (tokens + work.ExpectedTokens) / (cost + _load.MarginalCost(work));

        var best = (Choice: new Choice(ChainRegistry.TargetOnly, default), Rate: StepRate(SequenceWork.TargetOnly()) * (1 + SpeculationMargin));
        var speculative = new List<ProposalChain>(ChainRegistry.All.Count);
        var targetOnly = lengths.TargetOnlyRate;
        foreach (var chain in ChainRegistry.All)
        {
            if (!chain.Speculates || !chain.IsAvailable(tiers, lookupFound))
            {
                continue;
            }
            speculative.Add(chain);
            var (alone, rate) = chain.BestAlone(sequence, lengths, lookupFound);
            if (chain.SmallerTiers.Count > 0 && !WorthCatchingUp(sequence, chain, rate, targetOnly))
            {
                continue;
            }
            foreach (var candidate in chain.Candidates(alone, lookupFound))
            {
                var work = chain.Work(sequence, candidate);
                var candidateRate = StepRate(work);
                if (candidateRate > best.Rate)
                {
                    best = (new Choice(chain, candidate), candidateRate);
                }
            }
        }
        _load.Add(SequenceWork.TargetOnly());

        var probed = false;
        if (!best.Choice.Chain.Speculates && sequence.Acceptance.StepsWithoutSpeculation >= ProbeEvery * _stepSequences && speculative.Count > 0)
        {
            // A probe, taking each speculative chain in turn, so every estimate keeps learning. One proposal is enough
            // to learn from (the rows give 1 − TV at that position) and costs little in a busy batch.
            var probe = speculative[sequence.Acceptance.Probes % speculative.Count];
            best.Choice = new Choice(probe, probe.Probe);
            probed = true;
        }
        return best.Choice with { Auto = new AutoDecision(best.Choice.Chain.Speculates, probed) };
    }

    /// <summary>
    /// Whether the chain may pay: false when its single-sequence rate cannot beat the target alone, or when the smaller
    /// tiers it needs would first have to catch up on more text than the expected saving over the request's remaining
    /// tokens can repay (a short answer to a long prompt never pays for prefilling the draft and qualifier).
    /// </summary>
    private bool WorthCatchingUp(Sequence sequence, ProposalChain chain, double rate, double targetOnly)
    {
        if (rate <= targetOnly)
        {
            return false;
        }
        var missing = 0;
        foreach (var tier in chain.SmallerTiers)
        {
            missing = Math.Max(missing, sequence.Tokens.CommittedLength - 1 - ledger.Cached(sequence.Slot, tier));
        }
        if (missing <= 0)
        {
            return true;
        }
        var saving = sequence.Tokens.RemainingTokens * ((1 / targetOnly) - (1 / rate));
        return saving > lengths.SmallerTiersPrefillCost(missing, withQualifier: chain.SmallerTiers.Contains(Tier.Qualifier));
    }
}
