using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling.Chains;

/// <summary>Draft → target (llama-server's speculative decoding): the draft proposes γ tokens in one round, the target verifies them.</summary>
internal sealed class TwoTierChain : ProposalChain
{
    public override string Name => "two_tier";

    public override IReadOnlyList<Tier> SmallerTiers { get; } = [Tier.Draft];

    public override DecodingMode? Mode => DecodingMode.TwoTier;

    public override ChainStage? TargetStage { get; } = new(
        SpeculationStages.DraftToTarget, SpeculationSettings.MaxDraftTokens,
        sequence => sequence.Acceptance.DraftToTarget,
        (counters, proposed, _) => counters.DraftedTokens += proposed);

    public override IReadOnlyList<(DraftLengthGauge Gauge, Func<ChainLengths, int> Length)> Gauges { get; } =
        [(DraftLengthGauge.TwoTier, lengths => lengths.Gamma)];

    public override bool IsAvailable(TierSet tiers, int lookupFound) => tiers[Tier.Draft] is not null;

    public override ChainLengths Adaptive(Sequence sequence, DraftLengthPlanner planner, int lookupFound) =>
        new(Gamma: planner.ChooseTwoTier(sequence.Acceptance.DraftToTarget.Profile));

    // The target's rows: γ proposals and the bonus position.
    public override ChainLengths Bound(ChainLengths chosen, SpeculationSettings settings, LengthBounds bounds) =>
        new(Gamma: Math.Max(0, Math.Min(settings.DraftTokens ?? chosen.Gamma, Math.Min(bounds.Budget, bounds.TargetRows - 1))));

    public override ChainLengths Probe => new(Gamma: 1);

    public override (ChainLengths Lengths, double Rate) BestAlone(Sequence sequence, DraftLengthPlanner planner, int lookupFound)
    {
        var (gamma, rate) = planner.BestTwoTier(sequence.Acceptance.DraftToTarget.Profile);
        return (new ChainLengths(Gamma: gamma), rate);
    }

    public override IEnumerable<ChainLengths> Candidates(ChainLengths bestAlone, int lookupFound)
    {
        for (var g = 1; g <= DraftLengthPlanner.MaxInner; g++)
        {
            yield return new ChainLengths(Gamma: g);
        }
    }

    public override SequenceWork Work(Sequence sequence, ChainLengths lengths) =>
        SequenceWork.TwoTier(sequence.Acceptance.DraftToTarget.Profile, lengths.Gamma);

    public override int TargetProposals(ChainLengths lengths) => lengths.Gamma;

    public override ChainLengths WithTargetProposals(ChainLengths lengths, int count) => lengths with { Gamma = count };

    // One round of γ drafts.
    public override int DraftsThisRound(ChainLengths lengths, int round, int qualified) => round == 0 ? lengths.Gamma : 0;
}
