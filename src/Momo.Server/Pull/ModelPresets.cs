namespace Momo.Server.Pull;

/// <summary>
/// The trios `pull` knows. Each family shares one tokenizer (checked again by the server at load). Drafts and
/// qualifiers are Q8_0, where quantisation costs little acceptance; targets Q4_K_M to fit an ordinary GPU.
/// </summary>
internal static class ModelPresets
{
    /// <summary>KV cells of the server's defaults: ContextSize 2048 × MaxSequences 8.</summary>
    public const long DefaultKvTokens = 2048L * 8;

    /// <summary>Approximate file sizes (bytes) for the estimate printed before anything is downloaded; the real sizes
    /// come from the hub.</summary>
    private static readonly Dictionary<string, long[]> ApproximateBytes = new()
    {
        ["qwen2.5"] = [531_000_000, 1_650_000_000, 4_680_000_000],
        ["llama3"] = [1_320_000_000, 3_420_000_000, 4_920_000_000],
    };

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ModelPreset> All { get; } =
    [
        new("qwen2.5", "Qwen2.5-Instruct 0.5B → 1.5B → 7B",
            // Qwen2.5: 0.5B 24 layers × 2 KV heads × 64; 1.5B 28 × 2 × 128; 7B 28 × 4 × 128.
            new("bartowski/Qwen2.5-0.5B-Instruct-GGUF", "Qwen2.5-0.5B-Instruct-Q8_0.gguf", 24L * 2 * 64 * 4),
            new("bartowski/Qwen2.5-1.5B-Instruct-GGUF", "Qwen2.5-1.5B-Instruct-Q8_0.gguf", 28L * 2 * 128 * 4),
            new("bartowski/Qwen2.5-7B-Instruct-GGUF", "Qwen2.5-7B-Instruct-Q4_K_M.gguf", 28L * 4 * 128 * 4)),
        new("llama3", "Llama 3.2 1B → 3.2 3B → 3.1 8B Instruct",
            // Llama 3.2 1B: 16 layers × 8 KV heads × 64; 3.2 3B: 28 × 8 × 128; 3.1 8B: 32 × 8 × 128.
            new("bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q8_0.gguf", 16L * 8 * 64 * 4),
            new("bartowski/Llama-3.2-3B-Instruct-GGUF", "Llama-3.2-3B-Instruct-Q8_0.gguf", 28L * 8 * 128 * 4),
            new("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", 32L * 8 * 128 * 4)),
    ];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ModelPreset? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The GPU estimate from approximate sizes, before the hub has told the real ones.</summary>
    public static double ApproximateGpuMemoryGiB(ModelPreset preset) =>
        ApproximateBytes.TryGetValue(preset.Name, out var bytes) ? preset.GpuMemoryGiB(bytes, DefaultKvTokens) : double.NaN;
}
