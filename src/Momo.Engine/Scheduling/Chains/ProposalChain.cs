using Momo.Engine.Requests;
using Momo.Engine.Runtime;
using Momo.Engine.Sequences;
using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling.Chains;

/// <summary>
/// One proposal chain, described once: the tiers it decodes bottom to top (always ending at the target), its verifying
/// stages (names, acceptance estimates, statistics), how its lengths are chosen and bounded, the work it gives each tier
/// (how <c>auto</c> prices it), and its round rule. The planner, executor, applier, chooser and telemetry read this;
/// none of them names a chain. A new chain is a new subclass and one line in <see cref="ChainRegistry"/>.
/// </summary>
internal abstract class ProposalChain
{
    /// <summary>The chain's name in logs and tests.</summary>
    public abstract string Name { get; }

    /// <summary>The model tiers below the target it decodes, bottom to top (empty: the target alone, or lookup).</summary>
    public abstract IReadOnlyList<Tier> SmallerTiers { get; }

    /// <summary>The fixed mode that runs this chain; null for a chain only <c>auto</c> or prompt lookup chooses.</summary>
    public virtual DecodingMode? Mode => null;

    /// <summary>The stage in which the target verifies the chain's tail; null when the target runs alone.</summary>
    public abstract ChainStage? TargetStage { get; }

    /// <summary>The stage verifying drafts in every inner round below the target (the qualifier's); null when none.</summary>
    public virtual ChainStage? InnerStage => null;

    /// <summary>Whether the qualifier verifies the draft's proposals each inner round.</summary>
    public bool Qualifies => InnerStage is not null;

    /// <summary>Whether the chain proposes anything for the target to verify.</summary>
    public bool Speculates => TargetStage is not null;

    /// <summary>The draft-length gauges the chain feeds, each with the length it reports.</summary>
    public virtual IReadOnlyList<(DraftLengthGauge Gauge, Func<ChainLengths, int> Length)> Gauges => [];

    /// <summary>Whether the chain can run this step: its tiers are loaded and, for lookup, something was found.</summary>
    public abstract bool IsAvailable(TierSet tiers, int lookupFound);

    /// <summary>The lengths a fixed mode uses: the best for the sequence's acceptance estimates and the tiers' cost curves.</summary>
    public virtual ChainLengths Adaptive(Sequence sequence, DraftLengthPlanner planner, int lookupFound) => default;

    /// <summary>The chosen lengths under the request's own settings and this step's bounds.</summary>
    public virtual ChainLengths Bound(ChainLengths chosen, SpeculationSettings settings, LengthBounds bounds) => default;

    /// <summary>The shortest speculation, which <c>auto</c> runs now and then so the chain's estimates keep learning.</summary>
    public virtual ChainLengths Probe => default;

    /// <summary>The best lengths for the sequence alone and their expected tokens per unit of cost.</summary>
    public virtual (ChainLengths Lengths, double Rate) BestAlone(Sequence sequence, DraftLengthPlanner planner, int lookupFound) => default;

    /// <summary>The lengths <c>auto</c> weighs for the whole step's batch, given the sequence-alone best.</summary>
    public virtual IEnumerable<ChainLengths> Candidates(ChainLengths bestAlone, int lookupFound) => [];

    /// <summary>The work the chain gives each tier at these lengths, and the tokens it is expected to commit.</summary>
    public abstract SequenceWork Work(Sequence sequence, ChainLengths lengths);

    /// <summary>Proposals the target verifies at these lengths (the tail that the target's batch limit bounds).</summary>
    public virtual int TargetProposals(ChainLengths lengths) => 0;

    /// <summary>The lengths with <paramref name="count"/> proposals for the target instead.</summary>
    public virtual ChainLengths WithTargetProposals(ChainLengths lengths, int count) => lengths;

    /// <summary>Target rows beside the proposals and the bonus position (a pyramid's last round may overshoot by one).</summary>
    public virtual int TargetOverhead(ChainLengths lengths) => 0;

    /// <summary>
    /// The round rule: drafts to propose in inner round <paramref name="round"/> when the tail already holds
    /// <paramref name="qualified"/> qualified tokens; 0 ends the chain's drafting for the step.
    /// </summary>
    public virtual int DraftsThisRound(ChainLengths lengths, int round, int qualified) => 0;

    /// <summary>The estimate the target's stage learns from and prices with; the target alone has none.</summary>
    public AcceptanceProfile TargetProfile(Sequence sequence) =>
        TargetStage is { } stage ? stage.Acceptance(sequence).Profile : AcceptanceProfile.Uniform(0);

    public override string ToString() => Name;
}
