namespace Momo.Engine.Speculation;

/// <summary>
/// What the engine's recent sequences measured, stage by stage and position by position, kept apart for greedy and
/// sampled requests: a new sequence starts from it instead of a fixed guess. A fixed guess is wrong somewhere: lookup's
/// proposals are accepted about 0.9 of the time in greedy text that repeats itself and about 0.1 when sampling, and a
/// sequence that starts optimistic pays whole verifications to learn otherwise (in a batch of 16, every sequence again).
/// Greedy and sampled requests are kept apart because their acceptance differs by that much.
/// </summary>
internal sealed class AcceptancePriors
{
    /// <summary>Weight of one verification in the engine-wide estimate: many sequences feed it, so it moves slowly.</summary>
    public const double WeightOfNew = 0.02;

    private readonly StageAcceptance _greedy = new();
    private readonly StageAcceptance _sampled = new();

    /// <summary>The engine-wide estimates for requests of this kind.</summary>
    public StageAcceptance For(bool greedy) => greedy ? _greedy : _sampled;
}

/// <summary>One estimate per speculation stage, engine-wide, with the fixed priors a fresh engine starts from.</summary>
internal sealed class StageAcceptance
{
    public RunningAcceptance DraftToQualifier { get; } = new(weightOfNew: AcceptancePriors.WeightOfNew);
    public RunningAcceptance QualifierToTarget { get; } = new(weightOfNew: AcceptancePriors.WeightOfNew);
    public RunningAcceptance DraftToTarget { get; } = new(weightOfNew: AcceptancePriors.WeightOfNew);

    // Lookup only proposes where the text repeats itself, where the target usually agrees: an optimistic first guess.
    public RunningAcceptance LookupToTarget { get; } = new(prior: 0.8, weightOfNew: AcceptancePriors.WeightOfNew);
}
