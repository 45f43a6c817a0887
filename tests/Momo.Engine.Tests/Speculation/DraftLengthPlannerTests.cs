using Momo.Engine.Speculation;

namespace Momo.Engine.Tests.Speculation;

/// <summary>The planner picks the draft lengths the cost model favours.</summary>
public sealed class DraftLengthPlannerTests
{
    private static TierCostCurve Linear(double unit, double perExtraToken) =>
        new(Enumerable.Range(1, 16).Select(k => unit * (1 + (perExtraToken * (k - 1)))).ToArray());

    private static readonly DraftLengthPlanner FlatTarget = new(Linear(1, 0.05), Linear(3, 0.05), Linear(10, 0.02));

    [Fact]
    public void Low_acceptance_gives_short_drafts_and_high_acceptance_long_ones()
    {
        Assert.True(FlatTarget.ChooseTwoTier(0.1) <= 2);
        Assert.True(FlatTarget.ChooseTwoTier(0.95) >= 8);
    }

    [Fact]
    public void A_steep_target_cost_curve_shortens_the_outer_run()
    {
        var steep = new DraftLengthPlanner(Linear(1, 0.05), Linear(3, 0.05), Linear(10, 1.0));
        Assert.True(steep.ChoosePyramid(0.9, 0.8).Outer < FlatTarget.ChoosePyramid(0.9, 0.8).Outer);
    }

    [Fact]
    public void The_chosen_lengths_maximise_the_analytic_rate()
    {
        var (inner, outer) = FlatTarget.ChoosePyramid(0.85, 0.75);
        var draft = Linear(1, 0.05);
        var qualifier = Linear(3, 0.05);
        var target = Linear(10, 0.02);
        var best = SpeculationMath.PyramidRate(0.85, 0.75, inner, outer, draft, qualifier, target);
        for (var g1 = 1; g1 <= 16; g1++)
        {
            for (var g2 = 1; g2 <= 32; g2++)
            {
                Assert.True(SpeculationMath.PyramidRate(0.85, 0.75, g1, g2, draft, qualifier, target) <= best + 1e-12);
            }
        }
        Assert.True(best > SpeculationMath.TargetOnlyRate(target));
    }

    [Fact]
    public void Only_a_curve_measured_in_seconds_learns_from_timed_decodes()
    {
        var measured = TierCostCurve.Measured([0.010, 0.015]);
        var units = new TierCostCurve([1.0, 1.5]);

        var extrapolated = measured.Cost(40);
        measured.Observe(2, 0.025);
        units.Observe(2, 0.025);
        measured.Observe(40, 2 * extrapolated); // a busy batch's size, past the calibration: its first timing is taken as it is

        Assert.Equal(0.015 + (TierCostCurve.LearningRate * 0.010), measured.Cost(2), 12);
        Assert.Equal(0.010, measured.Cost(1), 12);
        Assert.Equal(2 * extrapolated, measured.Cost(40), 12);
        Assert.Equal(1.5, units.Cost(2), 12);
    }

    [Fact]
    public void Sizes_never_timed_move_with_the_sizes_learnt_around_them()
    {
        var measured = TierCostCurve.Measured([0.010, 0.015, 0.018, 0.020]);
        for (var i = 0; i < 200; i++)
        {
            measured.Observe(4, 0.040); // the largest calibrated size turns out twice as slow in the running engine
        }
        measured.Observe(10, 0.070);

        Assert.InRange(measured.Cost(4), 0.0399, 0.0401);
        Assert.InRange(measured.Cost(7), 0.0549, 0.0551); // halfway between the two sizes learnt around it
        Assert.True(measured.Cost(11) > measured.Cost(10), "past the last size learnt, a row still costs something");
    }

    [Fact]
    public void A_learnt_curve_never_makes_a_larger_batch_cheaper_than_a_smaller_one()
    {
        var measured = TierCostCurve.Measured([0.010, 0.015, 0.018, 0.020]);
        for (var i = 0; i < 100; i++)
        {
            measured.Observe(2, 0.030); // a noisy size-2 decode, slower than sizes 3 and 4 were measured
        }
        Assert.True(measured.Cost(2) > 0.029);
        Assert.Equal(measured.Cost(2), measured.Cost(3), 12);
        Assert.Equal(measured.Cost(2), measured.Cost(4), 12);
        Assert.True(measured.Cost(5) >= measured.Cost(4));
    }

    [Theory]
    [InlineData(0.0, 4, 1.0)]
    [InlineData(1.0, 4, 5.0)]
    [InlineData(0.5, 1, 1.5)]
    [InlineData(0.5, 3, 1.875)]
    public void Expected_tokens_per_verify_follow_the_geometric_formula(double alpha, int gamma, double expected)
    {
        Assert.Equal(expected, ExpectedGain.TokensPerVerify(alpha, gamma), 9);
    }
}
