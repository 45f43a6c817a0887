namespace Momo.Grammar.Patterns;

/// <summary>
/// Parses the regular-expression subset JSON schemas use for <c>pattern</c> and <c>patternProperties</c> into an NFA
/// over <see cref="PatternSymbols"/> (ASCII, and three classes of non-ASCII characters): literal characters and
/// escapes, classes (<c>[a-z0-9_-]</c>, negated), the class escapes <c>\d \D \w \W \s \S</c> in and out of classes,
/// <c>.</c>, groups (capturing or <c>(?:…)</c>), alternation, <c>* + ?</c>, <c>{m} {m,} {m,n}</c>, and <c>^</c> /
/// <c>$</c> at the ends of the whole pattern or of its top-level alternatives, all with ECMAScript's meanings as JSON
/// Schema specifies (<c>\s</c> includes Unicode white space and line terminators; <c>.</c> matches neither line
/// terminator). Patterns are searches, as in ECMA-262: a side without its anchor may have any text there. Anything
/// else (backreferences, lookaround, lazy quantifiers, non-ASCII characters in the pattern) is refused.
/// </summary>
internal sealed partial class RegexSubset
{
    private const int MaxRepeat = 256;

    private readonly string _pattern;
    private readonly string _path;
    private int _at;

    private RegexSubset(string pattern, string path)
    {
        _pattern = pattern;
        _path = path;
    }

    /// <summary>Compiles <paramref name="pattern"/> to a DFA; <paramref name="path"/> is the keyword's JSON pointer for errors.</summary>
    public static CharDfa Compile(string pattern, string path)
    {
        var parser = new RegexSubset(pattern, path);
        var nfa = new Nfa();
        var (start, end) = parser.TopLevel(nfa);
        return CharDfa.FromNfa(nfa, start, end, path);
    }

    private (int Start, int End) TopLevel(Nfa nfa)
    {
        var start = nfa.Add();
        var end = nfa.Add();
        do
        {
            var anchoredStart = Eat('^');
            var (s, e) = Concat(nfa, topLevel: true);
            var anchoredEnd = Eat('$');
            if (_at < _pattern.Length && _pattern[_at] != '|')
            {
                throw Fail($"unexpected '{_pattern[_at]}'");
            }
            var first = anchoredStart ? s : Prefixed(nfa, s);
            nfa.Epsilon(start, first);
            if (anchoredEnd)
            {
                nfa.Epsilon(e, end);
            }
            else
            {
                var (anyStart, anyEnd) = Star(nfa, AnyChar(nfa));
                nfa.Epsilon(e, anyStart);
                nfa.Epsilon(anyEnd, end);
            }
        }
        while (Eat('|'));
        return (start, end);
    }

    private static int Prefixed(Nfa nfa, int body)
    {
        var (anyStart, anyEnd) = Star(nfa, AnyChar(nfa));
        nfa.Epsilon(anyEnd, body);
        return anyStart;
    }

    private (int Start, int End) Alternation(Nfa nfa)
    {
        var start = nfa.Add();
        var end = nfa.Add();
        do
        {
            var (s, e) = Concat(nfa, topLevel: false);
            nfa.Epsilon(start, s);
            nfa.Epsilon(e, end);
        }
        while (Eat('|'));
        return (start, end);
    }

    private (int Start, int End) Concat(Nfa nfa, bool topLevel)
    {
        var start = nfa.Add();
        var end = start;
        while (_at < _pattern.Length && _pattern[_at] is not ('|' or ')'))
        {
            if (_pattern[_at] == '$' && topLevel && (_at + 1 == _pattern.Length || _pattern[_at + 1] == '|'))
            {
                break;
            }
            var (s, e) = Quantified(nfa);
            nfa.Epsilon(end, s);
            end = e;
        }
        return (start, end);
    }

    private (int Start, int End) Quantified(Nfa nfa)
    {
        var atomStart = _at;
        var atom = Atom(nfa);
        var atomEnd = _at;
        if (Eat('*'))
        {
            return Lazy(Star(nfa, atom));
        }
        if (Eat('+'))
        {
            var (s, e) = Star(nfa, Reparse(nfa, atomStart, atomEnd));
            nfa.Epsilon(atom.End, s);
            return Lazy((atom.Start, e));
        }
        if (Eat('?'))
        {
            nfa.Epsilon(atom.Start, atom.End);
            return Lazy(atom);
        }
        if (_at < _pattern.Length && _pattern[_at] == '{')
        {
            var (min, max) = Bounds();
            return Lazy(Counted(nfa, atom, atomStart, atomEnd, min, max));
        }
        return atom;
    }

    private (int Start, int End) Lazy((int Start, int End) fragment) =>
        _at < _pattern.Length && _pattern[_at] == '?' ? throw Fail("lazy quantifiers are not supported") : fragment;

    private (int Start, int End) Counted(Nfa nfa, (int Start, int End) first, int atomStart, int atomEnd, int min, int max)
    {
        // Each copy of the atom is parsed again from its text: NFA fragments cannot be shared.
        var start = nfa.Add();
        var end = start;
        for (var i = 0; i < Math.Max(min, max == int.MaxValue ? min : max); i++)
        {
            var copy = i == 0 ? first : Reparse(nfa, atomStart, atomEnd);
            if (i >= min)
            {
                nfa.Epsilon(copy.Start, copy.End);
            }
            nfa.Epsilon(end, copy.Start);
            end = copy.End;
        }
        if (max == int.MaxValue)
        {
            var (s, e) = Star(nfa, min == 0 ? first : Reparse(nfa, atomStart, atomEnd));
            nfa.Epsilon(end, s);
            end = e;
        }
        return (start, end);
    }

    private (int Start, int End) Reparse(Nfa nfa, int from, int to)
    {
        var saved = _at;
        _at = from;
        var fragment = Atom(nfa);
        if (_at != to)
        {
            throw Fail("internal: atom reparsed differently");
        }
        _at = saved;
        return fragment;
    }

    private static (int Start, int End) Star(Nfa nfa, (int Start, int End) item)
    {
        var start = nfa.Add();
        var end = nfa.Add();
        nfa.Epsilon(start, item.Start);
        nfa.Epsilon(start, end);
        nfa.Epsilon(item.End, item.Start);
        nfa.Epsilon(item.End, end);
        return (start, end);
    }

    private (int Min, int Max) Bounds()
    {
        var close = _pattern.IndexOf('}', _at);
        if (close < 0)
        {
            throw Fail("unterminated {m,n}");
        }
        var body = _pattern[(_at + 1)..close];
        _at = close + 1;
        var parts = body.Split(',');
        if (parts.Length > 2 || !int.TryParse(parts[0], out var min) || min < 0)
        {
            throw Fail($"bad repetition {{{body}}}");
        }
        var max = parts.Length == 1 ? min : parts[1].Length == 0 ? int.MaxValue : int.TryParse(parts[1], out var m) ? m : -1;
        if (max < min || min > MaxRepeat || (max != int.MaxValue && max > MaxRepeat))
        {
            throw Fail($"repetition {{{body}}} is malformed or above {MaxRepeat}");
        }
        return (min, max);
    }

    private (int Start, int End) Atom(Nfa nfa)
    {
        if (_at >= _pattern.Length)
        {
            throw Fail("pattern ends where a character was expected");
        }
        var c = _pattern[_at++];
        switch (c)
        {
            case '(':
                if (_at < _pattern.Length && _pattern[_at] == '?')
                {
                    if (_at + 1 < _pattern.Length && _pattern[_at + 1] == ':')
                    {
                        _at += 2;
                    }
                    else
                    {
                        throw Fail("lookaround and named groups are not supported");
                    }
                }
                var group = Alternation(nfa);
                if (!Eat(')'))
                {
                    throw Fail("unbalanced parenthesis");
                }
                return group;
            case '.':
                return AnyChar(nfa, newline: false);
            case '[':
                return Single(nfa, Class());
            case '\\':
                return Single(nfa, Escape(inClass: false));
            case '^' or '$':
                throw Fail("anchors are supported only at the start and end of the pattern");
            case '*' or '+' or '?' or '{' or ')' or '|':
                throw Fail($"'{c}' has nothing to repeat or close");
            default:
                return Single(nfa, SetOf(Ascii(c)));
        }
    }

    private static (int Start, int End) AnyChar(Nfa nfa, bool newline = true)
    {
        var set = new bool[PatternSymbols.Count];
        Array.Fill(set, true);
        set['\n'] = newline;
        set['\r'] = newline;
        set[PatternSymbols.LineSeparator] = newline;
        return Single(nfa, set);
    }

    private static (int Start, int End) Single(Nfa nfa, bool[] set)
    {
        var start = nfa.Add();
        var end = nfa.Add();
        nfa.Edge(start, set, end);
        return (start, end);
    }

    private int Ascii(char c) => c < 128 ? c : throw Fail("non-ASCII characters in patterns are not supported");

    private bool Eat(char c)
    {
        if (_at < _pattern.Length && _pattern[_at] == c)
        {
            _at++;
            return true;
        }
        return false;
    }

    private GrammarException Fail(string why) =>
        new($"Unsupported or malformed pattern '{_pattern}' at character {_at}: {why}.", _path);
}
