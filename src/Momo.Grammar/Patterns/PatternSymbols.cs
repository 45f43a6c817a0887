namespace Momo.Grammar.Patterns;

/// <summary>
/// The alphabet patterns are compiled over: the ASCII characters, and three classes of non-ASCII characters that
/// ECMAScript's <c>\s</c>, <c>\S</c> and <c>.</c> tell apart: the line separators U+2028 and U+2029 (white space that
/// <c>.</c> does not match), the other white space (U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F, U+3000, U+FEFF),
/// and every other character. In UTF-8 a character's class is known only once enough of its bytes are read, so the
/// lead bytes that can start white space open a pending node (1 to 15) that later bytes resolve.
/// </summary>
internal static class PatternSymbols
{
    /// <summary>Number of symbols: 0..127 are ASCII characters, then the three non-ASCII classes.</summary>
    public const int Count = 131;

    /// <summary>Any non-ASCII character that is not white space.</summary>
    public const int Other = 128;

    /// <summary>Non-ASCII white space other than the line separators.</summary>
    public const int Space = 129;

    /// <summary>U+2028 and U+2029: white space and line terminators.</summary>
    public const int LineSeparator = 130;

    private static readonly int[] WhiteSpace = [0xA0, 0x1680, .. Enumerable.Range(0x2000, 11), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF];

    // Pending nodes are the proper prefixes of the white space characters' UTF-8 forms; node i + 1 is Prefixes[i].
    private static readonly Dictionary<long, int> Nodes = [];
    private static readonly List<long> Prefixes = [];
    private static readonly List<int[]> Reachable = [];
    private static readonly Dictionary<long, int> Complete = [];

    static PatternSymbols()
    {
        foreach (var codePoint in WhiteSpace)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(char.ConvertFromUtf32(codePoint));
            long key = 0;
            for (var i = 0; i < bytes.Length - 1; i++)
            {
                key = Extend(key, bytes[i]);
                if (!Nodes.ContainsKey(key))
                {
                    Prefixes.Add(key);
                    Nodes[key] = Prefixes.Count;
                }
            }
            Complete[Extend(key, bytes[^1])] = Of(codePoint);
        }
        // Every prefix also starts characters that are not white space (each has far more continuations than spaces).
        Reachable.AddRange(Prefixes.Select(prefix =>
            Complete.Where(c => IsPrefix(prefix, c.Key)).Select(c => c.Value).Append(Other).Distinct().ToArray()));
    }

    /// <summary>The symbol of one character.</summary>
    public static int Of(int codePoint) => codePoint switch
    {
        < 0x80 => codePoint,
        0x2028 or 0x2029 => LineSeparator,
        0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A) or 0x202F or 0x205F or 0x3000 or 0xFEFF => Space,
        _ => Other,
    };

    /// <summary>A character's first byte (0x80 or above): its symbol, or a pending node when later bytes decide it.</summary>
    public static (int Node, int Symbol) Lead(byte value) => Resolve(Extend(0, value));

    /// <summary>A continuation byte after pending node <paramref name="node"/>: its symbol, or the next pending node.</summary>
    public static (int Node, int Symbol) Continue(int node, byte value) => Resolve(Extend(Prefixes[node - 1], value));

    /// <summary>The symbols a character that reached pending node <paramref name="node"/> can still turn out to be.</summary>
    public static int[] ReachableFrom(int node) => Reachable[node - 1];

    private static (int Node, int Symbol) Resolve(long key) =>
        Nodes.TryGetValue(key, out var node) ? (node, -1) : (0, Complete.TryGetValue(key, out var symbol) ? symbol : Other);

    // A byte prefix as a number: one byte per 8 bits, with its length in the low bits so 0x00 bytes stay distinct.
    private static long Extend(long key, byte value) => ((((key >> 4) << 8) | value) << 4) | ((key & 0xF) + 1);

    private static bool IsPrefix(long prefix, long key)
    {
        var shorter = (key & 0xF) - (prefix & 0xF);
        return shorter > 0 && (key >> 4) >> (int)(8 * shorter) == prefix >> 4;
    }
}
