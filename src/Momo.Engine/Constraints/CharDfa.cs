namespace Momo.Engine.Constraints;

/// <summary>A deterministic automaton over pattern symbols (ASCII characters and "any non-ASCII character").</summary>
internal sealed class CharDfa
{
    private const int MaxStates = 4096;

    private readonly int[] _next; // [states, Symbols]: next state, −1 = dead
    private readonly bool[] _accepting;

    private CharDfa(int[] next, bool[] accepting)
    {
        _next = next;
        _accepting = accepting;
    }

    public int States => _accepting.Length;

    /// <summary>The state after <paramref name="symbol"/> from <paramref name="state"/>, −1 when no match can follow.</summary>
    public int Next(int state, int symbol) => _next[(state * RegexSubset.Symbols) + symbol];

    public bool IsAccepting(int state) => _accepting[state];

    /// <summary>Subset construction; states from which no accepting state is reachable are dropped (they are dead ends).</summary>
    public static CharDfa FromNfa(RegexSubset.Nfa nfa, int start, int end, string path)
    {
        var ids = new Dictionary<string, int>();
        var sets = new List<SortedSet<int>>();
        var transitions = new List<int[]>();
        int Intern(SortedSet<int> set)
        {
            var key = string.Join(',', set);
            if (!ids.TryGetValue(key, out var id))
            {
                if (sets.Count >= MaxStates)
                {
                    throw new GrammarException($"Pattern needs more than {MaxStates} automaton states.", path);
                }
                id = sets.Count;
                ids[key] = id;
                sets.Add(set);
            }
            return id;
        }
        Intern(Closure(nfa, [start]));
        var classes = SymbolClasses(nfa);
        for (var s = 0; s < sets.Count; s++)
        {
            var row = new int[RegexSubset.Symbols];
            foreach (var members in classes)
            {
                var symbol = members[0];
                var moved = new SortedSet<int>();
                foreach (var state in sets[s])
                {
                    foreach (var (set, to) in nfa.Edges[state])
                    {
                        if (set[symbol])
                        {
                            moved.Add(to);
                        }
                    }
                }
                var next = moved.Count == 0 ? -1 : Intern(Closure(nfa, moved));
                foreach (var member in members)
                {
                    row[member] = next;
                }
            }
            transitions.Add(row);
        }
        var accepting = sets.Select(s => s.Contains(end)).ToArray();
        return Prune(transitions, accepting, path);
    }

    /// <summary>
    /// Symbols no edge tells apart (every edge set holds all or none of them) move the automaton alike: the subset
    /// construction steps once per class (a handful) instead of once per symbol (129).
    /// </summary>
    private static List<int[]> SymbolClasses(RegexSubset.Nfa nfa)
    {
        var edgeSets = nfa.Edges.SelectMany(e => e.Select(edge => edge.Set)).Distinct().ToList();
        return [.. Enumerable.Range(0, RegexSubset.Symbols)
            .GroupBy(symbol => string.Concat(edgeSets.Select(set => set[symbol] ? '1' : '0')))
            .Select(g => g.ToArray())];
    }

    private static CharDfa Prune(List<int[]> transitions, bool[] accepting, string path)
    {
        // Live states reach an accepting state; edges into dead states become −1 so the matcher never enters one.
        var live = (bool[])accepting.Clone();
        for (var changed = true; changed;)
        {
            changed = false;
            for (var s = 0; s < live.Length; s++)
            {
                if (!live[s] && transitions[s].Any(t => t >= 0 && live[t]))
                {
                    live[s] = changed = true;
                }
            }
        }
        if (!live[0])
        {
            throw new GrammarException("Pattern matches no string.", path);
        }
        var next = new int[transitions.Count * RegexSubset.Symbols];
        for (var s = 0; s < transitions.Count; s++)
        {
            for (var symbol = 0; symbol < RegexSubset.Symbols; symbol++)
            {
                var t = transitions[s][symbol];
                next[(s * RegexSubset.Symbols) + symbol] = t >= 0 && live[t] ? t : -1;
            }
        }
        return new CharDfa(next, accepting);
    }

    private static SortedSet<int> Closure(RegexSubset.Nfa nfa, IEnumerable<int> states)
    {
        var closure = new SortedSet<int>(states);
        var stack = new Stack<int>(closure);
        while (stack.Count > 0)
        {
            foreach (var to in nfa.Epsilons[stack.Pop()])
            {
                if (closure.Add(to))
                {
                    stack.Push(to);
                }
            }
        }
        return closure;
    }
}
