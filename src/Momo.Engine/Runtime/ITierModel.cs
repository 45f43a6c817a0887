namespace Momo.Engine.Runtime;

/// <summary>
/// One tier of the pyramid as the engine sees it: a model with one context whose KV cache holds many
/// sequences. Only the engine thread calls it (native contexts are not thread-safe).
/// </summary>
public interface ITierModel : IDisposable
{
    /// <summary>Short name used in logs and metrics (draft, qualifier, target).</summary>
    string Name { get; }

    /// <summary>Number of entries in a logits row.</summary>
    int VocabularySize { get; }

    /// <summary>Total KV cells of the context, shared by all sequences.</summary>
    int KvCapacity { get; }

    /// <summary>Most tokens one <see cref="Decode"/> call may carry.</summary>
    int MaxBatchTokens { get; }

    /// <summary>
    /// Decodes the batch; throws <see cref="KvCacheFullException"/> when the cache has no room and
    /// <see cref="BatchTooLargeException"/> when the batch holds more than <see cref="MaxBatchTokens"/> tokens.
    /// </summary>
    void Decode(DecodeBatch batch);

    /// <summary>Logits of the batch entry <paramref name="handle"/> of the last decode. Valid until the next decode.</summary>
    ReadOnlySpan<float> Logits(int handle);

    /// <summary>Drops every cached position &gt;= <paramref name="length"/> of <paramref name="sequence"/>.</summary>
    void Truncate(int sequence, int length);

    /// <summary>
    /// Makes positions [0, <paramref name="length"/>) of <paramref name="source"/> part of <paramref name="destination"/>
    /// too (which must hold nothing). The cells are shared, not duplicated: a common prompt prefix costs its KV once.
    /// </summary>
    void CopyPrefix(int source, int destination, int length);

    /// <summary>
    /// Copies every cached position of <paramref name="sequence"/> into host memory (llama_state_seq_get_data), for the
    /// prompt cache; the sequence keeps its KV.
    /// </summary>
    KvSnapshot SaveSequence(int sequence);

    /// <summary>
    /// Writes <paramref name="snapshot"/> (from <see cref="SaveSequence"/> of this tier) into <paramref name="sequence"/>,
    /// replacing what it held. Returns false when the cache has no room for it; the sequence then holds nothing.
    /// </summary>
    bool RestoreSequence(int sequence, KvSnapshot snapshot);
}

/// <summary>The tier's KV cache could not fit the batch.</summary>
internal sealed class KvCacheFullException(string tier, int tokens)
    : Exception($"The {tier} tier's KV cache has no room for a batch of {tokens} tokens.");

/// <summary>A batch over the tier's limit reached the runtime: a planning bug, refused before the native code sees it.</summary>
internal sealed class BatchTooLargeException(string tier, int tokens, int limit)
    : Exception($"A batch of {tokens} tokens exceeds the {tier} tier's limit of {limit} tokens per decode.");
