using Momo.Grammar.Matching;

namespace Momo.Grammar.Masks;

/// <summary>
/// One sequence's last walk of the non-plain tokens (quotes, escapes, partial characters) inside a JSON string. While
/// the output stays inside one string value, the stack below the string is the same object and the string's state
/// differs only in length, which stops mattering once no length limit can bite: the walk is then reused, and each new
/// position costs a copy of the plain-text mask. Engine thread only.
/// </summary>
internal sealed class StringMaskCache
{
    private Frame? _parent;
    private Element[]? _alternative;
    private (int Position, int Dfa, int Count) _rest;
    private ulong[] _complex = [];

    /// <summary>ORs into <paramref name="mask"/> the non-plain tokens allowed from <paramref name="state"/> (a single stack inside a string).</summary>
    public void OrComplex(CompiledGrammar grammar, GrammarVocabulary vocabulary, MatchState state, (int Dfa, int Count) lexemeKey, Span<ulong> mask)
    {
        var head = state.Heads[0];
        var rest = (head.Position, lexemeKey.Dfa, lexemeKey.Count);
        var same = ReferenceEquals(head.Parent, _parent) && ReferenceEquals(head.Alternative, _alternative) && rest == _rest;
        if (!same || _complex.Length != vocabulary.Words)
        {
            _complex = _complex.Length == vocabulary.Words ? _complex : new ulong[vocabulary.Words];
            Array.Clear(_complex);
            vocabulary.Complex.Walk(grammar, state, _complex);
            (_parent, _alternative, _rest) = (head.Parent, head.Alternative, rest);
        }
        for (var w = 0; w < mask.Length; w++)
        {
            mask[w] |= _complex[w];
        }
    }
}
