using System.Collections.Concurrent;
using Momo.Grammar.Patterns;
using Momo.Grammar.Schema;

namespace Momo.Grammar.Masks;

/// <summary>
/// Plain-text tokens inside a string with a pattern: which of them keep a match reachable depends only on the
/// pattern's automaton state and the characters written so far, so the set is found by walking the plain tokens' trie
/// with the automaton alone (no grammar states), and kept per (vocabulary, state, count) for the lexeme's lifetime. A
/// state that loops on every plain character with no maximum length (TypeBox's <c>^.*$</c> map keys) allows them all.
/// </summary>
internal sealed class PatternMasks(StringConstraints constraints, bool[,] feasible)
{
    private const int CountBits = 12;
    private const int PendingShift = 24; // above the automaton state (at most 4096, 12 bits) and the count
    private const int MaxCached = 64;
    private readonly ConcurrentDictionary<(GrammarVocabulary, int), ulong[]> _cache = new();
    private readonly CharDfa _dfa = constraints.Pattern!;
    private readonly int _cap = feasible.GetLength(1) - 1;

    /// <summary>The plain tokens allowed from DFA state <paramref name="dfa"/> after <paramref name="count"/> characters.</summary>
    public ReadOnlySpan<ulong> Allowed(GrammarVocabulary vocabulary, int dfa, int count)
    {
        if (constraints.MaxLength == int.MaxValue && LoopsOnEveryPlainCharacter(dfa))
        {
            return vocabulary.PlainUpTo(int.MaxValue);
        }
        var key = (vocabulary, Pack(dfa, count));
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var mask = new ulong[vocabulary.Words];
        vocabulary.Plain.Walk(key.Item2, new Step(this), mask);
        // Bounded: a long length limit times many automaton states would otherwise keep a mask per combination.
        if (_cache.Count < MaxCached)
        {
            _cache[key] = mask;
        }
        return mask;
    }

    private int Pack(int dfa, int count) => (dfa << CountBits) | Math.Min(count, _cap);

    private bool LoopsOnEveryPlainCharacter(int dfa)
    {
        for (var symbol = 0x20; symbol < PatternSymbols.Count; symbol++)
        {
            if (symbol is not ('"' or '\\') && _dfa.Next(dfa, symbol) != dfa)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// One byte of plain text: a character's first byte counts it and steps the automaton, unless the character's
    /// pattern symbol is still open (some non-ASCII lead bytes start white space and other characters alike): then it
    /// is pending in the state's high bits, and the continuation byte that decides it steps the automaton. Other
    /// continuation bytes change nothing.
    /// </summary>
    private readonly struct Step(PatternMasks owner) : IByteStep
    {
        public int Next(int state, byte value)
        {
            var pending = state >> PendingShift;
            var packed = state & ((1 << PendingShift) - 1);
            var dfa = packed >> CountBits;
            var count = packed & ((1 << CountBits) - 1);
            if ((value & 0xC0) == 0x80)
            {
                return pending == 0 ? state : owner.Read(dfa, count, PatternSymbols.Continue(pending, value));
            }
            count++;
            if (count > owner.MaxLength)
            {
                return -1;
            }
            return owner.Read(dfa, count, value < 0x80 ? (0, value) : PatternSymbols.Lead(value));
        }
    }

    private int Read(int dfa, int count, (int Node, int Symbol) read)
    {
        if (read.Symbol >= 0)
        {
            var next = _dfa.Next(dfa, read.Symbol);
            return next >= 0 && IsFeasible(next, count) ? Pack(next, count) : -1;
        }
        foreach (var symbol in PatternSymbols.ReachableFrom(read.Node))
        {
            var next = _dfa.Next(dfa, symbol);
            if (next >= 0 && IsFeasible(next, count))
            {
                return Pack(dfa, count) | (read.Node << PendingShift);
            }
        }
        return -1;
    }

    private int MaxLength => constraints.MaxLength;

    private bool IsFeasible(int dfa, int count) => feasible[dfa, Math.Min(count, _cap)];
}
