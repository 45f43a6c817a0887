using System.Text;

namespace Momo.Gguf;

/// <summary>Writes GGUF v3 files (little-endian, u64 counts). Everything is validated before the first byte is
/// written, because llama.cpp aborts the whole process (GGML_ASSERT) on some invalid files, e.g. duplicate tokens.</summary>
public sealed class GgufWriter
{
    /// <summary>Default tensor data alignment when <c>general.alignment</c> is absent.</summary>
    public const int DefaultAlignment = 32;
    private const int MaxTensorName = 63; // GGML_MAX_NAME is 64 including the terminator

    private readonly List<(string Name, long[] Dims, GgmlType Type, float[] Data)> _tensors = [];

    /// <summary>Metadata to write, in order.</summary>
    public GgufMetadata Metadata { get; } = new();

    /// <summary>Adds a tensor. <paramref name="dims"/> are in ggml order (ne0 contiguous); <paramref name="data"/>
    /// is row-major in that order and is encoded to <paramref name="type"/> when written.</summary>
    public GgufWriter AddTensor(string name, GgmlType type, long[] dims, float[] data)
    {
        _tensors.Add((name, dims, type, data));
        return this;
    }

    /// <summary>Checks the metadata and tensors; throws a <see cref="GgufException"/> listing every problem.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Metadata.Contains(GgufKeys.Alignment))
        {
            var a = Metadata.GetUInt32(GgufKeys.Alignment);
            if (a == 0 || (a & (a - 1)) != 0)
            {
                problems.Add($"general.alignment must be a power of two, got {a}");
            }
        }
        if (Metadata.Contains(GgufKeys.Tokens))
        {
            problems.AddRange(VocabularyValidator.Validate(GgufVocabulary.FromMetadata(Metadata)));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, dims, type, data) in _tensors)
        {
            if (!names.Add(name))
            {
                problems.Add($"duplicate tensor name '{name}'");
            }

            if (string.IsNullOrEmpty(name) || Encoding.UTF8.GetByteCount(name) > MaxTensorName)
            {
                problems.Add($"tensor name '{name}' must have 1..{MaxTensorName} bytes");
            }

            if (dims.Length is < 1 or > 4 || dims.Any(d => d <= 0))
            {
                problems.Add($"tensor '{name}' must have 1..4 positive dimensions, got [{string.Join(", ", dims)}]");
                continue;
            }
            var count = dims.Aggregate(1L, (x, d) => checked(x * d));
            if (count != data.Length)
            {
                problems.Add($"tensor '{name}' dims [{string.Join(", ", dims)}] hold {count} elements but data has {data.Length}");
            }

            if (!TensorCodec.CanCode(type))
            {
                problems.Add($"tensor '{name}' has type {type}; only F32, F16 and Q8_0 can be written");
            }

            if (type == GgmlType.Q8_0 && dims[0] % TensorCodec.Q8BlockSize != 0)
            {
                problems.Add($"tensor '{name}' is Q8_0 but ne0 = {dims[0]} is not a multiple of {TensorCodec.Q8BlockSize}");
            }
        }
        if (problems.Count > 0)
        {
            throw new GgufException("refusing to write an invalid GGUF file:\n  " + string.Join("\n  ", problems));
        }
    }

    /// <summary>Validates, then writes the whole file to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        Validate();
        long alignment = Metadata.Contains(GgufKeys.Alignment) ? Metadata.GetUInt32(GgufKeys.Alignment) : DefaultAlignment;
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)Metadata.Count);
        foreach (var key in Metadata.Keys)
        {
            WriteString(w, key);
            WriteValue(w, Metadata.Get(key)!, key);
        }
        long offset = 0;
        foreach (var (name, dims, type, data) in _tensors)
        {
            WriteString(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims)
            {
                w.Write((ulong)d);
            }

            w.Write((uint)type);
            w.Write((ulong)offset);
            offset = Align(offset + TensorCodec.ByteSize(type, data.Length)!.Value, alignment);
        }
        var headerEnd = w.BaseStream.Position; // a Stream that cannot tell its position is not supported
        Pad(w, Align(headerEnd, alignment) - headerEnd);
        foreach (var (_, _, type, data) in _tensors)
        {
            var bytes = TensorCodec.Encode(type, data);
            w.Write(bytes);
            Pad(w, Align(bytes.Length, alignment) - bytes.Length);
        }
    }

    /// <summary>Validates, writes to a temporary file beside <paramref name="path"/>, then renames it into place,
    /// so a crash never leaves a half-written model where a loader would find it.</summary>
    public void WriteFile(string path)
    {
        Validate();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                WriteTo(fs);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static long Align(long x, long a) => (x + a - 1) / a * a;

    private static void Pad(BinaryWriter w, long n)
    {
        for (long i = 0; i < n; i++)
        {
            w.Write((byte)0);
        }
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, object value, string key)
    {
        var type = GgufMetadata.TypeOf(value, key);
        w.Write((uint)type);
        if (type != GgufValueType.Array)
        {
            WriteScalar(w, value);
            return;
        }
        var array = (Array)value;
        w.Write((uint)GgufMetadata.ScalarTypeOf(array.GetType().GetElementType()!, key));
        w.Write((ulong)array.Length);
        foreach (var item in array)
        {
            WriteScalar(w, item!);
        }
    }

    private static void WriteScalar(BinaryWriter w, object v)
    {
        switch (v)
        {
            case byte x: w.Write(x); break;
            case sbyte x: w.Write(x); break;
            case ushort x: w.Write(x); break;
            case short x: w.Write(x); break;
            case uint x: w.Write(x); break;
            case int x: w.Write(x); break;
            case float x: w.Write(x); break;
            case bool x: w.Write((byte)(x ? 1 : 0)); break;
            case string x: WriteString(w, x); break;
            case ulong x: w.Write(x); break;
            case long x: w.Write(x); break;
            case double x: w.Write(x); break;
            default: throw new GgufException($"unsupported metadata value {v.GetType().Name}");
        }
    }
}
