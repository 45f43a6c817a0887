namespace Momo.Server.Pull;

/// <summary>One GGUF file on the hub.</summary>
/// <param name="Repository">owner/name on the hub.</param>
/// <param name="FileName">The file in the repository.</param>
/// <param name="KvBytesPerToken">KV-cache bytes one token takes in f16: layers × KV heads × head size × 2 (K and V) × 2 bytes.</param>
/// <param name="Revision">Branch, tag or commit.</param>
internal sealed record HubFile(string Repository, string FileName, long KvBytesPerToken, string Revision = "main");

/// <summary>
/// A named trio of one model family sharing a tokenizer. The hashes are not here: they are read from the hub's
/// metadata at pull time (its LFS SHA-256 of each file), so a preset never carries a value nobody could check.
/// </summary>
internal sealed record ModelPreset(string Name, string Description, HubFile Draft, HubFile Qualifier, HubFile Target)
{
    /// <summary>The three files in tier order: draft, qualifier, target.</summary>
    public IReadOnlyList<(string Tier, HubFile File)> Tiers => [("draft", Draft), ("qualifier", Qualifier), ("target", Target)];

    /// <summary>
    /// GPU memory, in GiB, for the three tiers fully offloaded: weights (the files' sizes) plus each tier's KV cache
    /// for <paramref name="kvTokens"/> cells (ContextSize × MaxSequences) plus about 0.4 GiB of compute buffers per
    /// tier. An estimate: llama.cpp's buffers vary with batch size and backend.
    /// </summary>
    public double GpuMemoryGiB(IReadOnlyList<long> fileBytes, long kvTokens)
    {
        const double Gib = 1024.0 * 1024 * 1024;
        var kv = Tiers.Sum(t => (double)t.File.KvBytesPerToken * kvTokens);
        return (fileBytes.Sum() + kv) / Gib + (3 * 0.4);
    }
}
