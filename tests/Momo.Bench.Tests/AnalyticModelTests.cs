using Momo.Bench.Analysis;
using Momo.Bench.Measurement;
using Momo.Engine.Requests;
using Momo.Engine.Speculation;

namespace Momo.Bench.Tests;

public class AnalyticModelTests
{
    private static readonly double[] Linear = Enumerable.Range(1, 16).Select(k => 0.01 * k).ToArray();

    [Fact]
    public void Two_tier_rate_matches_the_formula_worked_by_hand()
    {
        // α = 0.5, γ = 2: G = (1 − 0.5³) / 0.5 = 1.75; cost = 2 · 0.1 + 1 = 1.2 on flat curves.
        var inputs = new ModeInputs(DecodingMode.TwoTier, 0, 0, 0.5, 2, 1);
        var rate = AnalyticModel.Rate(inputs, TierCostCurve.Flat(0.1), null, TierCostCurve.Flat(1));
        Assert.Equal(1.75 / 1.2, rate, 9);
    }

    [Fact]
    public void A_run_of_mixed_draft_lengths_is_expected_to_commit_what_each_length_commits_not_what_the_mean_length_would()
    {
        // Two verifications of 1 draft and two of 7 at α = 0.5: 2 · 1.5 + 2 · 1.9921875 tokens; four of the mean, 4 drafts,
        // would promise 4 · 1.9375.
        long[] lengths = [0, 2, 0, 0, 0, 0, 0, 2];
        var inputs = new ModeInputs(DecodingMode.TwoTier, 0, 0, 0.5, 4, 1, Lengths: lengths);

        Assert.Equal(((2 * 1.5) + (2 * 1.9921875)) / 4, AnalyticModel.TokensPerTargetCall(inputs), 9);
        var (draft, target) = (TierCostCurve.Flat(0.1), TierCostCurve.Flat(1));
        var cost = (2 * ((1 * 0.1) + 1)) + (2 * ((7 * 0.1) + 1));
        Assert.Equal(((2 * 1.5) + (2 * 1.9921875)) / cost, AnalyticModel.Rate(inputs, draft, null, target), 9);
    }

    [Fact]
    public void The_batched_view_at_concurrency_one_is_the_measured_curve()
    {
        var batched = AnalyticModel.Batched(Linear, 1);
        for (var k = 1; k <= 16; k++)
        {
            Assert.Equal(0.01 * k, batched.Cost(k), 12);
        }
    }

    [Fact]
    public void The_batched_view_shares_one_call_of_c_times_k_tokens_among_c_sequences()
    {
        var curve = new double[16];
        Array.Fill(curve, 0.02);
        curve[7] = 0.08; // 8 tokens cost 4×
        var batched = AnalyticModel.Batched(curve, 4);
        Assert.Equal(0.08 / 4, batched.Cost(2), 12);
        // target_only at concurrency 4: four tokens per call of cost(4) = 0.02 s → 200 tok/s.
        Assert.Equal(200, SpeculationMath.TargetOnlyRate(batched), 9);
    }

    [Fact]
    public void The_gpu_like_curve_is_flat_to_sixteen_tokens_then_steps()
    {
        var gpu = AnalyticModel.GpuLike(8.03);
        Assert.Equal(8.03, gpu.Cost(1), 12);
        Assert.Equal(8.03, gpu.Cost(16), 12);
        Assert.Equal(2 * 8.03, gpu.Cost(17), 12);
    }

    [Fact]
    public void Alpha_is_estimated_by_maximum_likelihood_not_by_accepted_over_proposed()
    {
        var tally = new StageTally();
        tally.Add(4, 4); // all accepted: no rejection
        tally.Add(4, 1); // one accepted, then a rejection; two tokens never tested
        Assert.Equal(5.0 / 6.0, tally.Alpha, 12);
        Assert.Equal(5.0 / 8.0, tally.AcceptanceRate, 12);
        Assert.Equal([1.0, 0.5, 0.5, 0.5], tally.AcceptanceByPosition(4));
    }

    [Fact]
    public void Acceptance_by_position_counts_only_the_verifications_that_reached_the_position()
    {
        var tally = new StageTally();
        tally.Add(4, 4); // positions 0-3 reached and accepted
        tally.Add(4, 1); // 0 accepted, 1 reached and rejected, 2-3 never tested
        tally.Add(1, 1); // 0 accepted; position 1 was not proposed
        tally.Add(2, 0); // 0 reached and rejected
        Assert.Equal([3.0 / 4.0, 1.0 / 2.0, 1.0, 1.0], tally.ConditionalByPosition());
    }

    [Fact]
    public void The_model_uses_acceptance_by_position_where_it_was_measured()
    {
        // a = (0.9, 0.2): G(2) = 1 + 0.9 + 0.18 = 2.08, where one α of the same runs would promise more.
        var stage = new StageReport("draft_to_target", 0.6, 0.5, 2, 10, [0.9, 0.18], [0.9, 0.2]);
        var inputs = new ModeInputs(DecodingMode.TwoTier, 0, 0, stage.Profile, 2, 1);
        Assert.Equal(2.08, AnalyticModel.TokensPerTargetCall(inputs), 9);
    }

    [Fact]
    public void Modes_alternate_innermost_so_drift_hits_every_mode_alike()
    {
        var order = Schedule.Interleaved(2, [0.0], [1, 2], [DecodingMode.Pyramid, DecodingMode.TwoTier, DecodingMode.TargetOnly]);
        var modes = order.Select(b => b.Cell.Mode.ToApiName()[0]).ToArray();
        Assert.Equal("pttpttpttptt", new string(modes));
        Assert.Equal([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2], order.Select(b => b.Cell.Concurrency));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], order.Select(b => b.Round));
    }
}
