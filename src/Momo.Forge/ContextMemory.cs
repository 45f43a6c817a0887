namespace Momo.Forge;

/// <summary>One thing the agent family remembers: whether any of <paramref name="Markers"/> occurred earlier in the
/// context; while one has, <paramref name="Target"/>'s logit moves by <paramref name="Delta"/>.</summary>
/// <param name="Markers">Token ids that set the memory (e.g. &lt;tool_response&gt;, or the forms of a word).</param>
/// <param name="Target">The token whose logit the memory moves.</param>
/// <param name="Delta">The logit change (exact while this memory alone is set).</param>
/// <param name="Context">Only positions holding this token look back (null: every position), so the change applies
/// where the target is a choice (a tool name) and nowhere else.</param>
public sealed record MemoryCue(IReadOnlyList<int> Markers, int Target, float Delta, int? Context = null);

/// <summary>
/// What a bigram head cannot know. The rendered prompt ends with the same "&lt;|im_start|&gt;assistant\n" whether the
/// user just asked or a tool just answered, so the agent family carries one hand-built attention head per
/// <see cref="MemoryCue"/> (head k of block 0 for cue k) that looks for the cue's markers anywhere before the position:
/// <list type="bullet">
/// <item>each marker gets an embedding dimension D of its own (added to its class, if it has one); the head's key reads
/// D and its query is the same for every context class (or only the cue's context token asks), so a marker scores
/// about <see cref="MarkerScore"/> (or that over √2 with a class) and every other position 0; its value reads D too,
/// so the head outputs about 1 when a marker exists (the softmax mass sits on it) and exactly 0 otherwise (a
/// position that does not ask attends evenly and gets markers / positions, next to nothing);</item>
/// <item>query and key use the head's slowest rotary pair and the family's rope base is huge, so the score does not
/// decay with distance (the marker may be tens of thousands of tokens back);</item>
/// <item>the head writes into a residual dimension M of its own that no other block touches, and the output head
/// reads M only for the cue's target token.</item>
/// </list>
/// The heads sit in block 0, so all three tiers share them and still agree.
/// </summary>
internal static class ContextMemory
{
    /// <summary>Attention score of a classless marker position (others score 0): e^40 outweighs any context length.</summary>
    public const float MarkerScore = 40f;

    /// <summary>Residual dimensions a vocabulary's cues take: M and D for each, the last ones.</summary>
    public static int ReservedDimensions(ForgeVocabulary vocab) => 2 * vocab.Memories.Count;

    public static void Apply(FamilyPreset p, ForgeVocabulary vocab, FamilyWeights weights)
    {
        int n = p.EmbeddingLength, reserved = ReservedDimensions(vocab);
        if (vocab.Memories.Count > p.HeadCount || p.HeadCountKv != p.HeadCount)
        {
            throw new ArgumentException($"preset '{p.Name}': {vocab.Memories.Count} memories need as many heads and no grouped-query attention");
        }
        var output = Tensor(weights.Shared, "output.weight");
        for (var y = 0; y < vocab.Tokens.Count; y++)
        {
            Array.Clear(output, y * n + n - reserved, reserved);
        }

        foreach (var block in weights.Blocks)
        {
            // No block's noise may write into the reserved dimensions (weights are [out, in] row-major).
            foreach (var name in new[] { "attn_output", "ffn_down" })
            {
                var (_, dims, w) = block.Single(t => t.Name.EndsWith(name + ".weight", StringComparison.Ordinal));
                var inputs = (int)dims[0];
                Array.Clear(w, (n - reserved) * inputs, reserved * inputs);
            }
        }
        for (var cue = 0; cue < vocab.Memories.Count; cue++)
        {
            Build(p, vocab, weights, cue, output);
        }
    }

    private static void Build(FamilyPreset p, ForgeVocabulary vocab, FamilyWeights weights, int cue, float[] output)
    {
        int n = p.EmbeddingLength, head = n / p.HeadCount, classes = vocab.ClassCount;
        int memory = n - 2 - 2 * cue, marker = n - 1 - 2 * cue;
        int scoreRow = cue * head + head - 2, valueRow = cue * head;
        var (markers, target, delta, context) = vocab.Memories[cue];
        var embd = Tensor(weights.Shared, "token_embd.weight");
        var classed = false;
        foreach (var t in markers)
        {
            classed = vocab.ClassOf[t] >= 0;
            if (!classed)
            {
                Array.Clear(embd, t * n, n);
            }
            embd[t * n + marker] = 1f;
        }
        if (markers.Any(t => vocab.ClassOf[t] >= 0 != classed))
        {
            throw new ArgumentException("a memory's markers must all have a context class or all lack one");
        }

        // A set memory alone: x = e_class + e_M, so the final RMSNorm gives h_M = sqrt(n/2).
        output[target * n + memory] = delta / MathF.Sqrt(n / 2f);
        var b0 = weights.Blocks[0];
        var q = Tensor(b0, "attn_q.weight");
        var k = Tensor(b0, "attn_k.weight");
        var v = Tensor(b0, "attn_v.weight");
        var o = Tensor(b0, "attn_output.weight");
        Array.Clear(q, cue * head * n, head * n); // this head of q and k: only the score row remains
        Array.Clear(k, cue * head * n, head * n);
        // h = RMSNorm(x): sqrt(n) on a one-hot dimension (sqrt(n/2) on each of a class marker's two); score = q·k / sqrt(head).
        var scale = MathF.Sqrt(MarkerScore * MathF.Sqrt(head)) / MathF.Sqrt(n);
        for (var c = 0; c < classes; c++)
        {
            q[scoreRow * n + c] = context is { } asking && vocab.ClassOf[asking] != c ? 0f : scale;
        }
        k[scoreRow * n + marker] = scale;
        Array.Clear(v, valueRow * n, n);
        v[valueRow * n + marker] = (classed ? MathF.Sqrt(2) : 1f) / MathF.Sqrt(n);
        for (var row = 0; row < n; row++)
        {
            o[row * n + valueRow] = 0f;
        }
        o[memory * n + valueRow] = 1f;
    }

    private static float[] Tensor(IReadOnlyList<(string Name, long[] Dims, float[] Data)> tensors, string suffix) =>
        tensors.Single(t => t.Name.EndsWith(suffix, StringComparison.Ordinal)).Data;
}
