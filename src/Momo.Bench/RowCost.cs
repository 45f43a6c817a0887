using System.Diagnostics;
using Momo.Engine.Runtime;
using Momo.Engine.Sampling;
using Momo.Engine.Speculation;

namespace Momo.Bench;

/// <summary>
/// <c>momo-bench --row-cost [vocabulary]</c>: the managed work per probability row at a real vocabulary size (default
/// 152,064, Qwen2.5 7B's), and the memory each sequence holds for its rows. Every tier's row at every position goes
/// through this work, so it must stay well under a target decode (about 1 ms per row on a GPU).
/// </summary>
internal static class RowCost
{
    private const int Repetitions = 101;
    private const int Gamma = 32; // γ₂, the longest qualified tail

    public static void Run(int vocabulary)
    {
        var random = new Random(5);
        var logits = new float[vocabulary];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)(random.NextDouble() * 12 - 8); // a spread like real logits: a few high, most far below
        }
        var row = new float[vocabulary];
        Console.WriteLine($"Per-row cost at a vocabulary of {vocabulary:N0} tokens (medians of {Repetitions}, µs):");
        foreach (var (name, sampling) in new (string, SamplingParameters)[]
        {
            ("greedy", SamplingParameters.Greedy),
            ("temperature 0.8", new SamplingParameters { Temperature = 0.8f }),
            ("top_k 40", new SamplingParameters { Temperature = 0.8f, TopK = 40 }),
            ("top_p 0.9", new SamplingParameters { Temperature = 0.8f, TopP = 0.9f }),
            ("top_k 40 + top_p 0.9 + penalties", new SamplingParameters { Temperature = 0.8f, TopK = 40, TopP = 0.9f, PresencePenalty = 0.5f }),
        })
        {
            var distribution = new TokenDistribution(sampling, vocabulary);
            int[] history = [.. Enumerable.Range(0, 200).Select(i => i * 37 % vocabulary)];
            Report($"distribution, {name}", Median(() => distribution.Compute(logits, history, row)));
        }

        // Acceptance over γ rows of q and γ + 1 rows of p, per row: the verifier's work at one position.
        var proposal = new float[Gamma * vocabulary];
        var verifier = new float[(Gamma + 1) * vocabulary];
        var sampled = new TokenDistribution(new SamplingParameters { Temperature = 0.8f }, vocabulary);
        for (var j = 0; j <= Gamma; j++)
        {
            Shift(logits, random);
            sampled.Compute(logits, [], verifier.AsSpan(j * vocabulary, vocabulary));
            if (j < Gamma)
            {
                Shift(logits, random);
                sampled.Compute(logits, [], proposal.AsSpan(j * vocabulary, vocabulary));
            }
        }
        var proposed = Enumerable.Range(0, Gamma).Select(j => Argmax(proposal.AsSpan(j * vocabulary, vocabulary))).ToArray();
        var requestRandom = new RequestRandom(1);
        Report($"acceptance + residual, per row of {Gamma}", Median(() => _ = SpeculativeSampling.Verify(proposed, proposal, verifier, vocabulary, requestRandom)) / Gamma);

        // A tier with 128 fewer tokens than the target: its logits are widened into a target-sized row.
        using var smaller = TargetVocabularyTier.Fit(new FixedLogits(vocabulary - 128), vocabulary)!;
        Report("widening a smaller tier's logits", Median(() => _ = smaller.Logits(0)[0]));

        var rowBytes = (long)vocabulary * sizeof(float);
        var perSequence = (2L * Gamma + 1) * rowBytes; // tail rows (γ₂) + verifier rows (γ₂ + 1)
        Console.WriteLine($"Rows memory per sequence at γ₂ = {Gamma}: {2 * Gamma + 1} rows × {rowBytes / 1024.0:F0} KiB = {perSequence / (1024.0 * 1024.0):F1} MiB " +
            $"({8 * perSequence / (1024.0 * 1024.0):F0} MiB for 8 sequences)");
    }

    private static void Shift(float[] logits, Random random)
    {
        for (var i = 0; i < 64; i++)
        {
            logits[random.Next(logits.Length)] += (float)random.NextDouble();
        }
    }

    private static int Argmax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++)
        {
            best = row[i] > row[best] ? i : best;
        }
        return best;
    }

    private static double Median(Action work)
    {
        // Warm-up long enough for tiered compilation to replace the first (ReadyToRun, narrower-vector) code with fully
        // optimised code, as it will be in a running server: timing the first hundred calls measured that code instead.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 400)
        {
            work();
        }
        Thread.Sleep(200);
        var times = new double[Repetitions];
        for (var i = 0; i < Repetitions; i++)
        {
            var start = Stopwatch.GetTimestamp();
            work();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        return times[Repetitions / 2];
    }

    private static void Report(string what, double micros) => Console.WriteLine($"  {what,-40} {micros,9:F1}");

    /// <summary>A tier that only returns one fixed row of logits.</summary>
    private sealed class FixedLogits(int vocabulary) : ITierModel
    {
        private readonly float[] _row = new float[vocabulary];

        public string Name => "smaller";
        public int VocabularySize => vocabulary;
        public int KvCapacity => 0;
        public int MaxBatchTokens => 0;
        public void Decode(DecodeBatch batch) { }
        public ReadOnlySpan<float> Logits(int handle) => _row;
        public void Truncate(int sequence, int length) { }
        public void CopyPrefix(int source, int destination, int length) { }
        public KvSnapshot SaveSequence(int sequence) => throw new NotSupportedException("The row-cost tier keeps no KV.");
        public bool RestoreSequence(int sequence, KvSnapshot snapshot) => false;
        public void Dispose() { }
    }
}
