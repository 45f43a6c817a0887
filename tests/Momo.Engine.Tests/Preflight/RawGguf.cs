using System.Text;
using Momo.Gguf;

namespace Momo.Engine.Tests.Preflight;

/// <summary>One tensor entry of a hand-built header; <paramref name="Offset"/> null = laid out after the previous one.</summary>
internal sealed record RawTensor(string Name, long[] Dims, GgmlType Type = GgmlType.F32, long? Offset = null);

/// <summary>
/// A GGUF file written without any validation (unlike <see cref="GgufWriter"/>), so tests can build exactly the
/// malformed headers they need. Tensor data is zeros.
/// </summary>
internal sealed class RawGguf
{
    public const int Alignment = 32;

    public uint Version { get; set; } = 3;
    public List<(string Key, object Value)> Metadata { get; } = [];
    public List<RawTensor> Tensors { get; } = [];

    public RawGguf Set(string key, object value)
    {
        var i = Metadata.FindIndex(kv => kv.Key == key);
        if (i >= 0)
        {
            Metadata[i] = (key, value);
        }
        else
        {
            Metadata.Add((key, value));
        }
        return this;
    }

    public RawGguf Remove(string key)
    {
        Metadata.RemoveAll(kv => kv.Key == key);
        return this;
    }

    public RawGguf Tensor(string name, long[] dims)
    {
        var i = Tensors.FindIndex(t => t.Name == name);
        Tensors[i] = Tensors[i] with { Dims = dims };
        return this;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write("GGUF"u8);
        w.Write(Version);
        w.Write((ulong)Tensors.Count);
        w.Write((ulong)Metadata.Count);
        foreach (var (key, value) in Metadata)
        {
            WriteString(w, key);
            var type = GgufMetadata.TypeOf(value, key);
            w.Write((uint)type);
            if (value is Array array)
            {
                var element = GgufMetadata.ScalarTypeOf(array.GetType().GetElementType()!, key);
                w.Write((uint)element);
                w.Write((ulong)array.Length);
                foreach (var item in array)
                {
                    WriteScalar(w, item!);
                }
            }
            else
            {
                WriteScalar(w, value);
            }
        }
        long next = 0;
        long end = 0;
        foreach (var t in Tensors)
        {
            WriteString(w, t.Name);
            w.Write((uint)t.Dims.Length);
            foreach (var d in t.Dims)
            {
                w.Write((ulong)d);
            }
            w.Write((uint)t.Type);
            var offset = t.Offset ?? next;
            w.Write((ulong)offset);
            var size = t.Dims.Aggregate(1L, (a, d) => a * d) * 4;
            next = Align(offset + size);
            end = Math.Max(end, next);
        }
        var header = stream.Position;
        w.Write(new byte[Align(header) - header + end]);
        w.Flush();
        return stream.ToArray();
    }

    private static long Align(long x) => (x + Alignment - 1) / Alignment * Alignment;

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteScalar(BinaryWriter w, object value)
    {
        switch (value)
        {
            case byte v: w.Write(v); break;
            case sbyte v: w.Write(v); break;
            case ushort v: w.Write(v); break;
            case short v: w.Write(v); break;
            case uint v: w.Write(v); break;
            case int v: w.Write(v); break;
            case float v: w.Write(v); break;
            case bool v: w.Write((byte)(v ? 1 : 0)); break;
            case string v: WriteString(w, v); break;
            case ulong v: w.Write(v); break;
            case long v: w.Write(v); break;
            case double v: w.Write(v); break;
            default: throw new ArgumentException($"no GGUF encoding for {value.GetType()}");
        }
    }
}
