using Momo.Engine.Runtime;

namespace Momo.Testing;

/// <summary>A tier whose decodes first pass a <see cref="DecodeGate"/>; everything else goes straight to the tier it wraps.</summary>
internal sealed class GatedTierModel(ITierModel inner, DecodeGate gate) : ITierModel
{
    public string Name => inner.Name;

    public int VocabularySize => inner.VocabularySize;

    public int KvCapacity => inner.KvCapacity;

    public int MaxBatchTokens => inner.MaxBatchTokens;

    public void Decode(DecodeBatch batch)
    {
        var wantsLogits = false;
        foreach (var entry in batch.Entries)
        {
            wantsLogits |= entry.WantLogits;
        }
        gate.Enter(wantsLogits);
        inner.Decode(batch);
    }

    public ReadOnlySpan<float> Logits(int handle) => inner.Logits(handle);

    public void Truncate(int sequence, int length) => inner.Truncate(sequence, length);

    public void CopyPrefix(int source, int destination, int length) => inner.CopyPrefix(source, destination, length);

    public KvSnapshot SaveSequence(int sequence) => inner.SaveSequence(sequence);

    public bool RestoreSequence(int sequence, KvSnapshot snapshot) => inner.RestoreSequence(sequence, snapshot);

    // The gate wraps a tier it does not own: whoever loaded the tier disposes it.
    public void Dispose()
    {
    }
}
