using Momo.Engine.Runtime;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// Picks a sequence's chain for one step. A fixed mode runs its own chain, or the lookup chain when prompt lookup found
/// a continuation (lookup is free, so a match is always worth verifying, at the length that pays). <c>auto</c> weighs every chain the loaded
/// tiers allow, and its lengths, by the tokens per unit of cost of the whole step (<see cref="StepLoad"/>: the expected
/// tokens from the sequence's running acceptance per stage, the cost from the tiers' measured curves for the batch as
/// settled so far), and takes the best; when that is the target alone for a while it probes the best speculative
/// chain once, so its acceptance estimates keep learning.
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

    /// <summary>The chain and its adaptive lengths (γ₁ or γ, γ₂).</summary>
    public readonly record struct Choice(Chain Chain, int Inner = 0, int Outer = 0);

    public Choice Choose(Sequence sequence, int lookupCount)
    {
        var mode = sequence.Mode;
        if (lookupCount > 0 && mode != DecodingMode.Auto)
        {
            // A proposal runs on as far as the request allows (a loop repeats), so even a fixed mode verifies only
            // the number its acceptance by position and the target's cost curve say pays.
            return new Choice(Chain.Lookup, lengths.BestLookup(sequence.LookupToTarget.Profile, lookupCount).Count);
        }
        switch (mode)
        {
            case DecodingMode.TwoTier:
                return new Choice(Chain.TwoTier, lengths.ChooseTwoTier(sequence.DraftToTarget.Profile));
            case DecodingMode.Pyramid:
                var (inner, outer) = lengths.ChoosePyramid(sequence.DraftToQualifier.Profile, sequence.QualifierToTarget.Profile);
                return new Choice(Chain.Pyramid, inner, outer);
            case DecodingMode.Auto:
                return ChooseBest(sequence, lookupCount);
            default:
                return new Choice(Chain.TargetOnly);
        }
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
        var sequence = planned.Sequence;
        _load.Remove(SequenceWork.TargetOnly());
        _load.Add(planned.Chain switch
        {
            Chain.Lookup => SequenceWork.Lookup(sequence.LookupToTarget.Profile, planned.DraftLength),
            Chain.TwoTier => SequenceWork.TwoTier(sequence.DraftToTarget.Profile, planned.DraftLength),
            Chain.Pyramid => SequenceWork.Pyramid(
                sequence.DraftToQualifier.Profile, sequence.QualifierToTarget.Profile, planned.DraftLength, planned.QualifiedLength),
            _ => SequenceWork.TargetOnly(),
        });
    }

    /// <summary>
    /// The chain and lengths under which the whole step commits the most tokens per unit of cost, given what the other
    /// sequences already settled (and the rest, for now, as the target alone): a coordinate ascent over the batch.
    /// </summary>
    private Choice ChooseBest(Sequence sequence, int lookupCount)
    {
        _load.Remove(SequenceWork.TargetOnly());
        var tokens = _load.ExpectedTokens;
        var cost = _load.Cost();
        double StepRate(SequenceWork work) => (tokens + work.ExpectedTokens) / (cost + _load.MarginalCost(work));

        var best = (Choice: new Choice(Chain.TargetOnly), Rate: StepRate(SequenceWork.TargetOnly()) * (1 + SpeculationMargin));
        var speculative = new List<Choice>(3);
        void Consider(Choice choice, SequenceWork work)
        {
            var rate = StepRate(work);
            if (rate > best.Rate)
            {
                best = (choice, rate);
            }
        }

        var targetOnly = lengths.TargetOnlyRate;
        if (lookupCount > 0)
        {
            speculative.Add(new Choice(Chain.Lookup, lengths.BestLookup(sequence.LookupToTarget.Profile, lookupCount).Count));
            for (var k = 1; k <= lookupCount; k++)
            {
                Consider(new Choice(Chain.Lookup, k), SequenceWork.Lookup(sequence.LookupToTarget.Profile, k));
            }
        }
        if (tiers[Tier.Draft] is not null)
        {
            var (gamma, rate) = lengths.BestTwoTier(sequence.DraftToTarget.Profile);
            speculative.Add(new Choice(Chain.TwoTier, gamma));
            if (WorthCatchingUp(sequence, rate, targetOnly, withQualifier: false))
            {
                for (var g = 1; g <= DraftLengthPlanner.MaxInner; g++)
                {
                    Consider(new Choice(Chain.TwoTier, g), SequenceWork.TwoTier(sequence.DraftToTarget.Profile, g));
                }
            }
        }
        if (tiers[Tier.Draft] is not null && tiers[Tier.Qualifier] is not null)
        {
            var (alphaDq, alphaQt) = (sequence.DraftToQualifier.Profile, sequence.QualifierToTarget.Profile);
            var (inner, outer, rate) = lengths.BestPyramid(alphaDq, alphaQt);
            speculative.Add(new Choice(Chain.Pyramid, inner, outer));
            if (WorthCatchingUp(sequence, rate, targetOnly, withQualifier: true))
            {
                // The single-sequence optimum, and shorter runs of it, which a busier batch may prefer.
                for (var shorter = outer; shorter >= 1; shorter /= 2)
                {
                    for (var g1 = 1; g1 <= inner; g1++)
                    {
                        Consider(new Choice(Chain.Pyramid, g1, shorter), SequenceWork.Pyramid(alphaDq, alphaQt, g1, shorter));
                    }
                }
            }
        }
        _load.Add(SequenceWork.TargetOnly());

        if (best.Choice.Chain == Chain.TargetOnly && sequence.StepsWithoutSpeculation >= ProbeEvery * _stepSequences && speculative.Count > 0)
        {
            // A probe, taking each speculative chain in turn, so every estimate keeps learning. One proposal is enough
            // to learn from (the rows give 1 − TV at that position) and costs little in a busy batch.
            best.Choice = speculative[sequence.Probes++ % speculative.Count] with { Inner = 1, Outer = 1 };
        }
        sequence.StepsWithoutSpeculation = best.Choice.Chain == Chain.TargetOnly ? sequence.StepsWithoutSpeculation + 1 : 0;
        return best.Choice;
    }

    /// <summary>
    /// Whether the chain may pay: false when its single-sequence rate cannot beat the target alone, or when the smaller
    /// tiers it needs would first have to catch up on more text than the expected saving over the request's remaining
    /// tokens can repay (a short answer to a long prompt never pays for prefilling the draft and qualifier).
    /// </summary>
    private bool WorthCatchingUp(Sequence sequence, double rate, double targetOnly, bool withQualifier)
    {
        if (rate <= targetOnly)
        {
            return false;
        }
        var missing = sequence.CommittedLength - 1 - ledger.Cached(sequence.Slot, Tier.Draft);
        if (withQualifier)
        {
            missing = Math.Max(missing, sequence.CommittedLength - 1 - ledger.Cached(sequence.Slot, Tier.Qualifier));
        }
        if (missing <= 0)
        {
            return true;
        }
        var saving = sequence.RemainingTokens * ((1 / targetOnly) - (1 / rate));
        return saving > lengths.SmallerTiersPrefillCost(missing, withQualifier);
    }
}
