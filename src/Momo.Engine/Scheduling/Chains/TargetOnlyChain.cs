using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling.Chains;

/// <summary>The target alone: no proposals, one token per step (the "bonus" is an ordinary sample from p).</summary>
internal sealed class TargetOnlyChain : ProposalChain
{
    public override string Name => "target_only";

    public override IReadOnlyList<Tier> SmallerTiers => [];

    public override DecodingMode? Mode => DecodingMode.TargetOnly;

    public override ChainStage? TargetStage => null;

    public override bool IsAvailable(TierSet tiers, int lookupFound) => true;

    public override SequenceWork Work(Sequence sequence, ChainLengths lengths) => SequenceWork.TargetOnly();
}
