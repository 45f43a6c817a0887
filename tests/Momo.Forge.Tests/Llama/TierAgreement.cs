namespace Momo.Forge.Tests.Llama;

/// <summary>How often tiers agree, per pair (0: draft/target, 1: qualifier/target, 2: draft/qualifier):
/// greedy argmax agreement, and the expected speculative acceptance sum_y min(p(y), q(y)) at a temperature.</summary>
internal sealed record TierAgreement(double[] ArgmaxAgreement, double[] SampledAcceptance, float[] MaxAbsLogitDifference, double MinTargetMargin)
{
    private static readonly (int A, int B)[] Pairs = [(0, 2), (1, 2), (0, 1)];

    public static TierAgreement Measure(float[][][] logits, float temperature)
    {
        var positions = logits[2].Length;
        var agree = new double[3];
        var accept = new double[3];
        var maxDiff = new float[3];
        var minMargin = double.MaxValue;
        for (var pos = 0; pos < positions; pos++)
        {
            var sorted = logits[2][pos].OrderDescending().Take(2).ToArray();
            minMargin = Math.Min(minMargin, sorted[0] - sorted[1]);
            for (var k = 0; k < 3; k++)
            {
                var (a, b) = Pairs[k];
                var x = logits[a][pos];
                var y = logits[b][pos];
                if (TierSession.ArgMax(x) == TierSession.ArgMax(y))
                {
                    agree[k]++;
                }

                var p = Softmax(x, temperature);
                var q = Softmax(y, temperature);
                accept[k] += p.Zip(q).Sum(t => Math.Min(t.First, t.Second));
                maxDiff[k] = Math.Max(maxDiff[k], x.Zip(y).Max(t => Math.Abs(t.First - t.Second)));
            }
        }
        return new TierAgreement(agree.Select(a => a / positions).ToArray(), accept.Select(a => a / positions).ToArray(), maxDiff, minMargin);
    }

    private static double[] Softmax(float[] x, float t)
    {
        double max = x.Max();
        var e = x.Select(v => Math.Exp((v - max) / t)).ToArray();
        var s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    public override string ToString() =>
        $"argmax agreement d/t {ArgmaxAgreement[0]:F3} q/t {ArgmaxAgreement[1]:F3} d/q {ArgmaxAgreement[2]:F3}; " +
        $"sampled acceptance d/t {SampledAcceptance[0]:F3} q/t {SampledAcceptance[1]:F3} d/q {SampledAcceptance[2]:F3}; " +
        $"max |dlogit| d/t {MaxAbsLogitDifference[0]:F2}; min target top-2 margin {MinTargetMargin:F2}";
}
