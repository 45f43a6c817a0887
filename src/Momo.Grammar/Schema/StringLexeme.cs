using Momo.Grammar.Masks;
using Momo.Grammar.Matching;
using Momo.Grammar.Patterns;

namespace Momo.Grammar.Schema;

/// <summary>Limits on a JSON string, lengths in characters (Unicode code points, escapes count as one).</summary>
internal sealed record StringConstraints(int MinLength, int MaxLength, CharDfa? Pattern);

/// <summary>
/// A JSON string, quotes included, as a byte automaton: valid UTF-8 only (no overlong forms, no surrogates, nothing
/// above U+10FFFF), JSON escapes including <c>\uXXXX</c> (surrogate code units refused, so the text always decodes),
/// no raw control characters; lengths counted in characters. With a pattern, the string is written without escapes and
/// every character must keep a match of the pattern (within the length limits) reachable: no dead ends.
/// </summary>
internal sealed class StringLexeme : Lexeme
{
    private const byte Before = 0;
    private const byte Inside = 1;
    private const byte Closed = 2;
    private const int MaxPatternLength = 1024;

    private readonly bool[,]? _feasible;
    private readonly PatternMasks? _patternMasks; // [dfa state, characters so far (capped)]: a match within the limits is still reachable

    public StringLexeme(StringConstraints constraints, string path)
    {
        Constraints = constraints;
        if (constraints.Pattern is { } pattern)
        {
            _feasible = FeasibilityTable(pattern, constraints, path);
            if (!_feasible[0, 0])
            {
                throw new GrammarException("No string within the length limits matches the pattern.", path);
            }
            _patternMasks = new PatternMasks(constraints, _feasible);
        }
    }

    public StringConstraints Constraints { get; }

    public override object Start { get; } = new StringState(Before, 0, 0, 0, 0x80, 0xBF, 0, 0);

    public bool HasPattern => Constraints.Pattern is not null;

    public override bool IsAccepting(object state) => ((StringState)state).Phase == Closed;

    public override bool IsClosed(object state) => ((StringState)state).Phase == Closed;

    public override object? Step(object state, byte value)
    {
        var s = (StringState)state;
        return s.Phase switch
        {
            Before => value == '"' ? s with { Phase = Inside } : null,
            Inside => StepInside(s, value),
            _ => null,
        };
    }

    /// <summary>
    /// The plain-text tokens allowed in <paramref name="state"/> when it is inside the string between characters (where
    /// plain text only lengthens the string); false elsewhere (before the quote, inside an escape or a character).
    /// </summary>
    public bool TryPlainTokens(object state, GrammarVocabulary vocabulary, out ReadOnlySpan<ulong> allowed)
    {
        var s = (StringState)state;
        allowed = default;
        if (s.Phase != Inside || s.Escape != 0 || s.Utf8Left != 0)
        {
            return false;
        }
        allowed = _patternMasks is null
            ? vocabulary.PlainUpTo(Constraints.MaxLength - s.Count)
            : _patternMasks.Allowed(vocabulary, s.Dfa, s.Count);
        return true;
    }

    /// <summary>
    /// What the tokens that are not plain text can do from <paramref name="state"/> depends on the pattern state and on
    /// the length only while a limit can still bite: two states with the same key allow the same such tokens.
    /// </summary>
    public (int Dfa, int Count) ComplexKey(object state)
    {
        var s = (StringState)state;
        var free = Constraints.MaxLength == int.MaxValue && s.Count >= Constraints.MinLength && Constraints.Pattern is null;
        return (s.Dfa, free ? -1 : s.Count);
    }

    private StringState? StepInside(StringState s, byte b)
    {
        if (s.Utf8Left > 0)
        {
            if (b < s.Low || b > s.High)
            {
                return null;
            }
            var continued = s with { Utf8Left = (byte)(s.Utf8Left - 1), Low = 0x80, High = 0xBF };
            return s.Pending == 0 ? continued : Symbol(continued, PatternSymbols.Continue(s.Pending, b), s.Count);
        }
        if (s.Escape > 0)
        {
            return StepEscape(s, b);
        }
        if (b == '"')
        {
            var done = s.Count >= Constraints.MinLength && (Constraints.Pattern is not { } p || p.IsAccepting(s.Dfa));
            return done ? s with { Phase = Closed } : null;
        }
        if (s.Count >= Constraints.MaxLength)
        {
            return null;
        }
        if (b == '\\')
        {
            return Constraints.Pattern is null ? s with { Escape = 1, Count = s.Count + 1 } : null;
        }
        if (b < 0x20)
        {
            return null;
        }
        if (b < 0x80)
        {
            return Character(s, b);
        }
        var (left, low, high) = b switch
        {
            >= 0xC2 and <= 0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xED => (2, 0x80, 0x9F),
            >= 0xE1 and <= 0xEF => (2, 0x80, 0xBF),
            0xF0 => (3, 0x90, 0xBF),
            >= 0xF1 and <= 0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => (0, 0, 0),
        };
        if (left == 0)
        {
            return null;
        }
        var next = Constraints.Pattern is null ? Character(s, PatternSymbols.Other) : Symbol(s, PatternSymbols.Lead(b), s.Count + 1);
        return next is null ? null : next with { Utf8Left = (byte)left, Low = (byte)low, High = (byte)high };
    }

    private static StringState? StepEscape(StringState s, byte b)
    {
        if (s.Escape == 1)
        {
            return b switch
            {
                (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' => s with { Escape = 0 },
                (byte)'u' => s with { Escape = 2, Hex = 0 },
                _ => null,
            };
        }
        var digit = HexValue(b);
        if (digit < 0 || (s.Escape == 3 && s.Hex == 0xD && digit >= 8))
        {
            return null; // \uD800–\uDFFF: a lone surrogate would not decode
        }
        var hex = (s.Hex * 16) + digit;
        return s.Escape == 5 ? s with { Escape = 0, Hex = 0 } : s with { Escape = (byte)(s.Escape + 1), Hex = hex };
    }

    private StringState? Character(StringState s, int symbol)
    {
        var count = s.Count + 1;
        if (Constraints.Pattern is not { } pattern)
        {
            return s with { Count = count };
        }
        var dfa = pattern.Next(s.Dfa, symbol);
        return IsFeasible(dfa, count) ? s with { Count = count, Dfa = dfa } : null;
    }

    /// <summary>
    /// A non-ASCII character's byte that the pattern sees: the automaton steps once the character's class is known;
    /// until then the character stays pending, allowed while one of the classes it can still be keeps a match reachable.
    /// </summary>
    private StringState? Symbol(StringState s, (int Node, int Symbol) read, int count)
    {
        var pattern = Constraints.Pattern!;
        if (read.Symbol >= 0)
        {
            var dfa = pattern.Next(s.Dfa, read.Symbol);
            return IsFeasible(dfa, count) ? s with { Count = count, Dfa = dfa, Pending = 0 } : null;
        }
        var open = PatternSymbols.ReachableFrom(read.Node).Any(symbol => IsFeasible(pattern.Next(s.Dfa, symbol), count));
        return open ? s with { Count = count, Pending = (byte)read.Node } : null;
    }

    private bool IsFeasible(int dfa, int count) => dfa >= 0 && _feasible![dfa, Math.Min(count, _feasible.GetLength(1) - 1)];

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// feasible[s, c]: from DFA state s with c characters written, some continuation of r characters reaches an accepting
    /// state with min ≤ c + r ≤ max. Without a maximum, lengths past min + states add nothing (a longer path repeats a
    /// state), so the last column stands for every longer count.
    /// </summary>
    private static bool[,] FeasibilityTable(CharDfa dfa, StringConstraints limits, string path)
    {
        var bounded = limits.MaxLength != int.MaxValue;
        var horizon = bounded ? limits.MaxLength : limits.MinLength + dfa.States + 1;
        if (horizon > MaxPatternLength)
        {
            throw new GrammarException($"A pattern with string lengths above {MaxPatternLength} is not supported.", path);
        }
        // acceptIn[s, r]: an accepting state is reachable from s in exactly r characters (plain ones: no escapes), each
        // class of symbols tried once through one of its plain members.
        var plain = dfa.Classes
            .Select(members => members.FirstOrDefault(m => m >= 0x20 && m is not ('"' or '\\'), -1))
            .Where(m => m >= 0).ToArray();
        var acceptIn = new bool[dfa.States, horizon + 1];
        for (var s = 0; s < dfa.States; s++)
        {
            acceptIn[s, 0] = dfa.IsAccepting(s);
        }
        for (var r = 1; r <= horizon; r++)
        {
            for (var s = 0; s < dfa.States; s++)
            {
                foreach (var symbol in plain)
                {
                    var t = dfa.Next(s, symbol);
                    if (t >= 0 && acceptIn[t, r - 1])
                    {
                        acceptIn[s, r] = true;
                        break;
                    }
                }
            }
        }
        var feasible = new bool[dfa.States, horizon + 1];
        for (var s = 0; s < dfa.States; s++)
        {
            for (var c = 0; c <= horizon; c++)
            {
                var last = bounded ? limits.MaxLength - c : horizon;
                for (var r = Math.Max(0, limits.MinLength - c); r <= last && !feasible[s, c]; r++)
                {
                    feasible[s, c] = acceptIn[s, r];
                }
            }
        }
        return feasible;
    }

    // Pending: a non-ASCII character whose pattern symbol its remaining bytes decide (a PatternSymbols node), else 0.
    private sealed record StringState(byte Phase, int Count, byte Escape, byte Utf8Left, byte Low, byte High, int Dfa, int Hex, byte Pending = 0);
}
