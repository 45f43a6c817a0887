namespace Momo.Gguf;

/// <summary>Ordered GGUF metadata. Values are CLR types mapped one to one onto GGUF types: byte, sbyte, ushort,
/// short, uint, int, float, bool, string, ulong, long, double, or a one-dimensional array of one of those
/// (e.g. <c>string[]</c>, <c>float[]</c>, <c>int[]</c>). Typed accessors throw a <see cref="GgufException"/> naming the key.</summary>
public sealed class GgufMetadata
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    /// <summary>Keys in insertion (file) order.</summary>
    public IReadOnlyList<string> Keys => _order;

    /// <summary>Number of entries.</summary>
    public int Count => _order.Count;

    /// <summary>Sets or replaces a value; rejects CLR types that have no GGUF encoding.</summary>
    public GgufMetadata Set(string key, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _ = TypeOf(value, key);
        if (!_values.ContainsKey(key))
        {
            _order.Add(key);
        }

        _values[key] = value;
        return this;
    }

    /// <summary>Whether the key is present.</summary>
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>The raw value, or null when absent.</summary>
    public object? Get(string key) => _values.GetValueOrDefault(key);

    /// <summary>Removes a key if present.</summary>
    public bool Remove(string key) => _values.Remove(key) && _order.Remove(key);

    /// <summary>A required string value.</summary>
    public string GetString(string key) => Require<string>(key);

    /// <summary>A required string array value.</summary>
    public string[] GetStringArray(string key) => Require<string[]>(key);

    /// <summary>A required float32 array value.</summary>
    public float[] GetFloatArray(string key) => Require<float[]>(key);

    /// <summary>A required int32 array value.</summary>
    public int[] GetInt32Array(string key) => Require<int[]>(key);

    /// <summary>A required unsigned integer of any width (uint8..uint64, or a non-negative signed integer).</summary>
    public ulong GetUInt64(string key) => Get(key) switch
    {
        null => throw Missing(key),
        byte v => v, ushort v => v, uint v => v, ulong v => v,
        sbyte v when v >= 0 => (ulong)v, short v when v >= 0 => (ulong)v,
        int v when v >= 0 => (ulong)v, long v when v >= 0 => (ulong)v,
        var v => throw new GgufException($"metadata key '{key}' should be an unsigned integer but is {Describe(v)}"),
    };

    /// <summary>A required unsigned integer that fits in 32 bits.</summary>
    public uint GetUInt32(string key)
    {
        var v = GetUInt64(key);
        return v <= uint.MaxValue ? (uint)v : throw new GgufException($"metadata key '{key}' = {v} does not fit in 32 bits");
    }

    /// <summary>An optional unsigned 32-bit integer: null when absent.</summary>
    public uint? TryGetUInt32(string key) => Contains(key) ? GetUInt32(key) : null;

    private T Require<T>(string key) => Get(key) switch
    {
        null => throw Missing(key),
        T t => t,
        var v => throw new GgufException($"metadata key '{key}' should be {typeof(T).Name} but is {Describe(v)}"),
    };

    private static GgufException Missing(string key) => new($"metadata key '{key}' is missing");

    private static string Describe(object v) => v is Array a ? $"{a.GetType().GetElementType()!.Name}[{a.Length}]" : $"{v.GetType().Name} {v}";

    /// <summary>The GGUF type of a supported CLR value (for arrays: <see cref="GgufValueType.Array"/>).</summary>
    public static GgufValueType TypeOf(object value, string key = "?") => value switch
    {
        Array a when a.Rank == 1 && a.GetType().GetElementType() is { } e && e != typeof(object) && !e.IsArray
            && ScalarTypeOf(e, key) is not GgufValueType.Array => GgufValueType.Array,
        _ => ScalarTypeOf(value.GetType(), key),
    };

    /// <summary>The GGUF scalar type of a CLR type.</summary>
    public static GgufValueType ScalarTypeOf(Type t, string key = "?") =>
        t == typeof(byte) ? GgufValueType.UInt8 : t == typeof(sbyte) ? GgufValueType.Int8
        : t == typeof(ushort) ? GgufValueType.UInt16 : t == typeof(short) ? GgufValueType.Int16
        : t == typeof(uint) ? GgufValueType.UInt32 : t == typeof(int) ? GgufValueType.Int32
        : t == typeof(float) ? GgufValueType.Float32 : t == typeof(bool) ? GgufValueType.Bool
        : t == typeof(string) ? GgufValueType.String : t == typeof(ulong) ? GgufValueType.UInt64
        : t == typeof(long) ? GgufValueType.Int64 : t == typeof(double) ? GgufValueType.Float64
        : throw new GgufException($"metadata key '{key}' has CLR type {t.Name}, which has no GGUF encoding");
}
