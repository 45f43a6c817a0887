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
internal sealed class ChainChooser(TierSet tiers, DraftLengthPlanner lengths)
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
        var best = (Choice: new Choice(Chain.TargetOnly), Rate: lengths.TargetOnlyRate);
        var speculative = (Choice: new Choice(Chain.TargetOnly), Rate: 0.0);
        void Consider(Choice choice, double rate)
        {
            if (rate > speculative.Rate)
            {
                speculative = (choice, rate);
            }
        }
        if (lookupCount > 0)
        {
            Consider(new Choice(Chain.Lookup), lengths.LookupRate(sequence.LookupToTarget.Rate, lookupCount));
        }
        if (tiers[Tier.Draft] is not null)
        {
            var (gamma, rate) = lengths.BestTwoTier(sequence.DraftToTarget.Rate);
            Consider(new Choice(Chain.TwoTier, gamma), rate);
        }
        if (tiers[Tier.Draft] is not null && tiers[Tier.Qualifier] is not null)
        {
            var (inner, outer, rate) = lengths.BestPyramid(sequence.DraftToQualifier.Rate, sequence.QualifierToTarget.Rate);
            Consider(new Choice(Chain.Pyramid, inner, outer), rate);
        }
        var probe = sequence.StepsWithoutSpeculation >= ProbeEvery && speculative.Rate > 0;
        if (speculative.Rate > best.Rate || probe)
        {
            best = speculative;
        }
        sequence.StepsWithoutSpeculation = best.Choice.Chain == Chain.TargetOnly ? sequence.StepsWithoutSpeculation + 1 : 0;
        return best.Choice;
    }
}
