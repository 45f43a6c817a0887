using Momo.Engine.Runtime;

namespace Momo.Engine.Scheduling;

/// <summary>
/// What one engine step does, decided before any decode: the prompt chunks each tier prefills, and for every sequence
/// whose prefill is complete its draft lengths. Every length is already bounded so that each sequence's logits fit in
/// one decode of its tier; the execution splits a phase into several decodes where the sum would not.
/// </summary>
internal sealed class StepPlan
{
    /// <summary>Prompt chunks to cache, any tier, in order.</summary>
    public List<PrefillChunk> Prefill { get; } = [];

    /// <summary>Sequences that speculate and verify this step.</summary>
    public List<SequencePlan> Ready { get; } = [];

    public void Clear()
    {
        Prefill.Clear();
        Ready.Clear();
    }
}

/// <summary><paramref name="Count"/> more committed tokens of <paramref name="Sequence"/> to cache in <paramref name="Tier"/>.</summary>
internal readonly record struct PrefillChunk(Sequence Sequence, Tier Tier, int Count);

/// <summary>One sequence's speculation this step, and the progress of its inner rounds while the step runs.</summary>
internal sealed class SequencePlan(Sequence sequence, Chain chain, int draftLength = 0, int qualifiedLength = 0)
{
    public Sequence Sequence { get; } = sequence;

    /// <summary>The tiers the sequence uses this step.</summary>
    public Chain Chain { get; set; } = chain;

    /// <summary>γ₁: drafts per inner round (pyramid), γ: drafts per target call (two-tier), or lookup tokens; 0 for the target alone.</summary>
    public int DraftLength { get; set; } = draftLength;

    /// <summary>γ₂: qualified tokens to gather before the target verifies (pyramid); 0 otherwise.</summary>
    public int QualifiedLength { get; set; } = qualifiedLength;

    /// <summary>Tokens prompt lookup proposed this step (the first <see cref="LookupCount"/> of the sequence's <see cref="Sequence.LookupProposals"/>).</summary>
    public int LookupCount { get; set; }

    /// <summary>Drafts still to propose in the current inner round.</summary>
    public int DraftsLeft { get; set; }

    /// <summary>The tail already ends the text (an end-of-generation token): speculating further is wasted.</summary>
    public bool TailEnded { get; set; }
}
