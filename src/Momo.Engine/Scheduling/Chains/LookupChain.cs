using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling.Chains;

/// <summary>
/// Prompt lookup → target: the continuation of an earlier occurrence of the latest tokens, proposed for free (one-hot
/// rows), verified by the target. Lookup is free, so even a fixed mode verifies a match, at the length that pays.
/// </summary>
internal sealed class LookupChain : ProposalChain
{
    public override string Name => "lookup";

    public override IReadOnlyList<Tier> SmallerTiers => [];

    public override ChainStage? TargetStage { get; } = new(
        SpeculationStages.LookupToTarget, SpeculationSettings.MaxLookupTokens,
        sequence => sequence.Acceptance.LookupToTarget,
        (counters, proposed, accepted) =>
        {
            counters.LookupProposedTokens += proposed;
            counters.LookupAcceptedTokens += accepted;
        });

    public override bool IsAvailable(TierSet tiers, int lookupFound) => lookupFound > 0;

    public override ChainLengths Adaptive(Sequence sequence, DraftLengthPlanner planner, int lookupFound) =>
        new(LookupCount: planner.BestLookup(sequence.Acceptance.LookupToTarget.Profile, lookupFound).Count);

    // The best number of the tokens found for the acceptance by position and the target's cost curve (all when none
    // was chosen: a chain that fell back to lookup).
    public override ChainLengths Bound(ChainLengths chosen, SpeculationSettings settings, LengthBounds bounds) =>
        new(LookupCount: chosen.LookupCount > 0 ? Math.Min(chosen.LookupCount, bounds.LookupFound) : bounds.LookupFound);

    public override ChainLengths Probe => new(LookupCount: 1);

    public override (ChainLengths Lengths, double Rate) BestAlone(Sequence sequence, DraftLengthPlanner planner, int lookupFound)
    {
        var (count, rate) = planner.BestLookup(sequence.Acceptance.LookupToTarget.Profile, lookupFound);
        return (new ChainLengths(LookupCount: count), rate);
    }

    public override IEnumerable<ChainLengths> Candidates(ChainLengths bestAlone, int lookupFound)
    {
        for (var k = 1; k <= lookupFound; k++)
        {
            yield return new ChainLengths(LookupCount: k);
        }
    }

    public override SequenceWork Work(Sequence sequence, ChainLengths lengths) =>
        SequenceWork.Lookup(sequence.Acceptance.LookupToTarget.Profile, lengths.LookupCount);

    public override int TargetProposals(ChainLengths lengths) => lengths.LookupCount;

    public override ChainLengths WithTargetProposals(ChainLengths lengths, int count) => lengths with { LookupCount = count };
}
