using Momo.Engine.Runtime;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// Picks a sequence's chain for one step. A fixed mode runs its own chain, or the lookup chain when prompt lookup found
/// a continuation (lookup is free, so a match is always worth verifying). <c>auto</c> compares the expected tokens per
/// unit of cost of every chain the loaded tiers allow (<see cref="DraftLengthPlanner"/>, from the sequence's running
/// acceptance per stage and the tiers' measured costs) and takes the best; when that is the target alone for a while it
/// probes the best speculative chain once, so its acceptance estimates keep learning.
/// </summary>
internal sealed class ChainChooser(TierSet tiers, KvLedger ledger, DraftLengthPlanner lengths)
{
    /// <summary>Target-only steps after which <c>auto</c> probes speculation again.</summary>
    public const int ProbeEvery = 16;

    /// <summary>The chain and its adaptive lengths (γ₁ or γ, γ₂).</summary>
    public readonly record struct Choice(Chain Chain, int Inner = 0, int Outer = 0);

    public Choice Choose(Sequence sequence, int lookupCount)
    {
        var mode = sequence.Mode;
        if (lookupCount > 0 && mode != DecodingMode.Auto)
        {
            return new Choice(Chain.Lookup);
        }
        switch (mode)
        {
            case DecodingMode.TwoTier:
                return new Choice(Chain.TwoTier, lengths.ChooseTwoTier(sequence.DraftToTarget.Rate));
            case DecodingMode.Pyramid:
                var (inner, outer) = lengths.ChoosePyramid(sequence.DraftToQualifier.Rate, sequence.QualifierToTarget.Rate);
                return new Choice(Chain.Pyramid, inner, outer);
            case DecodingMode.Auto:
                return ChooseBest(sequence, lookupCount);
            default:
                return new Choice(Chain.TargetOnly);
        }
    }

    private Choice ChooseBest(Sequence sequence, int lookupCount)
    {
        var targetOnly = lengths.TargetOnlyRate;
        var best = (Choice: new Choice(Chain.TargetOnly), Rate: targetOnly);
        var speculative = new List<(Choice Choice, double Rate)>(3);
        if (lookupCount > 0)
        {
            var (count, rate) = lengths.BestLookup(sequence.LookupToTarget.Rate, lookupCount);
            speculative.Add((new Choice(Chain.Lookup, count), rate));
        }
        if (tiers[Tier.Draft] is not null)
        {
            var (gamma, rate) = lengths.BestTwoTier(sequence.DraftToTarget.Rate);
            speculative.Add((new Choice(Chain.TwoTier, gamma), WorthCatchingUp(sequence, rate, targetOnly, withQualifier: false)));
        }
        if (tiers[Tier.Draft] is not null && tiers[Tier.Qualifier] is not null)
        {
            var (inner, outer, rate) = lengths.BestPyramid(sequence.DraftToQualifier.Rate, sequence.QualifierToTarget.Rate);
            speculative.Add((new Choice(Chain.Pyramid, inner, outer), WorthCatchingUp(sequence, rate, targetOnly, withQualifier: true)));
        }
        foreach (var candidate in speculative)
        {
            if (candidate.Rate > best.Rate)
            {
                best = candidate;
            }
        }
        if (best.Choice.Chain == Chain.TargetOnly && sequence.StepsWithoutSpeculation >= ProbeEvery && speculative.Count > 0)
        {
            // A probe, taking each speculative chain in turn, so every estimate keeps learning.
            best = speculative[sequence.Probes++ % speculative.Count];
        }
        sequence.StepsWithoutSpeculation = best.Choice.Chain == Chain.TargetOnly ? sequence.StepsWithoutSpeculation + 1 : 0;
        return best.Choice;
    }

    /// <summary>
    /// The chain's rate, or 0 when the smaller tiers it needs would first have to catch up on more text than the
    /// expected saving over the request's remaining tokens can repay (a short answer to a long prompt never pays for
    /// prefilling the draft and qualifier).
    /// </summary>
    private double WorthCatchingUp(Sequence sequence, double rate, double targetOnly, bool withQualifier)
    {
        if (rate <= targetOnly)
        {
            return rate;
        }
        var missing = sequence.CommittedLength - 1 - ledger.Cached(sequence.Slot, Tier.Draft);
        if (withQualifier)
        {
            missing = Math.Max(missing, sequence.CommittedLength - 1 - ledger.Cached(sequence.Slot, Tier.Qualifier));
        }
        if (missing <= 0)
        {
            return rate;
        }
        var saving = sequence.RemainingTokens * ((1 / targetOnly) - (1 / rate));
        return saving > lengths.SmallerTiersPrefillCost(missing, withQualifier) ? rate : 0;
    }
}
