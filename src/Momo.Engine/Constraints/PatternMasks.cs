using System.Collections.Concurrent;

namespace Momo.Engine.Constraints;

/// <summary>
/// Plain-text tokens inside a string with a pattern: which of them keep a match reachable depends only on the
/// pattern's automaton state and the characters written so far, so the set is found by walking the plain tokens' trie
/// with the automaton alone (no grammar states), and kept per (vocabulary, state, count) for the lexeme's lifetime. A
/// state that loops on every plain character with no maximum length (TypeBox's <c>^.*$</c> map keys) allows them all.
/// </summary>
internal sealed class PatternMasks(StringConstraints constraints, bool[,] feasible)
{
    private const int CountBits = 12;
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
        for (var symbol = 0x20; symbol < RegexSubset.Symbols; symbol++)
        {
            if (symbol is not ('"' or '\\') && _dfa.Next(dfa, symbol) != dfa)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>One byte of plain text: continuation bytes change nothing, a character's first byte steps the automaton.</summary>
    private readonly struct Step(PatternMasks owner) : IByteStep
    {
        public int Next(int state, byte value)
        {
            if ((value & 0xC0) == 0x80)
            {
                return state;
            }
            var count = (state & ((1 << CountBits) - 1)) + 1;
            if (count > owner.MaxLength)
            {
                return -1;
            }
            var dfa = owner._dfa.Next(state >> CountBits, value < 0x80 ? value : RegexSubset.NonAscii);
            return dfa >= 0 && owner.IsFeasible(dfa, count) ? owner.Pack(dfa, count) : -1;
        }
    }

    private int MaxLength => constraints.MaxLength;

    private bool IsFeasible(int dfa, int count) => feasible[dfa, Math.Min(count, _cap)];
}
