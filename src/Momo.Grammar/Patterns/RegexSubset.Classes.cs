namespace Momo.Grammar.Patterns;

/// <summary>Character classes and escapes of the pattern subset.</summary>
internal sealed partial class RegexSubset
{
    private bool[] Class()
    {
        var negated = Eat('^');
        var set = new bool[PatternSymbols.Count];
        var first = true;
        while (_at < _pattern.Length && (_pattern[_at] != ']' || first))
        {
            first = false;
            bool[] item;
            int low;
            if (_pattern[_at] == '\\')
            {
                _at++;
                item = Escape(inClass: true);
                low = SingleMember(item);
            }
            else
            {
                low = Ascii(_pattern[_at++]);
                item = SetOf(low);
            }
            if (low >= 0 && _at + 1 < _pattern.Length && _pattern[_at] == '-' && _pattern[_at + 1] != ']')
            {
                _at++;
                var high = _pattern[_at] == '\\' ? EscapedSingle() : Ascii(_pattern[_at++]);
                if (high < low)
                {
                    throw Fail("class range out of order");
                }
                for (var x = low; x <= high; x++)
                {
                    set[x] = true;
                }
                continue;
            }
            Union(set, item);
        }
        if (!Eat(']'))
        {
            throw Fail("unterminated character class");
        }
        return negated ? Complement(set) : set;
    }

    private int EscapedSingle()
    {
        _at++;
        var member = SingleMember(Escape(inClass: true));
        return member >= 0 ? member : throw Fail("a class range must end in one character");
    }

    private bool[] Escape(bool inClass)
    {
        if (_at >= _pattern.Length)
        {
            throw Fail("pattern ends in a backslash");
        }
        var c = _pattern[_at++];
        var set = new bool[PatternSymbols.Count];
        switch (c)
        {
            case 'd' or 'D':
                Range(set, '0', '9');
                return char.IsUpper(c) ? Complement(set) : set;
            case 'w' or 'W':
                Range(set, 'a', 'z');
                Range(set, 'A', 'Z');
                Range(set, '0', '9');
                set['_'] = true;
                return char.IsUpper(c) ? Complement(set) : set;
            case 's' or 'S':
                // ECMAScript's WhiteSpace and LineTerminator: the ASCII ones and every non-ASCII space class.
                foreach (var x in " \t\n\r\f\v")
                {
                    set[x] = true;
                }
                set[PatternSymbols.Space] = true;
                set[PatternSymbols.LineSeparator] = true;
                return char.IsUpper(c) ? Complement(set) : set;
            case 'n':
                return SetOf('\n');
            case 't':
                return SetOf('\t');
            case 'r':
                return SetOf('\r');
            default:
                if (char.IsAsciiLetterOrDigit(c) || c > 127)
                {
                    throw Fail($"escape \\{c} is not supported" + (inClass ? " in a class" : ""));
                }
                return SetOf(c);
        }
    }

    private static bool[] Complement(bool[] set)
    {
        for (var x = 0; x < PatternSymbols.Count; x++)
        {
            set[x] = !set[x];
        }
        return set;
    }

    private static bool[] SetOf(int symbol)
    {
        var set = new bool[PatternSymbols.Count];
        set[symbol] = true;
        return set;
    }

    private static int SingleMember(bool[] set) => set.Count(b => b) == 1 ? Array.IndexOf(set, true) : -1;

    private static void Range(bool[] set, char low, char high)
    {
        for (var x = low; x <= high; x++)
        {
            set[x] = true;
        }
    }

    private static void Union(bool[] into, bool[] from)
    {
        for (var x = 0; x < PatternSymbols.Count; x++)
        {
            into[x] |= from[x];
        }
    }
}
