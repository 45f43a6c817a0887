namespace Momo.Gguf;

/// <summary>One tensor's header entry. <paramref name="Dimensions"/> are in ggml order: ne0 is the contiguous
/// (row) length, so a matrix with ne = [in, out] is stored as <c>out</c> rows of <c>in</c> values.
/// <paramref name="Offset"/> is relative to the start of the data section.</summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgmlType Type, long Offset)
{
    /// <summary>Number of elements (product of the dimensions).</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (a, d) => checked(a * d));

    /// <summary>Size of the data in bytes, or null for a type whose block size this library does not know.</summary>
    public long? ByteSize => TensorCodec.ByteSize(Type, ElementCount);
}
