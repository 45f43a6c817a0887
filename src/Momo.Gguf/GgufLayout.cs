namespace Momo.Gguf;

/// <summary>Checks of tensor shapes and of where tensor data lies, done with the header alone.</summary>
internal static class GgufLayout
{
    /// <summary>GGML_MAX_DIMS.</summary>
    public const int MaxDimensions = 4;

    /// <summary>The element count fits in 63 bits, and ne0 is a whole number of the type's blocks.</summary>
    public static void CheckShape(string name, long[] dims, GgmlType type)
    {
        Int128 elements = 1;
        foreach (var d in dims)
        {
            elements *= d;
            if (elements > long.MaxValue / 8)
            {
                throw new GgufException($"tensor '{name}' has [{string.Join(", ", dims)}] elements, which overflows");
            }
        }
        var block = TensorCodec.BlockElements(type)!.Value;
        if (dims[0] % block != 0)
        {
            throw new GgufException($"tensor '{name}' ne0 = {dims[0]} is not a multiple of the {type} block size {block}");
        }
    }

    /// <summary>Every tensor's data lies inside the file, after the header, and no two tensors overlap.</summary>
    public static void CheckExtents(List<GgufTensorInfo> tensors, long dataOffset, long fileLength)
    {
        if (tensors.Count > 0 && dataOffset > fileLength)
        {
            throw new GgufException($"the data section would start at byte {dataOffset} but the file has {fileLength} bytes (truncated?)");
        }
        var previousEnd = (Int128)0;
        string? previous = null;
        foreach (var t in tensors.OrderBy(t => t.Offset))
        {
            var size = (Int128)(t.ByteSize ?? throw new GgufException($"tensor '{t.Name}' has type {t.Type}, whose size is unknown"));
            var start = (Int128)dataOffset + t.Offset;
            if (start < (Int128)dataOffset + previousEnd)
            {
                throw new GgufException($"tensor '{t.Name}' at offset {t.Offset} overlaps tensor '{previous}'");
            }
            if (start + size > fileLength)
            {
                throw new GgufException($"tensor '{t.Name}' ends at byte {start + size} but the file has {fileLength} bytes (truncated?)");
            }
            previousEnd = t.Offset + size;
            previous = t.Name;
        }
    }
}
