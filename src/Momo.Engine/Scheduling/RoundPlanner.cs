using Momo.Engine.Speculation;

namespace Momo.Engine.Scheduling;

/// <summary>
/// Chooses each sequence's draft lengths for the coming round: the request's fixed γ when it gives them, else the
/// planner's choice from the sequence's running acceptance rates and the measured per-tier costs; always bounded by
/// the tokens the request may still produce and the room left in its context.
/// </summary>
internal sealed class RoundPlanner(DraftLengthPlanner planner, int contextPerSequence)
{
    public void Plan(Sequence sequence)
    {
        // Proposals beyond this would be verified in vain (max_tokens) or not fit (context; +3 covers the
        // bonus position and a qualifier round's overshoot).
        var budget = Math.Min(sequence.RemainingTokens - 1, contextPerSequence - sequence.WorkingLength - 3);
        var settings = sequence.Request.Speculation;
        sequence.DraftGoal = 0;
        sequence.QualifiedGoal = 0;
        if (budget <= 0)
        {
            return;
        }
        switch (sequence.Mode)
        {
            case DecodingMode.TwoTier:
                var gamma = settings.DraftTokens ?? planner.ChooseTwoTier(sequence.DraftToTarget.Rate);
                sequence.DraftGoal = Math.Clamp(gamma, 0, budget);
                break;
            case DecodingMode.Pyramid:
                var (inner, outer) = settings.DraftTokens is { } g1 && settings.QualifiedTokens is { } g2
                    ? (g1, g2)
                    : planner.ChoosePyramid(sequence.DraftToQualifier.Rate, sequence.QualifierToTarget.Rate);
                sequence.DraftGoal = Math.Max(1, settings.DraftTokens ?? inner);
                sequence.QualifiedGoal = Math.Clamp(settings.QualifiedTokens ?? outer, 0, budget);
                break;
        }
    }
}
