namespace Momo.Gguf;

/// <summary>
/// Checks a header against what llama.cpp will expect of its architecture: the required hyperparameters exist and
/// are consistent, and the tensors the graph reads exist with the shapes it will give them. A file that passes
/// does not reach llama.cpp's shape asserts; one that fails is refused naming the first key or tensor at fault.
/// </summary>
public static class ArchitectureValidator
{
    // Far above any real model; below them no product of two of them overflows a long.
    private const ulong MaxDimension = 1UL << 24;

    /// <summary>Throws <see cref="GgufException"/> naming the first problem of <paramref name="file"/>, whose vocabulary has <paramref name="vocabularySize"/> tokens.</summary>
    public static void Check(GgufFile file, int vocabularySize)
    {
        var m = file.Metadata;
        var arch = m.Get(GgufKeys.Architecture) as string;
        if (string.IsNullOrEmpty(arch))
        {
            throw new GgufException($"metadata key '{GgufKeys.Architecture}' is missing or not a non-empty string");
        }
        var embedding = Dimension(m, $"{arch}.embedding_length");
        var blocks = Dimension(m, $"{arch}.block_count");
        _ = Dimension(m, $"{arch}.context_length");
        var shapes = new Shapes(file);
        shapes.Expect("token_embd.weight", embedding, vocabularySize);
        if (arch == "llama")
        {
            CheckLlama(m, shapes, embedding, blocks, vocabularySize);
        }
    }

    private static void CheckLlama(GgufMetadata m, Shapes shapes, long embedding, long blocks, int vocabularySize)
    {
        var heads = Dimension(m, "llama.attention.head_count");
        var kvHeads = m.Contains("llama.attention.head_count_kv") ? Dimension(m, "llama.attention.head_count_kv") : heads;
        if (heads % kvHeads != 0)
        {
            throw new GgufException($"llama.attention.head_count {heads} is not a multiple of head_count_kv {kvHeads}");
        }
        if (!m.Contains("llama.attention.key_length") && embedding % heads != 0)
        {
            throw new GgufException($"llama.embedding_length {embedding} is not a multiple of attention.head_count {heads}");
        }
        var headK = m.Contains("llama.attention.key_length") ? Dimension(m, "llama.attention.key_length") : embedding / heads;
        var headV = m.Contains("llama.attention.value_length") ? Dimension(m, "llama.attention.value_length") : embedding / heads;
        // Mixture-of-experts llama files carry expert tensors instead of one feed-forward block.
        var experts = m.Contains("llama.expert_count") ? m.GetUInt32("llama.expert_count") : 0;
        var feedForward = experts == 0 ? Dimension(m, "llama.feed_forward_length") : 0;
        shapes.Expect("output_norm.weight", embedding);
        shapes.ExpectIfPresent("output.weight", embedding, vocabularySize);
        for (long b = 0; b < blocks; b++)
        {
            shapes.Expect($"blk.{b}.attn_norm.weight", embedding);
            shapes.Expect($"blk.{b}.attn_q.weight", embedding, heads * headK);
            shapes.Expect($"blk.{b}.attn_k.weight", embedding, kvHeads * headK);
            shapes.Expect($"blk.{b}.attn_v.weight", embedding, kvHeads * headV);
            shapes.Expect($"blk.{b}.attn_output.weight", heads * headV, embedding);
            shapes.Expect($"blk.{b}.ffn_norm.weight", embedding);
            if (experts == 0)
            {
                shapes.Expect($"blk.{b}.ffn_gate.weight", embedding, feedForward);
                shapes.Expect($"blk.{b}.ffn_up.weight", embedding, feedForward);
                shapes.Expect($"blk.{b}.ffn_down.weight", feedForward, embedding);
            }
        }
    }

    private static long Dimension(GgufMetadata m, string key)
    {
        var value = m.GetUInt64(key);
        return value is >= 1 and <= MaxDimension
            ? (long)value
            : throw new GgufException($"metadata key '{key}' is {value} (must be between 1 and {MaxDimension})");
    }

    /// <summary>Tensor lookup by name with shape expectations in ggml order (ne0 first).</summary>
    private sealed class Shapes(GgufFile file)
    {
        private readonly Dictionary<string, GgufTensorInfo> _byName = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);

        public void Expect(string name, params long[] dims)
        {
            if (!_byName.ContainsKey(name))
            {
                throw new GgufException($"tensor '{name}' is missing");
            }
            ExpectIfPresent(name, dims);
        }

        public void ExpectIfPresent(string name, params long[] dims)
        {
            if (_byName.TryGetValue(name, out var tensor) && !tensor.Dimensions.SequenceEqual(dims))
            {
                throw new GgufException($"tensor '{name}' has shape [{string.Join(", ", tensor.Dimensions)}], expected [{string.Join(", ", dims)}]");
            }
        }
    }
}
