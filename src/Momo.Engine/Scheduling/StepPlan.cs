using System.Diagnostics.CodeAnalysis;
using Momo.Engine.Runtime;
using Momo.Engine.Scheduling.Chains;
using Momo.Engine.Sequences;

namespace Momo.Engine.Scheduling;

/// <summary>
/// What one engine step does, decided before any decode and never changed after: the prompt chunks each tier prefills,
/// in order, and for every sequence whose prefill is complete its chain and lengths. Every length is already bounded
/// so that each sequence's logits fit in one decode of its tier; the execution splits a phase into several decodes
/// where the sum would not.
/// </summary>
internal sealed record StepPlan(IReadOnlyList<PrefillChunk> Prefill, IReadOnlyList<SequencePlan> Ready);

/// <summary><paramref name="Count"/> more committed tokens of <paramref name="Sequence"/> to cache in <paramref name="Tier"/>.</summary>
internal readonly record struct PrefillChunk(Sequence Sequence, Tier Tier, int Count);

/// <summary>
/// One sequence's speculation this step: its chain and the chain's named lengths, the tokens prompt lookup found (the
/// first <see cref="ChainLengths.LookupCount"/> are proposed), and what <c>auto</c> decided, which apply records.
/// </summary>
[SuppressMessage("Performance", "CA1819", Justification = "The tokens lookup found, written once by the planner for this step and read by the executor; never shared or changed.")]
internal sealed record SequencePlan(Sequence Sequence, ProposalChain Chain, ChainLengths Lengths, int[] LookupTokens, AutoDecision? Auto = null)
{
    /// <summary>The target alone: the sequence's next token, no proposals.</summary>
    public static SequencePlan TargetAlone(Sequence sequence) => new(sequence, ChainRegistry.TargetOnly, default, []);
}

/// <summary>
/// What <c>auto</c> chose for a sequence, kept for the apply stage to record on the sequence: whether it speculates (its
/// run of steps without speculation ends) and whether the choice was a probe (the next probe takes the next chain).
/// </summary>
internal readonly record struct AutoDecision(bool Speculates, bool Probed)
{
    /// <summary>Records the decision on <paramref name="sequence"/>.</summary>
    public void RecordOn(Sequence sequence)
    {
        sequence.Acceptance.StepsWithoutSpeculation = Speculates ? 0 : sequence.Acceptance.StepsWithoutSpeculation + 1;
        if (Probed)
        {
            sequence.Acceptance.Probes++;
        }
    }
}
