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
/// cheaply before llama.cpp (which aborts the process on some malformed files) ever sees it. Every length, count,
/// type and offset is checked against the file's size before it is used, so a corrupt file costs at most a small
/// multiple of its own size in memory and ends in a <see cref="GgufException"/>.</summary>
public static class GgufReader
{
    // Absolute caps, beyond the file-size checks (which bound everything when the length is known).
    private const long MaxStringBytes = 1L << 26;
    private const long MaxArrayLength = 1L << 28;
    private const long MaxCount = 1L << 24;
    private const int MaxTensorNameBytes = 63; // GGML_MAX_NAME is 64 including the terminator
    private const long MinMetadataEntryBytes = 8 + 1 + 4 + 1; // key length, one key byte, type, one value byte
    private const long MinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8; // name length, one byte, n_dims, one dim, type, offset

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
    /// When the stream is seekable, every length and tensor extent is checked against its length.</summary>
    public static GgufFile Read(Stream stream)
    {
        using var r = new GgufHeaderReader(stream);
        try
        {
            return ReadHeader(r);
        }
        catch (EndOfStreamException e)
        {
            throw new GgufException($"file ends inside the GGUF header at byte {stream.Position} (truncated?)", e);
        }
    }

    private static GgufFile ReadHeader(GgufHeaderReader r)
    {
        Span<byte> magic = stackalloc byte[4];
        for (var i = 0; i < magic.Length; i++)
        {
            magic[i] = r.U8();
        }
        if (!magic.SequenceEqual("GGUF"u8))
        {
            throw new GgufException("not a GGUF file (bad magic)");
        }

        var version = r.U32();
        if (version is not (2 or 3))
        {
            throw new GgufException($"unsupported GGUF version {version} (2 and 3 are supported)");
        }

        var tensorCount = r.Count("tensor count", MinTensorInfoBytes, MaxCount);
        var kvCount = r.Count("metadata count", MinMetadataEntryBytes, MaxCount);
        var metadata = new GgufMetadata();
        for (long i = 0; i < kvCount; i++)
        {
            var key = r.String("metadata key", MaxStringBytes);
            if (key.Length == 0)
            {
                throw new GgufException($"metadata entry {i} has an empty key");
            }
            if (metadata.Contains(key))
            {
                throw new GgufException($"metadata key '{key}' appears twice");
            }

            metadata.Set(key, ReadValue(r, (GgufValueType)r.U32(), key));
        }
        long alignment = metadata.Contains(GgufKeys.Alignment) ? metadata.GetUInt32(GgufKeys.Alignment) : GgufWriter.DefaultAlignment;
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new GgufException($"general.alignment {alignment} is not a power of two");
        }

        var tensors = new List<GgufTensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < tensorCount; i++)
        {
            var info = ReadTensorInfo(r, alignment);
            if (!names.Add(info.Name))
            {
                throw new GgufException($"tensor '{info.Name}' appears twice");
            }
            tensors.Add(info);
        }
        var dataOffset = (r.Position + alignment - 1) / alignment * alignment;
        if (r.FileLength is { } length)
        {
            GgufLayout.CheckExtents(tensors, dataOffset, length);
        }

        return new GgufFile(version, metadata, tensors, alignment, dataOffset);
    }

    private static GgufTensorInfo ReadTensorInfo(GgufHeaderReader r, long alignment)
    {
        var name = r.String("tensor name", MaxStringBytes);
        if (name.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(name) > MaxTensorNameBytes)
        {
            throw new GgufException($"tensor name '{name}' must have 1..{MaxTensorNameBytes} bytes");
        }

        var nDims = r.U32();
        if (nDims is < 1 or > GgufLayout.MaxDimensions)
        {
            throw new GgufException($"tensor '{name}' has {nDims} dimensions (1..{GgufLayout.MaxDimensions} allowed)");
        }

        var dims = new long[nDims];
        for (var d = 0; d < nDims; d++)
        {
            var value = r.U64();
            dims[d] = value is >= 1 and <= long.MaxValue / 2
                ? (long)value
                : throw new GgufException($"tensor '{name}' dimension {d} is {value} (must be at least 1 and plausible)");
        }
        var typeCode = r.U32();
        var type = (GgmlType)typeCode;
        if (!Enum.IsDefined(type) || TensorCodec.BlockElements(type) is null)
        {
            throw new GgufException($"tensor '{name}' has unknown ggml type {typeCode}");
        }
        var offset = r.U64();
        if (offset > long.MaxValue / 2)
        {
            throw new GgufException($"tensor '{name}' offset {offset} is implausibly large (corrupt file?)");
        }
        if ((long)offset % alignment != 0)
        {
            throw new GgufException($"tensor '{name}' offset {offset} is not aligned to {alignment}");
        }
        GgufLayout.CheckShape(name, dims, type);
        return new GgufTensorInfo(name, dims, type, (long)offset);
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

    private static object ReadValue(GgufHeaderReader r, GgufValueType type, string key)
    {
        if (type != GgufValueType.Array)
        {
            return ReadScalar(r, type, key);
        }

        var elem = (GgufValueType)r.U32();
        if (elem == GgufValueType.Array || !Enum.IsDefined(elem))
        {
            throw new GgufException($"metadata key '{key}' is an array of unsupported type {(uint)elem}");
        }
        // Checked against the bytes left before the array is allocated: a corrupt length cannot ask for gigabytes.
        var n = r.Count($"metadata key '{key}' array length", MinBytes(elem), MaxArrayLength);
        // Typed fills: no boxing, so memory stays proportional to the bytes read.
        return elem switch
        {
            GgufValueType.UInt8 => Fill(new byte[n], r.U8), GgufValueType.Int8 => Fill(new sbyte[n], r.I8),
            GgufValueType.UInt16 => Fill(new ushort[n], r.U16), GgufValueType.Int16 => Fill(new short[n], r.I16),
            GgufValueType.UInt32 => Fill(new uint[n], r.U32), GgufValueType.Int32 => Fill(new int[n], r.I32),
            GgufValueType.Float32 => Fill(new float[n], r.F32), GgufValueType.Bool => Fill(new bool[n], () => ReadBool(r, key)),
            GgufValueType.String => Fill(new string[n], () => r.String($"metadata key '{key}' string", MaxStringBytes)),
            GgufValueType.UInt64 => Fill(new ulong[n], r.U64), GgufValueType.Int64 => Fill(new long[n], r.I64),
            _ => Fill(new double[n], r.F64),
        };
    }

    private static T[] Fill<T>(T[] array, Func<T> read)
    {
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = read();
        }
        return array;
    }

    /// <summary>Bytes one value of <paramref name="type"/> takes at least (a string: its u64 length).</summary>
    private static long MinBytes(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        _ => 8,
    };

    private static object ReadScalar(GgufHeaderReader r, GgufValueType type, string key) => type switch
    {
        GgufValueType.UInt8 => r.U8(), GgufValueType.Int8 => r.I8(),
        GgufValueType.UInt16 => r.U16(), GgufValueType.Int16 => r.I16(),
        GgufValueType.UInt32 => r.U32(), GgufValueType.Int32 => r.I32(),
        GgufValueType.Float32 => r.F32(), GgufValueType.Bool => ReadBool(r, key),
        GgufValueType.String => r.String($"metadata key '{key}' string", MaxStringBytes),
        GgufValueType.UInt64 => r.U64(), GgufValueType.Int64 => r.I64(),
        GgufValueType.Float64 => r.F64(),
        _ => throw new GgufException($"metadata key '{key}' has unknown value type {(uint)type}"),
    };

    private static bool ReadBool(GgufHeaderReader r, string key) => r.U8() switch
    {
        0 => false,
        1 => true,
        var other => throw new GgufException($"metadata key '{key}' holds {other} where a bool (0 or 1) belongs"),
    };
}
