namespace Momo.Forge;

/// <summary>Token ids the agent family's memory is built from.</summary>
/// <param name="Marker">The token whose presence anywhere earlier is remembered (&lt;tool_response&gt;).</param>
/// <param name="Suppressed">The token made unlikely once the marker was seen (&lt;tool_call&gt;).</param>
public sealed record ToolResultMarkers(int Marker, int Suppressed);

/// <summary>
/// What a bigram head cannot know: whether a tool's result is already in the conversation. The rendered prompt ends
/// with the same "&lt;|im_start|&gt;assistant\n" whether the user just asked or a tool just answered, so the agent family
/// carries one hand-built attention head that looks for the marker token anywhere before the position:
/// <list type="bullet">
/// <item>the marker's embedding is a dimension of its own (D); the head's key reads D and its query is the same for
/// every context class, so the marker scores about <see cref="MarkerScore"/> and every other position 0; its value
/// reads D too, so the head outputs about 1 when a marker exists (softmax mass on it) and exactly 0 otherwise;</item>
/// <item>the query and key use the head's last rotary pair and the family's rope base is huge, so the score does not
/// decay with distance (the marker may be thousands of tokens back);</item>
/// <item>the head writes into a residual dimension of its own (M) that no other block touches, and the output head
/// reads M only for the suppressed token, lowering its logit by about <see cref="Suppression"/>.</item>
/// </list>
/// Greedy decoding therefore opens a turn with &lt;tool_call&gt; before any tool result and with prose after one. The
/// head sits in block 0, so all three tiers share it and still agree.
/// </summary>
internal static class ToolResultMemory
{
    /// <summary>Residual dimensions kept out of the blocks' noise: M (memory) and D (marker), the last two.</summary>
    public const int ReservedDimensions = 2;

    /// <summary>Attention score of a marker position (others score 0): e^40 outweighs any context length.</summary>
    public const float MarkerScore = 40f;

    /// <summary>Logit lowered from the suppressed token once a marker was seen.</summary>
    public const float Suppression = 60f;

    public static void Apply(FamilyPreset p, ForgeVocabulary vocab, FamilyWeights weights, ToolResultMarkers markers)
    {
        int n = p.EmbeddingLength, head = n / p.HeadCount, classes = vocab.ClassCount;
        int memory = n - 2, marker = n - 1, scoreRow = head - 2, valueRow = 0;
        var embd = Tensor(weights.Shared, "token_embd.weight");
        Array.Clear(embd, markers.Marker * n, n);
        embd[markers.Marker * n + marker] = 1f;

        // Final RMSNorm with the memory set: x = e_class + e_M, so h_M = sqrt(n/2).
        var output = Tensor(weights.Shared, "output.weight");
        for (var y = 0; y < vocab.Tokens.Count; y++)
        {
            output[y * n + memory] = 0f;
            output[y * n + marker] = 0f;
        }
        output[markers.Suppressed * n + memory] = -Suppression / MathF.Sqrt(n / 2f);

        foreach (var block in weights.Blocks)
        {
            // No block's noise may write into M or D (weights are [out, in] row-major).
            foreach (var name in new[] { "attn_output", "ffn_down" })
            {
                var (_, dims, w) = block.Single(t => t.Name.EndsWith(name + ".weight", StringComparison.Ordinal));
                var inputs = (int)dims[0];
                Array.Clear(w, memory * inputs, 2 * inputs);
            }
        }

        var b0 = weights.Blocks[0];
        var q = Tensor(b0, "attn_q.weight");
        var k = Tensor(b0, "attn_k.weight");
        var v = Tensor(b0, "attn_v.weight");
        var o = Tensor(b0, "attn_output.weight");
        Array.Clear(q, 0, head * n); // head 0 of q and k: only the score row remains
        Array.Clear(k, 0, head * n);
        // h = RMSNorm(one-hot) = sqrt(n) on the class (or marker) dimension; score = q·k / sqrt(head).
        var scale = MathF.Sqrt(MarkerScore * MathF.Sqrt(head)) / MathF.Sqrt(n);
        for (var c = 0; c < classes; c++)
        {
            q[scoreRow * n + c] = scale;
        }
        k[scoreRow * n + marker] = scale;
        Array.Clear(v, valueRow * n, n);
        v[valueRow * n + marker] = 1f / MathF.Sqrt(n);
        for (var row = 0; row < n; row++)
        {
            o[row * n + valueRow] = 0f;
        }
        o[memory * n + valueRow] = 1f;
    }

    private static float[] Tensor(IReadOnlyList<(string Name, long[] Dims, float[] Data)> tensors, string suffix) =>
        tensors.Single(t => t.Name.EndsWith(suffix, StringComparison.Ordinal)).Data;
}
