using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Unicode;
using Momo.Grammar.Matching;

namespace Momo.Grammar.Masks;

/// <summary>
/// What masking needs of a vocabulary, built once per engine and shared by every request: each token's bytes, the
/// end-of-generation tokens, a byte trie of all tokens, and the fast paths. Inside a JSON string almost every token is
/// plain text (complete UTF-8 characters, no quote, backslash or control byte) that only lengthens the string: those
/// are allowed wholesale by length (<see cref="PlainUpTo"/>), or for a string with a pattern by a walk of the pattern's
/// automaton alone over <see cref="Plain"/>; only the rest walk a trie with the grammar. In a lazy grammar's free text,
/// a token without any trigger's last byte cannot complete a trigger: allowed wholesale too.
/// </summary>
public sealed class GrammarVocabulary
{
    private readonly byte[][] _pieces;
    private readonly ulong[][] _plainUpTo; // [characters] tokens of plain string text with at most that many characters
    private readonly int[][] _containing;  // [byte] tokens whose bytes include it
    private readonly int[] _endTokens;     // sorted, for IsEnd's binary search
    private readonly ConcurrentDictionary<ByteSet, ulong[]> _without = new();

    /// <summary>Indexes the tokens <c>0 .. size − 1</c>.</summary>
    /// <param name="size">Tokens in the vocabulary.</param>
    /// <param name="piece">The bytes a token adds to generated text (none for a control token).</param>
    /// <param name="isEndOfGeneration">Whether a token ends generation.</param>
    public GrammarVocabulary(int size, Func<int, byte[]> piece, Func<int, bool> isEndOfGeneration)
    {
        Size = size;
        Words = (size + 63) / 64;
        _pieces = new byte[size][];
        var ends = new List<int>();
        var spelled = new List<int>();
        var complex = new List<int>();
        var plain = new List<int>();
        var plainLength = new int[size];
        var containing = Enumerable.Range(0, 256).Select(_ => new List<int>()).ToArray();
        for (var token = 0; token < size; token++)
        {
            _pieces[token] = piece(token);
            if (isEndOfGeneration(token))
            {
                ends.Add(token); // allowed where the grammar may end, whatever its text
                continue;
            }
            if (_pieces[token].Length == 0)
            {
                continue; // control tokens: never allowed under a grammar
            }
            spelled.Add(token);
            plainLength[token] = PlainCharacters(_pieces[token]);
            (plainLength[token] == 0 ? complex : plain).Add(token);
            foreach (var b in _pieces[token].Distinct())
            {
                containing[b].Add(token);
            }
        }
        _endTokens = [.. ends];
        All = new ByteTrie(spelled, t => _pieces[t]);
        Complex = new ByteTrie(complex, t => _pieces[t]);
        Plain = new ByteTrie(plain, t => _pieces[t]);
        _containing = [.. containing.Select(c => c.ToArray())];
        var longest = plainLength.Max();
        _plainUpTo = new ulong[longest + 1][];
        for (var k = 0; k <= longest; k++)
        {
            _plainUpTo[k] = new ulong[Words];
            for (var token = 0; token < size; token++)
            {
                if (plainLength[token] > 0 && plainLength[token] <= k)
                {
                    _plainUpTo[k][token >> 6] |= 1UL << (token & 63);
                }
            }
        }
        Spelled = spelled.Count;
    }

    internal int Size { get; }

    /// <summary>Words of a mask (64 tokens each).</summary>
    internal int Words { get; }

    /// <summary>Tokens with text that do not end generation.</summary>
    internal int Spelled { get; }

    internal IReadOnlyList<int> EndTokens => _endTokens;

    internal ByteTrie All { get; }

    /// <summary>The tokens that are not plain string text.</summary>
    internal ByteTrie Complex { get; }

    /// <summary>The tokens that are plain string text.</summary>
    internal ByteTrie Plain { get; }

    internal ReadOnlySpan<byte> Piece(int token) => _pieces[token];

    internal bool IsEnd(int token) => System.Array.BinarySearch(_endTokens, token) >= 0;

    /// <summary>Plain string tokens of at most <paramref name="characters"/> characters.</summary>
    internal ReadOnlySpan<ulong> PlainUpTo(int characters) => _plainUpTo[Math.Clamp(characters, 0, _plainUpTo.Length - 1)];

    /// <summary>Tokens whose bytes include <paramref name="value"/>.</summary>
    internal ReadOnlySpan<int> Containing(byte value) => _containing[value];

    /// <summary>Spelled tokens none of whose bytes is in <paramref name="bytes"/> (cached per set).</summary>
    internal ReadOnlySpan<ulong> Without(ByteSet bytes) => _without.GetOrAdd(bytes, set =>
    {
        var mask = new ulong[Words];
        for (var token = 0; token < Size; token++)
        {
            var piece = _pieces[token];
            if (piece.Length > 0 && !IsEnd(token) && !piece.AsSpan().ContainsAny(Bytes(set)))
            {
                mask[token >> 6] |= 1UL << (token & 63);
            }
        }
        return mask;
    });

    private static byte[] Bytes(ByteSet set) => [.. Enumerable.Range(0, 256).Where(b => set.Contains((byte)b)).Select(b => (byte)b)];

    /// <summary>Characters in <paramref name="piece"/> when it is plain string text (complete UTF-8, no <c>"</c>, <c>\</c> or control byte), else 0.</summary>
    private static int PlainCharacters(byte[] piece)
    {
        var bytes = piece.AsSpan();
        if (bytes.ContainsAny((byte)'"', (byte)'\\') || bytes.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || !Utf8.IsValid(bytes))
        {
            return 0;
        }
        var count = 0;
        foreach (var b in bytes)
        {
            count += (b & 0xC0) != 0x80 ? 1 : 0; // lead bytes only: code points, as JSON schema counts
        }
        return count;
    }

    /// <summary>Tokens set in <paramref name="mask"/>.</summary>
    internal static int Count(ReadOnlySpan<ulong> mask)
    {
        var count = 0;
        foreach (var word in mask)
        {
            count += BitOperations.PopCount(word);
        }
        return count;
    }
}
