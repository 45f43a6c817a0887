namespace Momo.Forge;

/// <summary>The target's tensors; a tier with L blocks is the shared tensors plus blocks 0..L-1, its output head's noise
/// columns scaled by the preset's head noise for that tier (<see cref="OutputHead"/>).
/// Analysis (c = 1, h = RMSNorm(x), n = n_embd, m = n − classes "noise" dims):
/// token_embd is the one-hot e_class (tokens without a class: a uniform mix, norm 1), so the final RMSNorm maps a
/// class to sqrt(n)·e_class and output.weight[y][class] = logit(y|class)/sqrt(n) reproduces the bigram head exactly.
/// Every block writes only into the m noise dims (its attention and FFN output rows for class dims are zero) a vector
/// of norm about <see cref="BlockNorm"/> that depends on the context through random attention; output.weight's noise
/// columns are N(0, (s / (BlockNorm·sqrt(n)))²), so each block adds logit noise of std ≈ s = PerturbationScale in the
/// draft, and s times the tier's head noise in the qualifier and the target.</summary>
internal sealed class FamilyWeights
{
    /// <summary>Norm of what one block adds to the residual stream, relative to the embedding norm 1. Small, so the
    /// final RMSNorm barely rescales the bigram logits (a 1/sqrt(1 + L·0.01) temperature change).</summary>
    public const float BlockNorm = 0.1f;

    public required IReadOnlyList<(string Name, long[] Dims, float[] Data)> Shared { get; init; }
    public required IReadOnlyList<IReadOnlyList<(string Name, long[] Dims, float[] Data)>> Blocks { get; init; }

    /// <summary>The output head's columns that read the blocks' random noise (not the bigram columns, nor the dimensions
    /// reserved for the copy circuit and the context memories).</summary>
    public required (int First, int Count) NoiseColumns { get; init; }

    /// <summary>The output head [vocab, n_embd] as a tier with head noise <paramref name="noise"/> reads it (see
    /// <see cref="FamilyPreset.HeadNoise"/>): its noise columns scaled, the bigram and reserved columns as they are; the
    /// shared array itself when the scale is 1.</summary>
    public float[] OutputHead(float noise)
    {
        var shared = Shared.Single(t => t.Name == "output.weight");
        if (noise == 1f)
        {
            return shared.Data;
        }

        var head = (float[])shared.Data.Clone();
        var width = (int)shared.Dims[0];
        for (var row = 0; row < head.Length; row += width)
        {
            for (var d = NoiseColumns.First; d < NoiseColumns.First + NoiseColumns.Count; d++)
            {
                head[row + d] *= noise;
            }
        }
        return head;
    }

    public static FamilyWeights Build(FamilyPreset p, ForgeVocabulary vocab, int seed)
    {
        int n = p.EmbeddingLength, v = vocab.Tokens.Count, classes = vocab.ClassCount, m = n - classes;
        var reserved = ContextMemory.ReservedDimensions(vocab) + CopyCircuit.ReservedDimensions(p, vocab);
        if (m - reserved < 32)
        {
            throw new ArgumentException($"preset '{p.Name}': EmbeddingLength {n} needs at least {classes + reserved + 32} (vocabulary has {classes} context classes)");
        }

        var embd = new float[(long)v * n];
        for (var t = 0; t < v; t++)
        {
            if (vocab.ClassOf[t] >= 0)
            {
                embd[(long)t * n + vocab.ClassOf[t]] = 1f;
            }
            else
            {
                for (var c = 0; c < classes; c++)
                {
                    embd[(long)t * n + c] = 1f / MathF.Sqrt(classes);
                }
            }
        }
        var head = BigramHead.Build(vocab, p.Smoothing, p.TieMargin, p.LogitScale);
        var noise = DeterministicRandom.For(seed, "output.noise").Gaussian(v * m, p.PerturbationScale / (BlockNorm * MathF.Sqrt(n)));
        var output = new float[(long)v * n];
        for (var y = 0; y < v; y++)
        {
            for (var c = 0; c < classes; c++)
            {
                output[(long)y * n + c] = head[c][y] / MathF.Sqrt(n);
            }

            Array.Copy(noise, (long)y * m, output, (long)y * n + classes, m);
        }
        var shared = new List<(string, long[], float[])>
        {
            ("token_embd.weight", [n, v], embd),
            ("output_norm.weight", [n], Ones(n)),
            ("output.weight", [n, v], output),
        };
        var blocks = Enumerable.Range(0, p.TargetLayers).Select(b => Block(p, b, classes, seed)).ToList();
        var weights = new FamilyWeights { Shared = shared, Blocks = blocks, NoiseColumns = (classes, m - reserved) };
        if (p.CopyCircuit)
        {
            CopyCircuit.Apply(p, vocab, weights);
        }
        if (vocab.Memories.Count > 0)
        {
            ContextMemory.Apply(p, vocab, weights);
        }

        return weights;
    }

    private static List<(string, long[], float[])> Block(FamilyPreset p, int b, int classes, int seed)
    {
        int n = p.EmbeddingLength, ff = p.FeedForwardLength, kv = n / p.HeadCount * p.HeadCountKv, m = n - classes;
        var unit = 1f / MathF.Sqrt(n); // keeps q, k, v, gate and up entries ~N(0, 1) for an RMS-normalised input
        var half = BlockNorm / MathF.Sqrt(2); // attention and FFN each add half of the block's squared norm
        float[] Rand(string t, int count, float std) => DeterministicRandom.For(seed, $"blk.{b}.{t}").Gaussian(count, std);
        return
        [
            ($"blk.{b}.attn_norm.weight", [n], Ones(n)),
            ($"blk.{b}.attn_q.weight", [n, n], Rand("q", n * n, unit)),
            ($"blk.{b}.attn_k.weight", [n, kv], Rand("k", n * kv, unit)),
            ($"blk.{b}.attn_v.weight", [n, kv], Rand("v", n * kv, unit)),
            ($"blk.{b}.attn_output.weight", [n, n], NoiseRows(Rand("o", m * n, half / MathF.Sqrt(m * (float)n)), n, n, classes)),
            ($"blk.{b}.ffn_norm.weight", [n], Ones(n)),
            ($"blk.{b}.ffn_gate.weight", [n, ff], Rand("gate", n * ff, unit)),
            ($"blk.{b}.ffn_up.weight", [n, ff], Rand("up", n * ff, unit)),
            // E[(silu(g)·u)²] ≈ 0.36 for g, u ~ N(0, 1)
            ($"blk.{b}.ffn_down.weight", [ff, n], NoiseRows(Rand("down", m * ff, half / MathF.Sqrt(m * ff * 0.36f)), ff, n, classes)),
        ];
    }

    // Output rows 0..classes-1 stay zero, so a block never moves the bigram context itself, only the noise dims.
    private static float[] NoiseRows(float[] noise, int inputs, int outputs, int classes)
    {
        var w = new float[inputs * outputs];
        Array.Copy(noise, 0, w, classes * inputs, (outputs - classes) * inputs);
        return w;
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();
}
