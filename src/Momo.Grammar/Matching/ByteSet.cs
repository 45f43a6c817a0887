namespace Momo.Grammar.Matching;

/// <summary>An immutable set of byte values (256 bits).</summary>
internal readonly record struct ByteSet(ulong W0, ulong W1, ulong W2, ulong W3)
{
    public static ByteSet Of(byte value) => Empty.With(value);

    public static ByteSet Empty => default;

    public bool Contains(byte value) => ((Word(value >> 6) >> (value & 63)) & 1) != 0;

    public ByteSet With(byte value)
    {
        var bit = 1UL << (value & 63);
        return (value >> 6) switch
        {
            0 => this with { W0 = W0 | bit },
            1 => this with { W1 = W1 | bit },
            2 => this with { W2 = W2 | bit },
            _ => this with { W3 = W3 | bit },
        };
    }

    private ulong Word(int index) => index switch
    {
        0 => W0,
        1 => W1,
        2 => W2,
        _ => W3,
    };
}
