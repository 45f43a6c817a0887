using Momo.Grammar.Matching;
using Momo.Grammar.Schema;

namespace Momo.Grammar.Masks;

/// <summary>
/// The set of tokens a grammar allows from a match state, as a bit mask over the vocabulary (bit t = token t allowed).
/// End-of-generation tokens are allowed exactly where the grammar may end; tokens without text never are.
/// </summary>
internal static class TokenMasks
{
    /// <summary>
    /// Fills <paramref name="mask"/> (cleared first); returns the number of allowed tokens. <paramref name="strings"/>,
    /// when given, keeps the walk of the non-plain tokens inside one string for its next positions.
    /// </summary>
    public static int Compute(CompiledGrammar grammar, GrammarVocabulary vocabulary, MatchState state, Span<ulong> mask, StringMaskCache? strings = null)
    {
        mask.Clear();
        var count = 0;
        if (state.IsFree)
        {
            count = FreeText(grammar, vocabulary, state, mask);
        }
        else if (InsideString(state) is { } text && text.Lexeme.TryPlainTokens(text.State, vocabulary, out var plain))
        {
            // Plain text only lengthens the string: allowed by length (and pattern); only the other tokens are walked.
            plain.CopyTo(mask);
            if (strings is null)
            {
                count = GrammarVocabulary.Count(mask) + vocabulary.Complex.Walk(grammar, state, mask);
            }
            else
            {
                strings.OrComplex(grammar, vocabulary, state, text.Lexeme.ComplexKey(text.State), mask);
                count = GrammarVocabulary.Count(mask);
            }
        }
        else if (state.Heads.Length > 0)
        {
            count = vocabulary.All.Walk(grammar, state, mask);
        }
        if (state.CanEnd)
        {
            foreach (var end in vocabulary.EndTokens)
            {
                mask[end >> 6] |= 1UL << (end & 63);
                count++;
            }
        }
        return count;
    }

    /// <summary>The string lexeme and its state when the state is a single stack inside a JSON string; else null.</summary>
    private static (StringLexeme Lexeme, object State)? InsideString(MatchState state)
    {
        if (state.Heads.Length != 1 || state.Heads[0] is not { Lexeme: { } lexemeState } head)
        {
            return null;
        }
        return ((Element.Token)head.Alternative[head.Position]).Lexeme is StringLexeme text ? (text, lexemeState) : null;
    }

    /// <summary>
    /// Free text can only be refused where a token completes a trigger and what follows breaks the structured grammar.
    /// A token without any trigger's last byte completes none: allowed wholesale, whatever part of a trigger the text
    /// ends with. The few others are matched one by one.
    /// </summary>
    private static int FreeText(CompiledGrammar grammar, GrammarVocabulary vocabulary, MatchState state, Span<ulong> mask)
    {
        var lasts = ByteSet.Empty;
        foreach (var b in grammar.TriggerLastBytes)
        {
            lasts = lasts.With(b);
        }
        vocabulary.Without(lasts).CopyTo(mask);
        foreach (var b in grammar.TriggerLastBytes)
        {
            foreach (var token in vocabulary.Containing(b))
            {
                if (grammar.Advance(state, vocabulary.Piece(token)) is not null)
                {
                    mask[token >> 6] |= 1UL << (token & 63);
                }
            }
        }
        return GrammarVocabulary.Count(mask);
    }
}
