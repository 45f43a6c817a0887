using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling.Chains;

/// <summary>
/// Draft → qualifier → target: inner rounds of γ₁ drafts, each verified by the qualifier, until the tail holds γ₂
/// qualified tokens; then the target verifies them against the distributions they were drawn from.
/// </summary>
internal sealed class PyramidChain : ProposalChain
{
    public override string Name => "pyramid";

    public override IReadOnlyList<Tier> SmallerTiers { get; } = [Tier.Draft, Tier.Qualifier];

    public override DecodingMode? Mode => DecodingMode.Pyramid;

    public override ChainStage? TargetStage { get; } = new(
        SpeculationStages.QualifierToTarget, SpeculationSettings.MaxQualifiedTokens, sequence => sequence.Acceptance.QualifierToTarget, (_, _, _) => { });

    public override ChainStage? InnerStage { get; } = new(
        SpeculationStages.DraftToQualifier, SpeculationSettings.MaxDraftTokens,
        sequence => sequence.Acceptance.DraftToQualifier,
        (counters, proposed, accepted) =>
        {
            counters.DraftedTokens += proposed;
            counters.QualifierProposedTokens += proposed;
            counters.QualifierAcceptedTokens += accepted;
        });

    public override IReadOnlyList<(DraftLengthGauge Gauge, Func<ChainLengths, int> Length)> Gauges { get; } =
        [(DraftLengthGauge.Inner, lengths => lengths.Gamma1), (DraftLengthGauge.Outer, lengths => lengths.Gamma2)];

    public override bool IsAvailable(TierSet tiers, int lookupFound) => tiers[Tier.Draft] is not null && tiers[Tier.Qualifier] is not null;

    public override ChainLengths Adaptive(Sequence sequence, DraftLengthPlanner planner, int lookupFound)
    {
        var (inner, outer) = planner.ChoosePyramid(sequence.Acceptance.DraftToQualifier.Profile, sequence.Acceptance.QualifierToTarget.Profile);
        return new ChainLengths(Gamma1: inner, Gamma2: outer);
    }

    // The qualifier's rows: γ₁ drafts and the bonus; the target's: up to γ₂ + 1 qualified tokens (a last inner round
    // may overshoot by one) and the bonus. A limit too small for any proposal leaves 0: the sequence verifies with the
    // target alone this step.
    public override ChainLengths Bound(ChainLengths chosen, SpeculationSettings settings, LengthBounds bounds) => new(
        Gamma1: Math.Min(Math.Max(1, settings.DraftTokens ?? chosen.Gamma1), bounds.QualifierRows - 1),
        Gamma2: Math.Max(0, Math.Min(settings.QualifiedTokens ?? chosen.Gamma2, Math.Min(bounds.Budget, bounds.TargetRows - 2))));

    public override ChainLengths Probe => new(Gamma1: 1, Gamma2: 1);

    public override (ChainLengths Lengths, double Rate) BestAlone(Sequence sequence, DraftLengthPlanner planner, int lookupFound)
    {
        var (inner, outer, rate) = planner.BestPyramid(sequence.Acceptance.DraftToQualifier.Profile, sequence.Acceptance.QualifierToTarget.Profile);
        return (new ChainLengths(Gamma1: inner, Gamma2: outer), rate);
    }

    // The single-sequence optimum, and shorter runs of it, which a busier batch may prefer.
    public override IEnumerable<ChainLengths> Candidates(ChainLengths bestAlone, int lookupFound)
    {
        for (var shorter = bestAlone.Gamma2; shorter >= 1; shorter /= 2)
        {
            for (var g1 = 1; g1 <= bestAlone.Gamma1; g1++)
            {
                yield return new ChainLengths(Gamma1: g1, Gamma2: shorter);
            }
        }
    }

    public override SequenceWork Work(Sequence sequence, ChainLengths lengths) =>
        SequenceWork.Pyramid(sequence.Acceptance.DraftToQualifier.Profile, sequence.Acceptance.QualifierToTarget.Profile, lengths.Gamma1, lengths.Gamma2);

    public override int TargetProposals(ChainLengths lengths) => lengths.Gamma2;

    public override ChainLengths WithTargetProposals(ChainLengths lengths, int count) => lengths with { Gamma2 = count };

    public override int TargetOverhead(ChainLengths lengths) => lengths.Gamma2 > 0 ? 1 : 0;

    // Rounds of γ₁ drafts until γ₂ tokens are qualified (the last round drafts only what is missing).
    public override int DraftsThisRound(ChainLengths lengths, int round, int qualified)
    {
        var missing = lengths.Gamma2 - qualified;
        return missing <= 0 ? 0 : Math.Min(lengths.Gamma1, missing);
    }
}
