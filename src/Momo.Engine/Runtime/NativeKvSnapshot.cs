using System.Runtime.InteropServices;

namespace Momo.Engine.Runtime;

/// <summary>
/// A snapshot in unmanaged memory: one tier's KV of a long prompt can pass the 2 GiB a managed array may hold
/// (20,000 tokens of an 8B model's f16 KV take 2.6 GB), and it keeps the garbage collector's heaps small.
/// </summary>
internal sealed unsafe class NativeKvSnapshot : KvSnapshot
{
    private byte* _data;

    public NativeKvSnapshot(nuint size)
    {
        Size = size;
        _data = (byte*)NativeMemory.Alloc(Math.Max(size, 1));
    }

    ~NativeKvSnapshot() => Dispose(false);

    /// <summary>Bytes the native state takes.</summary>
    public nuint Size { get; private set; }

    /// <inheritdoc />
    public override long Bytes => (long)Size;

    /// <summary>The snapshot's memory (valid until disposed).</summary>
    public byte* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(NativeKvSnapshot));

    /// <summary>Keeps only the first <paramref name="size"/> bytes as the state (what llama.cpp actually wrote).</summary>
    public void Shrink(nuint size) => Size = Math.Min(size, Size);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_data != null)
        {
            NativeMemory.Free(_data);
            _data = null;
        }
        base.Dispose(disposing);
    }
}
