using System.Text;

namespace Momo.Gguf;

/// <summary>A parsed GGUF header: metadata and tensor infos, without tensor data.
/// <paramref name="DataOffset"/> is the absolute file offset of the (aligned) data section.</summary>
public sealed record GgufFile(uint Version, GgufMetadata Metadata, IReadOnlyList<GgufTensorInfo> Tensors, long Alignment, long DataOffset)
{
    /// <summary>The tensor with this name; throws naming it when absent.</summary>
    public GgufTensorInfo Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new GgufException($"tensor '{name}' is not in the file");
}

/// <summary>Reads GGUF v2/v3 headers without loading tensor data, so a multi-gigabyte model can be validated
/// cheaply before llama.cpp (which aborts the process on some malformed files) ever sees it.</summary>
public static class GgufReader
{
    // Guards against absurd lengths in corrupt files before we allocate for them.
    private const long MaxStringBytes = 1L << 26;
    private const long MaxArrayLength = 1L << 28;
    private const long MaxCount = 1L << 24;

    /// <summary>Reads the header of the file at <paramref name="path"/>.</summary>
    public static GgufFile ReadFile(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Read(fs);
        }
        catch (GgufException e)
        {
            throw new GgufException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads the header from the current position of <paramref name="stream"/> (expected at the file start).
    /// When the stream is seekable, tensor extents are checked against its length.</summary>
    public static GgufFile Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            return ReadHeader(r, stream);
        }
        catch (EndOfStreamException e)
        {
            throw new GgufException("file ends inside the GGUF header (truncated?)", e);
        }
    }

    private static GgufFile ReadHeader(BinaryReader r, Stream stream)
    {
        if (!r.ReadBytes(4).AsSpan().SequenceEqual("GGUF"u8))
        {
            throw new GgufException("not a GGUF file (bad magic)");
        }

        var version = r.ReadUInt32();
        if (version is not (2 or 3))
        {
            throw new GgufException($"unsupported GGUF version {version} (2 and 3 are supported)");
        }

        var tensorCount = Count(r.ReadUInt64(), "tensor count");
        var kvCount = Count(r.ReadUInt64(), "metadata count");
        var metadata = new GgufMetadata();
        for (long i = 0; i < kvCount; i++)
        {
            var key = ReadString(r, "metadata key");
            if (metadata.Contains(key))
            {
                throw new GgufException($"metadata key '{key}' appears twice");
            }

            metadata.Set(key, ReadValue(r, (GgufValueType)r.ReadUInt32(), key));
        }
        long alignment = metadata.Contains(GgufKeys.Alignment) ? metadata.GetUInt32(GgufKeys.Alignment) : GgufWriter.DefaultAlignment;
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new GgufException($"general.alignment {alignment} is not a power of two");
        }

        var tensors = new List<GgufTensorInfo>((int)tensorCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < tensorCount; i++)
        {
            var name = ReadString(r, "tensor name");
            if (!names.Add(name))
            {
                throw new GgufException($"tensor '{name}' appears twice");
            }

            var nDims = r.ReadUInt32();
            if (nDims is < 1 or > 4)
            {
                throw new GgufException($"tensor '{name}' has {nDims} dimensions (1..4 allowed)");
            }

            var dims = new long[nDims];
            for (var d = 0; d < nDims; d++)
            {
                dims[d] = Count(r.ReadUInt64(), $"tensor '{name}' dimension", long.MaxValue / 2);
            }

            var info = new GgufTensorInfo(name, dims, (GgmlType)r.ReadUInt32(), Count(r.ReadUInt64(), $"tensor '{name}' offset", long.MaxValue / 2));
            if (info.Offset % alignment != 0)
            {
                throw new GgufException($"tensor '{name}' offset {info.Offset} is not aligned to {alignment}");
            }

            tensors.Add(info);
        }
        var dataOffset = (stream.Position + alignment - 1) / alignment * alignment;
        if (stream.CanSeek)
        {
            CheckExtents(tensors, dataOffset, stream.Length);
        }

        return new GgufFile(version, metadata, tensors, alignment, dataOffset);
    }

    private static void CheckExtents(List<GgufTensorInfo> tensors, long dataOffset, long fileLength)
    {
        foreach (var t in tensors)
        {
            if (TensorCodec.BlockElements(t.Type) is int block && t.Dimensions[0] % block != 0)
            {
                throw new GgufException($"tensor '{t.Name}' ne0 = {t.Dimensions[0]} is not a multiple of the {t.Type} block size {block}");
            }

            if (t.ByteSize is long size && dataOffset + t.Offset + size > fileLength)
            {
                throw new GgufException($"tensor '{t.Name}' ends at byte {dataOffset + t.Offset + size} but the file has {fileLength} bytes (truncated?)");
            }
        }
    }

    /// <summary>Reads one tensor's data as floats (F32, F16, or Q8_0 dequantised) from a seekable stream.</summary>
    public static float[] ReadTensor(Stream stream, GgufFile file, string name)
    {
        var t = file.Tensor(name);
        if (!TensorCodec.CanCode(t.Type))
        {
            throw new GgufException($"tensor '{name}' has type {t.Type}, which cannot be decoded");
        }

        var bytes = new byte[t.ByteSize!.Value];
        stream.Seek(file.DataOffset + t.Offset, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        return TensorCodec.Decode(t.Type, bytes, checked((int)t.ElementCount));
    }

    /// <summary>Reads one tensor's data from the file at <paramref name="path"/>.</summary>
    public static float[] ReadTensor(string path, GgufFile file, string name)
    {
        using var fs = File.OpenRead(path);
        return ReadTensor(fs, file, name);
    }

    private static long Count(ulong v, string what, long max = MaxCount) =>
        v <= (ulong)max ? (long)v : throw new GgufException($"{what} {v} is implausibly large (corrupt file?)");

    private static string ReadString(BinaryReader r, string what)
    {
        var n = Count(r.ReadUInt64(), $"{what} length", MaxStringBytes);
        var bytes = r.ReadBytes((int)n);
        if (bytes.Length != n)
        {
            throw new EndOfStreamException();
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new GgufException($"{what} is not valid UTF-8", e);
        }
    }

    private static object ReadValue(BinaryReader r, GgufValueType type, string key)
    {
        if (type != GgufValueType.Array)
        {
            return ReadScalar(r, type, key);
        }

        var elem = (GgufValueType)r.ReadUInt32();
        var n = Count(r.ReadUInt64(), $"metadata key '{key}' array length", MaxArrayLength);
        Array array = elem switch
        {
            GgufValueType.UInt8 => new byte[n], GgufValueType.Int8 => new sbyte[n],
            GgufValueType.UInt16 => new ushort[n], GgufValueType.Int16 => new short[n],
            GgufValueType.UInt32 => new uint[n], GgufValueType.Int32 => new int[n],
            GgufValueType.Float32 => new float[n], GgufValueType.Bool => new bool[n],
            GgufValueType.String => new string[n], GgufValueType.UInt64 => new ulong[n],
            GgufValueType.Int64 => new long[n], GgufValueType.Float64 => new double[n],
            _ => throw new GgufException($"metadata key '{key}' is an array of unsupported type {elem}"),
        };
        for (long i = 0; i < n; i++)
        {
            array.SetValue(ReadScalar(r, elem, key), i);
        }

        return array;
    }

    private static object ReadScalar(BinaryReader r, GgufValueType type, string key) => type switch
    {
        GgufValueType.UInt8 => r.ReadByte(), GgufValueType.Int8 => r.ReadSByte(),
        GgufValueType.UInt16 => r.ReadUInt16(), GgufValueType.Int16 => r.ReadInt16(),
        GgufValueType.UInt32 => r.ReadUInt32(), GgufValueType.Int32 => r.ReadInt32(),
        GgufValueType.Float32 => r.ReadSingle(), GgufValueType.Bool => r.ReadByte() != 0,
        GgufValueType.String => ReadString(r, $"metadata key '{key}' string"),
        GgufValueType.UInt64 => r.ReadUInt64(), GgufValueType.Int64 => r.ReadInt64(),
        GgufValueType.Float64 => r.ReadDouble(),
        _ => throw new GgufException($"metadata key '{key}' has unknown value type {(uint)type}"),
    };
}
