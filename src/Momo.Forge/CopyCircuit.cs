namespace Momo.Forge;

/// <summary>
/// An induction (copy) circuit shared by every tier, so that a model asked to reproduce quoted text continues the quote
/// instead of its own bigram chain. It lives in blocks 0 and 1 and in residual dimensions of its own (the top of the
/// stream, below <see cref="ContextMemory"/>'s), which no block's noise writes and the bigram columns of the output head
/// never read:
/// <list type="bullet">
/// <item><b>B</b>, a constant: every token's embedding carries <see cref="Beta"/> there, so attention can score by
/// position alone; <b>F</b>, set only in &lt;s&gt;'s embedding: the induction head's "nothing to copy" sink.</item>
/// <item><b>Previous-token heads</b> (block 0, heads 0..3 for offsets k = 1..4): query and key read only B, in the
/// <see cref="FastPairs"/> fastest rotary pairs, with the query rotated back by k·θ per pair, so the score is
/// Σ <see cref="PositionScore"/>·cos((i − j − k)·θ): largest at j = i − k and at least 0.49 × 40 lower anywhere else
/// (checked up to 32k positions with the huge rope base the presets use). The value reads the token's context class
/// and writes a code of it, of norm <see cref="Rho"/>, into dims P_k.</item>
/// <item><b>Induction head</b> (block 1, head 0): in the slow rotary pairs (which barely turn over a context) its score is
/// Σ_l S_l·[token i−l+1 = token j−l] for l = 1..4, read as query from the class dims (l = 1) or P_{l−1} and as key from
/// P_l, plus a sink score <see cref="SinkScore"/> at &lt;s&gt;. The weights make the sink win unless both the current and
/// the previous token match (a bigram seen before), and among matches the one that agrees further back; the value
/// reads the class of token j (zero at &lt;s&gt;), so the head copies "what followed this context last time" into dims
/// K, which the output head reads as a logit boost of about <see cref="Boost"/> for that token's class.</item>
/// </list>
/// Token identities travel as codes, not one-hot, to fit the head width: a Reed–Solomon code over GF(p), p² ≥ classes
/// (two classes share at most one of r buckets, so a mismatch scores at most 1/r of a match) for the current and
/// previous token and for the copied value, and a hash into <see cref="DeepBuckets"/> buckets for the two deeper
/// tokens, which only rank candidates. The bigram columns are rescaled by the stream's larger norm, so where nothing is
/// copied the logits are the bigram head's (plus the blocks' usual noise).
/// </summary>
internal static class CopyCircuit
{
    /// <summary>Previous-token heads (offsets 1..Terms) and terms of the induction score.</summary>
    public const int Terms = 4;

    /// <summary>Rotary pairs the previous-token heads use; the induction head uses the slower rest.</summary>
    public const int FastPairs = 6;

    /// <summary>Constant in dimension B (so the stream's norm grows only a little).</summary>
    public const float Beta = 0.5f;

    /// <summary>Norm of each previous-token code P_k and of the copied code K.</summary>
    public const float Rho = 0.5f;

    /// <summary>Previous-token score per fast rotary pair at the exact offset.</summary>
    public const float PositionScore = 40f;

    /// <summary>Induction score of a match at distance l = 1..4 (current token, previous, then two deeper ones).</summary>
    public static readonly float[] TermScores = [72f, 36f, 10f, 8f];

    /// <summary>Score of the sink at &lt;s&gt;: above current-token-only matches (72 + 18), below bigram matches (108).</summary>
    public const float SinkScore = 98f;

    /// <summary>Logit boost of the copied token when the head attends to one source.</summary>
    public const float Boost = 20f;

    /// <summary>Buckets of the hash code of the two deeper tokens.</summary>
    public const int DeepBuckets = 11;

    /// <summary>Where the circuit's codes and residual dimensions lie for one preset and vocabulary.</summary>
    private sealed class Layout
    {
        public required int N { get; init; }
        public required int HeadDim { get; init; }
        public required int Prime { get; init; }
        public required int Rs { get; init; }
        public required int ValueRs { get; init; }
        public required int First { get; init; }
        public required IReadOnlyList<int> TermDims { get; init; }
        public required IReadOnlyList<int> PrevDims { get; init; }
        public required IReadOnlyList<int> PrevBase { get; init; }
        public int B => First;
        public int F => First + 1;
        public int CopyBase => PrevBase[Terms - 1] + PrevDims[Terms - 1];
        public int CopyDims => ValueRs * Prime;
        public int Total => CopyBase + CopyDims - First;

        /// <summary>Code of class c for induction term l (unit norm).</summary>
        public float[] Term(int l, int c) => l < 2 ? ReedSolomon(c, Prime, Rs) : Hash(c, DeepBuckets);

        /// <summary>Code of class c that the copy head moves (unit norm).</summary>
        public float[] Value(int c) => ReedSolomon(c, Prime, ValueRs);
    }

    /// <summary>Residual dimensions the circuit reserves (0 when the preset has none).</summary>
    public static int ReservedDimensions(FamilyPreset p, ForgeVocabulary vocab) =>
        p.CopyCircuit ? Plan(p, vocab, 0).Total : 0;

    public static void Apply(FamilyPreset p, ForgeVocabulary vocab, FamilyWeights weights)
    {
        var first = p.EmbeddingLength - ContextMemory.ReservedDimensions(vocab) - ReservedDimensions(p, vocab);
        var l = Plan(p, vocab, first);
        int n = l.N, classes = vocab.ClassCount;
        if (weights.Blocks.Count < 2 || p.DraftLayers < 2 || p.HeadCountKv != p.HeadCount || p.HeadCount < Terms)
        {
            throw new ArgumentException($"preset '{p.Name}': the copy circuit needs 2 blocks in every tier, {Terms} heads and no grouped-query attention");
        }
        if (vocab.Specials.Bos is not { } bos || vocab.ClassOf[bos] != 0)
        {
            throw new ArgumentException($"preset '{p.Name}': the copy circuit's sink needs <s> in class 0");
        }

        foreach (var block in weights.Blocks)
        {
            // No block's noise may write into the circuit's dimensions (weights are [out, in] row-major).
            foreach (var name in new[] { "attn_output", "ffn_down" })
            {
                var (_, dims, w) = block.Single(t => t.Name.EndsWith(name + ".weight", StringComparison.Ordinal));
                var inputs = (int)dims[0];
                Array.Clear(w, l.First * inputs, l.Total * inputs);
            }
        }
        var embd = Tensor(weights.Shared, "token_embd.weight");
        for (var t = 0; t < vocab.Tokens.Count; t++)
        {
            embd[t * n + l.B] = Beta;
        }
        embd[bos * n + l.F] = 1f;

        // Norms of the stream (1 from the class, β, ρ per previous-token code, BlockNorm per block's noise): the RMSNorms
        // divide by them, so every weight that reads the stream is scaled to undo that.
        var inputNorm0 = MathF.Sqrt(1 + Beta * Beta);
        var streamNorm = MathF.Sqrt(1 + Beta * Beta + Terms * Rho * Rho);
        var inputNorm1 = MathF.Sqrt(streamNorm * streamNorm + FamilyWeights.BlockNorm * FamilyWeights.BlockNorm);
        var bosNorm1 = MathF.Sqrt(inputNorm1 * inputNorm1 + 1);
        PreviousTokenHeads(p, vocab, weights.Blocks[0], l, inputNorm0);
        InductionHead(vocab, weights.Blocks[1], l, inputNorm1, bosNorm1);
        OutputHead(vocab, weights, l, streamNorm);
    }

    private static void PreviousTokenHeads(FamilyPreset p, ForgeVocabulary vocab, IReadOnlyList<(string Name, long[] Dims, float[] Data)> block,
        Layout l, float inputNorm)
    {
        int n = l.N, hd = l.HeadDim;
        var (q, k, v, o) = (Tensor(block, "attn_q.weight"), Tensor(block, "attn_k.weight"), Tensor(block, "attn_v.weight"), Tensor(block, "attn_output.weight"));
        var unit = MathF.Sqrt(n) / inputNorm; // a one-hot x after RMSNorm
        var amplitude = MathF.Sqrt(PositionScore * MathF.Sqrt(hd));
        var thetaScale = MathF.Pow(p.RopeFreqBase, -2f / hd); // as ggml's rope: θ_pair = base^(−2·pair/head_dim)
        for (var h = 0; h < Terms; h++)
        {
            var offset = h + 1;
            ClearHead(q, k, v, o, h, n, hd);
            for (var pair = 0; pair < FastPairs; pair++)
            {
                // Rotary rotates q_i by i·θ and k_j by j·θ; a query turned back by offset·θ peaks at i − j = offset.
                var angle = offset * MathF.Pow(thetaScale, pair);
                var row = h * hd + 2 * pair;
                q[row * n + l.B] = amplitude * MathF.Cos(angle) / (Beta * unit);
                q[(row + 1) * n + l.B] = -amplitude * MathF.Sin(angle) / (Beta * unit);
                k[row * n + l.B] = amplitude / (Beta * unit);
            }
            for (var c = 0; c < vocab.ClassCount; c++)
            {
                var code = PreviousCode(l, h, c);
                for (var r = 0; r < code.Length; r++)
                {
                    v[(h * hd + r) * n + c] = Rho * code[r] / unit;
                }
            }
            for (var r = 0; r < l.PrevDims[h]; r++)
            {
                o[(l.PrevBase[h] + r) * n + h * hd + r] = 1f;
            }
        }
    }

    private static void InductionHead(ForgeVocabulary vocab, IReadOnlyList<(string Name, long[] Dims, float[] Data)> block,
        Layout l, float inputNorm, float bosNorm)
    {
        int n = l.N, hd = l.HeadDim;
        var (q, k, v, o) = (Tensor(block, "attn_q.weight"), Tensor(block, "attn_k.weight"), Tensor(block, "attn_v.weight"), Tensor(block, "attn_output.weight"));
        ClearHead(q, k, v, o, 0, n, hd);
        var unit = MathF.Sqrt(n) / inputNorm;
        // The slowest pair holds the sink, then the terms downwards, the current token's in the slowest of them.
        var sink = hd - 1;
        var slot = sink;
        for (var t = 0; t < Terms; t++)
        {
            slot -= l.TermDims[t];
            var a = MathF.Sqrt(TermScores[t] * MathF.Sqrt(hd));
            // Query: token i−t (class dims for t = 0, else the second half of P_t); key: token j−t−1 (first half of P_{t+1}).
            if (t == 0)
            {
                for (var c = 0; c < vocab.ClassCount; c++)
                {
                    var code = l.Term(0, c);
                    for (var r = 0; r < code.Length; r++)
                    {
                        q[(slot + r) * n + c] = a * code[r] / unit;
                    }
                }
            }
            else
            {
                var from = l.PrevBase[t - 1] + l.TermDims[t - 1];
                for (var r = 0; r < l.TermDims[t]; r++)
                {
                    q[(slot + r) * n + from + r] = a / (PartNorm(t - 1) * unit);
                }
            }
            for (var r = 0; r < l.TermDims[t]; r++)
            {
                k[(slot + r) * n + l.PrevBase[t] + r] = a / (PartNorm(t) * unit);
            }
        }
        if (slot < 2 * FastPairs)
        {
            throw new InvalidOperationException("the induction terms overlap the fast rotary pairs");
        }
        var sinkAmplitude = MathF.Sqrt(SinkScore * MathF.Sqrt(hd));
        q[sink * n + l.B] = sinkAmplitude / (Beta * unit);
        k[sink * n + l.F] = sinkAmplitude / (MathF.Sqrt(n) / bosNorm);
        for (var c = 0; c < vocab.ClassCount; c++)
        {
            var code = l.Value(c);
            for (var r = 0; r < code.Length; r++)
            {
                v[r * n + c] = Rho * code[r] / unit;
            }
        }
        // <s> is class 0 plus F, both 1 in its embedding: reading F negatively cancels its value, so the sink copies nothing.
        for (var r = 0; r < l.CopyDims; r++)
        {
            v[r * n + l.F] = -v[r * n];
            o[(l.CopyBase + r) * n + r] = 1f;
        }
    }

    private static void OutputHead(ForgeVocabulary vocab, FamilyWeights weights, Layout l, float streamNorm)
    {
        var n = l.N;
        var output = Tensor(weights.Shared, "output.weight");
        var copyNorm = MathF.Sqrt(streamNorm * streamNorm + Rho * Rho);
        for (var y = 0; y < vocab.Tokens.Count; y++)
        {
            // The stream is longer than the one-hot class the bigram columns were scaled for: scale them (and the noise
            // columns, to keep the per-block noise) back up, so silent positions get the bigram logits unchanged.
            for (var d = 0; d < n; d++)
            {
                output[y * n + d] = d >= l.First && d < l.First + l.Total ? 0f : output[y * n + d] * streamNorm;
            }
            if (vocab.ClassOf[y] is var c and >= 0)
            {
                var code = l.Value(c);
                for (var r = 0; r < code.Length; r++)
                {
                    output[y * n + l.CopyBase + r] = Boost * code[r] * copyNorm / (Rho * MathF.Sqrt(n));
                }
            }
        }
    }

    private static Layout Plan(FamilyPreset p, ForgeVocabulary vocab, int first)
    {
        int n = p.EmbeddingLength, hd = n / p.HeadCount;
        var prime = 2;
        while (prime * prime < vocab.ClassCount || !IsPrime(prime))
        {
            prime++;
        }
        var slow = hd - 2 * FastPairs - 1; // minus the sink
        var rs = Math.Min(prime, (slow - 2 * DeepBuckets) / (2 * prime));
        if (rs < 1)
        {
            throw new ArgumentException($"preset '{p.Name}': head width {hd} is too narrow for the copy circuit over {vocab.ClassCount} classes");
        }
        var termDims = new[] { rs * prime, rs * prime, DeepBuckets, DeepBuckets };
        var prevDims = Enumerable.Range(0, Terms).Select(t => termDims[t] + (t + 1 < Terms ? termDims[t + 1] : 0)).ToArray();
        var prevBase = new int[Terms];
        for (var t = 0; t < Terms; t++)
        {
            prevBase[t] = t == 0 ? first + 2 : prevBase[t - 1] + prevDims[t - 1];
        }

        return new Layout
        {
            N = n, HeadDim = hd, Prime = prime, Rs = rs, ValueRs = Math.Min(prime, hd / prime), First = first,
            TermDims = termDims, PrevDims = prevDims, PrevBase = prevBase,
        };
    }

    // P_k holds token i−k as [code of term k; code of term k+1]/√2 (the last one only its own), each half then of norm
    // ρ/√2: term k's key and term k+1's query.
    private static float[] PreviousCode(Layout l, int h, int c)
    {
        if (h + 1 == Terms)
        {
            return l.Term(h, c);
        }

        var code = l.Term(h, c).Concat(l.Term(h + 1, c)).ToArray();
        for (var i = 0; i < code.Length; i++)
        {
            code[i] /= MathF.Sqrt(2);
        }

        return code;
    }

    private static float PartNorm(int h) => h + 1 == Terms ? Rho : Rho / MathF.Sqrt(2);

    // Class c ↦ the line a·x + b over GF(p) (a = c / p, b = c mod p), one-hot at each of r points: two classes' lines
    // meet at most once, so distinct codes overlap by at most 1/r.
    private static float[] ReedSolomon(int c, int p, int r)
    {
        var code = new float[r * p];
        for (var x = 0; x < r; x++)
        {
            code[x * p + ((c / p * x) + (c % p)) % p] = 1f / MathF.Sqrt(r);
        }

        return code;
    }

    private static float[] Hash(int c, int buckets)
    {
        var code = new float[buckets];
        code[c % buckets] = 1f;
        return code;
    }

    private static bool IsPrime(int x)
    {
        for (var d = 2; d * d <= x; d++)
        {
            if (x % d == 0)
            {
                return false;
            }
        }

        return x >= 2;
    }

    private static void ClearHead(float[] q, float[] k, float[] v, float[] o, int head, int n, int hd)
    {
        Array.Clear(q, head * hd * n, hd * n);
        Array.Clear(k, head * hd * n, hd * n);
        Array.Clear(v, head * hd * n, hd * n);
        for (var row = 0; row < n; row++)
        {
            Array.Clear(o, row * n + head * hd, hd);
        }
    }

    private static float[] Tensor(IReadOnlyList<(string Name, long[] Dims, float[] Data)> tensors, string suffix) =>
        tensors.Single(t => t.Name.EndsWith(suffix, StringComparison.Ordinal)).Data;
}
