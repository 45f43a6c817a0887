using Momo.Grammar.Matching;

namespace Momo.Grammar.Masks;

/// <summary>One step of a small automaton over packed int states; −1 refuses the byte.</summary>
internal interface IByteStep
{
    int Next(int state, byte value);
}

/// <summary>
/// The tokens' byte strings as a trie in preorder arrays: node 0 is the root, a node's subtree is the contiguous range
/// [node, node + size), its first child is node + 1 and each next sibling follows the previous one's subtree. A walk
/// advances a grammar state once per edge and skips a whole subtree when the grammar refuses its first byte.
/// </summary>
internal sealed class ByteTrie
{
    private readonly byte[] _edge;       // [nodes] byte on the edge into the node
    private readonly int[] _size;        // [nodes] nodes in the subtree, itself included
    private readonly int[] _tokenStart;  // [nodes + 1] the node's tokens are _tokens[_tokenStart[n].._tokenStart[n + 1]]
    private readonly int[] _tokens;

    public ByteTrie(IReadOnlyList<int> tokens, Func<int, byte[]> piece)
    {
        var sorted = tokens.OrderBy(piece, ByteOrder.Instance).ToArray();
        var edges = new List<byte> { 0 };
        var parents = new List<int> { -1 };
        var tokenNodes = new int[sorted.Length];
        var path = new List<int> { 0 };
        var previous = System.Array.Empty<byte>();
        for (var i = 0; i < sorted.Length; i++)
        {
            var bytes = piece(sorted[i]);
            var common = bytes.AsSpan().CommonPrefixLength(previous);
            path.RemoveRange(common + 1, path.Count - common - 1);
            for (var d = common; d < bytes.Length; d++)
            {
                edges.Add(bytes[d]);
                parents.Add(path[^1]);
                path.Add(edges.Count - 1);
            }
            tokenNodes[i] = path[^1];
            previous = bytes;
        }
        _edge = [.. edges];
        _size = new int[_edge.Length];
        for (var n = _edge.Length - 1; n >= 0; n--)
        {
            _size[n]++;
            if (parents[n] >= 0)
            {
                _size[parents[n]] += _size[n];
            }
        }
        // Tokens were added in node order (preorder), so one pass lays them out per node.
        _tokens = sorted;
        _tokenStart = new int[_edge.Length + 1];
        var t = 0;
        for (var n = 0; n < _edge.Length; n++)
        {
            _tokenStart[n] = t;
            while (t < tokenNodes.Length && tokenNodes[t] == n)
            {
                t++;
            }
        }
        _tokenStart[_edge.Length] = t;
    }

    public int Nodes => _edge.Length;

    /// <summary>
    /// Sets in <paramref name="mask"/> every token whose bytes <paramref name="grammar"/> accepts from
    /// <paramref name="state"/> (the root's state); returns how many were set.
    /// </summary>
    public int Walk(CompiledGrammar grammar, MatchState state, Span<ulong> mask) => Walk(grammar, 0, state, mask);

    private int Walk(CompiledGrammar grammar, int node, MatchState state, Span<ulong> mask)
    {
        var count = 0;
        var end = node + _size[node];
        for (var child = node + 1; child < end; child += _size[child])
        {
            if (grammar.Advance(state, _edge[child]) is not { } next)
            {
                continue;
            }
            count += MarkTokensEndingAt(child, mask);
            if (_size[child] > 1)
            {
                count += Walk(grammar, child, next, mask);
            }
        }
        return count;
    }

    /// <summary>
    /// Sets every token reached from the root in <paramref name="state"/> by <paramref name="step"/> (a cheap automaton
    /// over packed int states, −1 = refused) without building grammar states; returns how many were set.
    /// </summary>
    public int Walk<TStep>(int state, TStep step, Span<ulong> mask)
        where TStep : struct, IByteStep => Walk(0, state, step, mask);

    private int Walk<TStep>(int node, int state, TStep step, Span<ulong> mask)
        where TStep : struct, IByteStep
    {
        var count = 0;
        var end = node + _size[node];
        for (var child = node + 1; child < end; child += _size[child])
        {
            var next = step.Next(state, _edge[child]);
            if (next < 0)
            {
                continue;
            }
            count += MarkTokensEndingAt(child, mask);
            if (_size[child] > 1)
            {
                count += Walk(child, next, step, mask);
            }
        }
        return count;
    }

    /// <summary>Sets the tokens whose text ends at <paramref name="node"/>; returns how many.</summary>
    private int MarkTokensEndingAt(int node, Span<ulong> mask)
    {
        for (var i = _tokenStart[node]; i < _tokenStart[node + 1]; i++)
        {
            var token = _tokens[i];
            mask[token >> 6] |= 1UL << (token & 63);
        }
        return _tokenStart[node + 1] - _tokenStart[node];
    }

        private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
