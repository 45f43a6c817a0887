using System.Text;

namespace Momo.Gguf;

/// <summary>
/// Little-endian reads from a GGUF header that know how many bytes the file has left, so that every length read
/// from the file is checked against what the file can hold before anything is allocated for it.
/// </summary>
internal sealed class GgufHeaderReader(Stream stream) : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly BinaryReader _reader = new(stream, Encoding.UTF8, leaveOpen: true);

    // A stream that cannot tell its length (a pipe) is bounded by the absolute caps alone.
    private readonly long _end = stream.CanSeek ? stream.Length : long.MaxValue;

    /// <summary>Current offset in the file.</summary>
    public long Position => stream.Position;

    /// <summary>Bytes between the current position and the end of the file.</summary>
    public long Remaining => _end == long.MaxValue ? long.MaxValue : _end - stream.Position;

    /// <summary>The file's length, or null when the stream cannot tell.</summary>
    public long? FileLength => _end == long.MaxValue ? null : _end;

    public byte U8() => _reader.ReadByte();
    public uint U32() => _reader.ReadUInt32();
    public ulong U64() => _reader.ReadUInt64();
    public sbyte I8() => _reader.ReadSByte();
    public ushort U16() => _reader.ReadUInt16();
    public short I16() => _reader.ReadInt16();
    public int I32() => _reader.ReadInt32();
    public long I64() => _reader.ReadInt64();
    public float F32() => _reader.ReadSingle();
    public double F64() => _reader.ReadDouble();

    /// <summary>A count of items each at least <paramref name="minItemBytes"/> long: refused when the rest of the
    /// file cannot hold that many, or when it passes <paramref name="cap"/>.</summary>
    public long Count(string what, long minItemBytes, long cap)
    {
        var n = U64();
        if (n > (ulong)cap)
        {
            throw new GgufException($"{what} {n} is implausibly large (corrupt file?)");
        }
        if ((long)n > Remaining / minItemBytes)
        {
            throw new GgufException($"{what} {n} needs at least {(decimal)n * minItemBytes} bytes but the file has {Remaining} left (truncated or corrupt?)");
        }
        return (long)n;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    /// <summary>A GGUF string (u64 length, UTF-8 bytes), checked against the file and <paramref name="cap"/> first.</summary>
    public string String(string what, long cap)
    {
        const int StackLimit = 256;
        var n = Count($"{what} length", 1, cap);
        if (n == 0)
        {
            return "";
        }
        // Short strings (nearly all keys and tokens) are decoded from the stack: only the string itself is allocated.
        var bytes = n <= StackLimit ? stackalloc byte[StackLimit] : new byte[n];
        bytes = bytes[..(int)n];
        _reader.BaseStream.ReadExactly(bytes);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new GgufException($"{what} is not valid UTF-8", e);
        }
    }
}
