using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Speculation;

/// <summary>A step's cost is priced for the whole batch, so what speculation adds depends on the rest of the step.</summary>
public sealed class StepLoadTests
{
    // Cost of k tokens: a fixed part plus a part per token (a CPU: the per-token part dominates; a GPU: the fixed part).
    private static TierCostCurve Curve(double fixedPart, double perToken, int length = 64) =>
        new(Enumerable.Range(1, length).Select(k => fixedPart + (perToken * k)).ToArray());

    [Fact]
    public void Drafting_sequences_share_each_draft_position_in_one_decode()
    {
        var load = new StepLoad(Curve(1, 0.1), null, Curve(10, 1));
        load.Add(SequenceWork.TwoTier(0.5, 4));
        var alone = load.Cost();
        load.Add(SequenceWork.TwoTier(0.5, 2));

        // Second sequence: 3 more target rows (3 × 1) and 2 more sequences at draft positions 0 and 1 (2 × 0.1).
        Assert.Equal(alone + 3 + 0.2, load.Cost(), 9);
        Assert.Equal(8, load.TargetRows);
    }

    [Fact]
    public void Removing_work_restores_the_cost_before_it_was_added()
    {
        var load = new StepLoad(Curve(1, 0.1), Curve(3, 0.3), Curve(10, 1));
        load.Add(SequenceWork.TargetOnly());
        var before = (load.Cost(), load.ExpectedTokens);
        var work = SequenceWork.Pyramid(0.8, 0.7, 3, 8);
        var marginal = load.MarginalCost(work);
        load.Add(work);
        Assert.Equal(before.Item1 + marginal, load.Cost(), 9);

        load.Remove(work);
        Assert.Equal(before, (load.Cost(), load.ExpectedTokens));
    }

    [Fact]
    public void Speculation_pays_in_a_lone_sequence_but_not_in_a_busy_compute_bound_batch()
    {
        // Compute bound: each row costs as much as the fixed part. A lone sequence gains from verifying 4 drafts at
        // once; in a batch of 16 the fixed part is already shared, so each extra row costs a full token's worth.
        var (draft, target) = (Curve(0.05, 0.05), Curve(1, 1));
        var work = SequenceWork.TwoTier(0.9, 4);

        Assert.True(Rate(1, work) > Rate(1, SequenceWork.TargetOnly()));
        Assert.True(Rate(16, work) < Rate(16, SequenceWork.TargetOnly()));

        double Rate(int others, SequenceWork candidate)
        {
            var load = new StepLoad(draft, null, target);
            for (var i = 1; i < others; i++)
            {
                load.Add(SequenceWork.TargetOnly());
            }
            return (load.ExpectedTokens + candidate.ExpectedTokens) / (load.Cost() + load.MarginalCost(candidate));
        }
    }

    [Fact]
    public void Rows_past_the_measured_curve_cost_the_slope_of_its_upper_half_even_when_its_last_point_dips()
    {
        // k = 1..8: 1, 2, ..., 7, then a noisy 7.5 at k = 8 (lower than the trend, but not below k = 7).
        var curve = new TierCostCurve([1, 2, 3, 4, 5, 6, 7, 7.5]);

        // Upper half k = 5..8: (7.5 − 4) / 4 = 0.875 per row, not the last step's 0.5 (and never 0).
        Assert.Equal(7.5 + (0.875 * 8), curve.Cost(16), 9);
        Assert.True(new TierCostCurve([1, 2, 3, 4, 5, 6, 7.2, 7]).Cost(32) > 7 + 10, "a last point below the one before made the rows past it free");
    }
}
