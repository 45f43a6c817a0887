namespace Momo.Grammar.Patterns;

/// <summary>A deterministic automaton over pattern symbols (<see cref="PatternSymbols"/>).</summary>
internal sealed class CharDfa
{
    private const int MaxStates = 4096;

    private readonly int[] _next; // [states, Symbols]: next state, −1 = dead
    private readonly bool[] _accepting;

    private CharDfa(int[] next, bool[] accepting, List<int[]> classes)
    {
        _next = next;
        _accepting = accepting;
        Classes = classes;
    }

    /// <summary>Symbols that move the automaton alike, in classes (a handful for most patterns).</summary>
    public IReadOnlyList<int[]> Classes { get; }

    public int States => _accepting.Length;

    /// <summary>The state after <paramref name="symbol"/> from <paramref name="state"/>, −1 when no match can follow.</summary>
    public int Next(int state, int symbol) => _next[(state * PatternSymbols.Count) + symbol];

    public bool IsAccepting(int state) => _accepting[state];

    /// <summary>Subset construction; states from which no accepting state is reachable are dropped (they are dead ends).</summary>
    public static CharDfa FromNfa(RegexSubset.Nfa nfa, int start, int end, string path)
    {
        // NFA state sets are bit sets: patterns like [a-z0-9_-]{0,63} unroll into hundreds of NFA states.
        var ids = new Dictionary<ulong[], int>(BitSetComparer.Instance);
        var sets = new List<ulong[]>();
        var transitions = new List<int[]>();
        var words = (nfa.Epsilons.Count + 63) / 64;
        int Intern(ulong[] set)
        {
            if (!ids.TryGetValue(set, out var id))
            {
                if (sets.Count >= MaxStates)
                {
                    throw new GrammarException($"Pattern needs more than {MaxStates} automaton states.", path);
                }
                id = sets.Count;
                ids[set] = id;
                sets.Add(set);
            }
            return id;
        }
        var first = new ulong[words];
        first[start >> 6] |= 1UL << (start & 63);
        Intern(Closure(nfa, first));
        var classes = SymbolClasses(nfa);
        for (var s = 0; s < sets.Count; s++)
        {
            var row = new int[PatternSymbols.Count];
            foreach (var members in classes)
            {
                var moved = new ulong[words];
                var any = false;
                foreach (var state in Members(sets[s]))
                {
                    foreach (var (set, to) in nfa.Edges[state])
                    {
                        if (set[members[0]])
                        {
                            moved[to >> 6] |= 1UL << (to & 63);
                            any = true;
                        }
                    }
                }
                var next = any ? Intern(Closure(nfa, moved)) : -1;
                foreach (var member in members)
                {
                    row[member] = next;
                }
            }
            transitions.Add(row);
        }
        var accepting = sets.Select(set => (set[end >> 6] & (1UL << (end & 63))) != 0).ToArray();
        return Prune(transitions, accepting, classes, path);
    }

    private static IEnumerable<int> Members(ulong[] set)
    {
        for (var w = 0; w < set.Length; w++)
        {
            for (var bits = set[w]; bits != 0; bits &= bits - 1)
            {
                yield return (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }
        }
    }

    private static ulong[] Closure(RegexSubset.Nfa nfa, ulong[] states)
    {
        var pending = new Stack<int>(Members(states));
        while (pending.Count > 0)
        {
            foreach (var to in nfa.Epsilons[pending.Pop()])
            {
                if ((states[to >> 6] & (1UL << (to & 63))) == 0)
                {
                    states[to >> 6] |= 1UL << (to & 63);
                    pending.Push(to);
                }
            }
        }
        return states;
    }

    private sealed class BitSetComparer : IEqualityComparer<ulong[]>
    {
        public static readonly BitSetComparer Instance = new();

        public bool Equals(ulong[]? x, ulong[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(ulong[] set)
        {
            var hash = new HashCode();
            foreach (var word in set)
            {
                hash.Add(word);
            }
            return hash.ToHashCode();
        }
    }

    /// <summary>
    /// Symbols no edge tells apart (every edge set holds all or none of them) move the automaton alike: the subset
    /// construction steps once per class (a handful) instead of once per symbol (129).
    /// </summary>
    private static List<int[]> SymbolClasses(RegexSubset.Nfa nfa)
    {
        var edgeSets = nfa.Edges.SelectMany(e => e.Select(edge => edge.Set)).Distinct().ToList();
        return [.. Enumerable.Range(0, PatternSymbols.Count)
            .GroupBy(symbol => string.Concat(edgeSets.Select(set => set[symbol] ? '1' : '0')))
            .Select(g => g.ToArray())];
    }

    private static CharDfa Prune(List<int[]> transitions, bool[] accepting, List<int[]> classes, string path)
    {
        // Live states reach an accepting state (a search backwards from the accepting ones); edges into dead states
        // become −1 so the matcher never enters one.
        var predecessors = new List<int>[transitions.Count];
        for (var t = 0; t < predecessors.Length; t++)
        {
            predecessors[t] = [];
        }
        for (var from = 0; from < transitions.Count; from++)
        {
            foreach (var to in transitions[from].Where(to => to >= 0).Distinct())
            {
                predecessors[to].Add(from);
            }
        }
        var live = (bool[])accepting.Clone();
        var pending = new Stack<int>(Enumerable.Range(0, live.Length).Where(state => live[state]));
        while (pending.Count > 0)
        {
            foreach (var from in predecessors[pending.Pop()])
            {
                if (!live[from])
                {
                    live[from] = true;
                    pending.Push(from);
                }
            }
        }
        if (!live[0])
        {
            throw new GrammarException("Pattern matches no string.", path);
        }
        var next = new int[transitions.Count * PatternSymbols.Count];
        for (var s = 0; s < transitions.Count; s++)
        {
            for (var symbol = 0; symbol < PatternSymbols.Count; symbol++)
            {
                var t = transitions[s][symbol];
                next[(s * PatternSymbols.Count) + symbol] = t >= 0 && live[t] ? t : -1;
            }
        }
        return new CharDfa(next, accepting, classes);
    }
}
