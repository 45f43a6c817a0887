using System.Diagnostics;

namespace Momo.Engine.Runtime;

/// <summary>
/// Measures each loaded tier's cost curve, seconds to decode one batch of k tokens for k = 1..<see cref="MaxTokens"/>,
/// as medians of repeated decodes (single timings swing 2–3× on a shared machine). The draft-length planner needs
/// these: speculation pays only where verifying k tokens costs little more than decoding one.
/// </summary>
public static class TierCostCalibration
{
    /// <summary>Largest batch measured.</summary>
    public const int MaxTokens = 16;

    /// <summary>Measures every loaded tier on sequence 0 (before any request is served), leaving its KV empty.</summary>
    /// <returns>Per tier (draft, qualifier, target; null when absent) the median seconds for k = 1..16 at index k − 1.</returns>
    public static double[]?[] Measure(TierSet tiers, int repetitions = 3)
    {
        var curves = new double[]?[TierSet.Count];
        for (var t = 0; t < TierSet.Count; t++)
        {
            if (tiers[(Tier)t] is { } model)
            {
                curves[t] = MeasureTier(model, repetitions);
            }
        }
        return curves;
    }

    private static double[] MeasureTier(ITierModel model, int repetitions)
    {
        var curve = new double[MaxTokens];
        var batch = new DecodeBatch();
        var samples = new double[repetitions];
        // A short context first, so the timings are of decoding after a prompt, not of an empty cache.
        Span<int> tokens = stackalloc int[MaxTokens + 32];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = i % model.VocabularySize;
        }
        for (var k = 1; k <= MaxTokens; k++)
        {
            for (var r = 0; r < repetitions; r++)
            {
                batch.Clear();
                batch.AddRange(tokens[..32], 0, 0, logitsForLast: 0);
                model.Decode(batch);
                batch.Clear();
                batch.AddRange(tokens.Slice(32, k), 32, 0, logitsForLast: k);
                var started = Stopwatch.GetTimestamp();
                model.Decode(batch);
                _ = model.Logits(k - 1)[0]; // logits are ready once decode returns; touching them keeps the timing honest
                samples[r] = Stopwatch.GetElapsedTime(started).TotalSeconds;
                model.Truncate(0, 0);
            }
            Array.Sort(samples);
            curve[k - 1] = samples[repetitions / 2];
        }
        return curve;
    }
}
