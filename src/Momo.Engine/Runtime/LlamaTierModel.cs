using LLama;
using LLama.Common;
using LLama.Native;

namespace Momo.Engine.Runtime;

/// <summary>
/// A tier backed by LLamaSharp: the weights plus one context whose unified KV cache serves every sequence.
/// This and its siblings in Runtime/ are the only code that touches LLamaSharp.
/// </summary>
public sealed class LlamaTierModel : ITierModel
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly LLamaBatch _batch = new();
    // Maps a DecodeBatch handle to the native batch's logits index (LLamaBatch.Add's return value).
    private int[] _logitsIndex = new int[64];

    private LlamaTierModel(string name, LLamaWeights weights, LLamaContext context, int batchTokens)
    {
        Name = name;
        _weights = weights;
        _context = context;
        MaxBatchTokens = batchTokens;
        Vocabulary = new TierVocabulary(weights);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Tokenizer and detokenizer of this tier's model.</summary>
    public TierVocabulary Vocabulary { get; }

    /// <inheritdoc />
    public int VocabularySize => Vocabulary.Count;

    /// <inheritdoc />
    public int KvCapacity => (int)_context.ContextSize;

    /// <inheritdoc />
    public int MaxBatchTokens { get; }

    /// <summary>Loads the file; the caller has validated it first (llama.cpp aborts the process on some bad files).</summary>
    public static LlamaTierModel Load(TierLoadOptions options)
    {
        var parameters = new ModelParams(options.ModelPath)
        {
            ContextSize = (uint)options.KvCells,
            GpuLayerCount = options.GpuLayers,
            SeqMax = (uint)options.MaxSequences,
            BatchSize = (uint)options.BatchTokens,
            UBatchSize = (uint)options.BatchTokens,
            // One cache shared by all sequences, so a sequence may use any free cell and prefixes can be shared.
            KVUnified = true,
            FlashAttention = options.FlashAttention switch
            {
                FlashAttentionMode.Enabled => true,
                FlashAttentionMode.Disabled => false,
                _ => null,
            },
        };
        // LLamaSharp's default is half the logical processors (one thread on a 2-core machine), while llama.cpp's own
        // tools use every core; the tiers decode one after another on the engine thread, so each may use them all.
        var threads = options.Threads ?? Environment.ProcessorCount;
        parameters.Threads = threads;
        parameters.BatchThreads = threads;
        var weights = LLamaWeights.LoadFromFile(parameters);
        try
        {
            var context = weights.CreateContext(parameters);
            return new LlamaTierModel(options.Name, weights, context, options.BatchTokens);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Decode(DecodeBatch batch)
    {
        // llama.cpp aborts the whole process (GGML_ASSERT) on a batch over n_batch, and the native decode LLamaSharp
        // exposes does not check: refuse here, so a planning bug fails one step, never the process.
        if (batch.Count > MaxBatchTokens)
        {
            throw new BatchTooLargeException(Name, batch.Count, MaxBatchTokens);
        }
        _batch.Clear();
        if (_logitsIndex.Length < batch.Count)
        {
            _logitsIndex = new int[Math.Max(batch.Count, _logitsIndex.Length * 2)];
        }
        var entries = batch.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            _logitsIndex[i] = _batch.Add(e.Token, e.Position, (LLamaSeqId)e.Sequence, e.WantLogits);
        }
        var result = _context.NativeHandle.Decode(_batch);
        switch (result)
        {
            case DecodeResult.Ok:
                return;
            case DecodeResult.NoKvSlot:
                throw new KvCacheFullException(Name, batch.Count);
            default:
                throw new InvalidOperationException($"llama_decode failed on the {Name} tier: {result} ({batch.Count} tokens).");
        }
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> Logits(int handle) => _context.NativeHandle.GetLogitsIth(_logitsIndex[handle]);

    /// <inheritdoc />
    public void Truncate(int sequence, int length) =>
        _context.NativeHandle.MemorySequenceRemove((LLamaSeqId)sequence, length, -1);


    /// <inheritdoc />
    public void CopyPrefix(int source, int destination, int length) =>
        _context.NativeHandle.MemorySequenceCopy((LLamaSeqId)source, (LLamaSeqId)destination, 0, length);

    /// <inheritdoc />
    public unsafe KvSnapshot SaveSequence(int sequence)
    {
        var handle = _context.NativeHandle;
        var snapshot = new NativeKvSnapshot(handle.GetStateSize((LLamaSeqId)sequence));
        try
        {
            snapshot.Shrink(handle.GetState(snapshot.Data, snapshot.Size, (LLamaSeqId)sequence));
            return snapshot;
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public unsafe bool RestoreSequence(int sequence, KvSnapshot snapshot)
    {
        var native = snapshot as NativeKvSnapshot
            ?? throw new ArgumentException("The snapshot was not taken from a llama.cpp tier.", nameof(snapshot));
        // llama.cpp answers 0 bytes read when it finds no contiguous run of free cells for the state (it then leaves the
        // sequence empty); the engine computes the prefix instead.
        var read = _context.NativeHandle.SetState(native.Data, native.Size, (LLamaSeqId)sequence);
        return read > 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }
}
