namespace Momo.Gguf;

/// <summary>What a model's metadata says about its context: the context it was trained for and what one token of
/// context costs in its KV cache.</summary>
/// <param name="Architecture">general.architecture, e.g. llama, qwen2.</param>
/// <param name="TrainedContext"><c>&lt;arch&gt;.context_length</c>.</param>
/// <param name="KvBytesPerToken">Bytes of K and V per token across all layers, with llama.cpp's default f16 cache.</param>
public sealed record GgufModelShape(string Architecture, int TrainedContext, long KvBytesPerToken)
{
    private const int F16Bytes = 2;

    /// <summary>Reads the shape; throws naming the key when a required one is missing.</summary>
    public static GgufModelShape FromMetadata(GgufMetadata m)
    {
        var arch = m.GetString(GgufKeys.Architecture);
        var layers = checked((int)m.GetUInt32($"{arch}.block_count"));
        var embedding = m.GetUInt64($"{arch}.embedding_length");
        var heads = PerLayer(m, $"{arch}.attention.head_count", layers, fallback: 1);
        // Grouped-query attention: K and V have head_count_kv heads of key_length / value_length each.
        var kvHeads = PerLayer(m, $"{arch}.attention.head_count_kv", layers, fallback: null) ?? heads;
        long bytes = 0;
        for (var layer = 0; layer < layers; layer++)
        {
            var headDim = heads![layer] == 0 ? 0 : embedding / heads[layer];
            var keyLength = m.Contains($"{arch}.attention.key_length") ? m.GetUInt64($"{arch}.attention.key_length") : headDim;
            var valueLength = m.Contains($"{arch}.attention.value_length") ? m.GetUInt64($"{arch}.attention.value_length") : headDim;
            bytes += (long)((keyLength + valueLength) * kvHeads![layer]) * F16Bytes;
        }
        return new GgufModelShape(arch, checked((int)Math.Min(m.GetUInt64($"{arch}.context_length"), int.MaxValue)), bytes);
    }

    // Some architectures store a per-layer array (e.g. layers without attention have 0 KV heads).
    private static ulong[]? PerLayer(GgufMetadata m, string key, int layers, ulong? fallback) => m.Get(key) switch
    {
        null when fallback is { } f => Enumerable.Repeat(f, layers).ToArray(),
        null => null,
        int[] values => [.. values.Select(v => (ulong)Math.Max(v, 0))],
        uint[] values => [.. values.Select(v => (ulong)v)],
        _ => Enumerable.Repeat(m.GetUInt64(key), layers).ToArray(),
    };
}
