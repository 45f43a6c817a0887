namespace Momo.Engine.Runtime;

/// <summary>How to load one tier's GGUF file.</summary>
/// <param name="Name">Tier name: draft, qualifier or target.</param>
/// <param name="ModelPath">Path of the GGUF file.</param>
/// <param name="GpuLayers">Layers to offload to the GPU (0 on the CPU backend; -1 for all).</param>
/// <param name="KvCells">KV cells of the context, shared by all sequences (context per sequence × sequences).</param>
/// <param name="MaxSequences">Most sequences the context serves at once.</param>
/// <param name="Threads">CPU threads for decoding and prompt processing; null uses every logical processor.</param>
/// <param name="BatchTokens">Most tokens per decode call.</param>
/// <param name="FlashAttention">Whether attention uses llama.cpp's flash-attention kernel.</param>
public sealed record TierLoadOptions(
    string Name,
    string ModelPath,
    int GpuLayers,
    int KvCells,
    int MaxSequences,
    int? Threads,
    int BatchTokens,
    FlashAttentionMode FlashAttention = FlashAttentionMode.Auto);
