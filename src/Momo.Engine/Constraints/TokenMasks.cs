namespace Momo.Engine.Constraints;

/// <summary>
/// The set of tokens a grammar allows from a match state, as a bit mask over the vocabulary (bit t = token t allowed).
/// End-of-generation tokens are allowed exactly where the grammar may end; tokens without text never are.
/// </summary>
internal static class TokenMasks
{
    /// <summary>Fills <paramref name="mask"/> (cleared first); returns the number of allowed tokens.</summary>
    public static int Compute(CompiledGrammar grammar, GrammarVocabulary vocabulary, MatchState state, Span<ulong> mask)
    {
        mask.Clear();
        var count = 0;
        if (state.IsFreeAtRest)
        {
            count = FreeText(grammar, vocabulary, state, mask);
        }
        else if (PlainStringRoom(state) is { } room)
        {
            // Plain text only lengthens the string: allowed by length, and only the other tokens are walked.
            vocabulary.PlainUpTo(room).CopyTo(mask);
            count = GrammarVocabulary.Count(mask) + vocabulary.Complex.Walk(grammar, state, mask);
        }
        else if (state.Heads.Length > 0 || state.IsFree)
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

    /// <summary>Characters left in the string when the state is a single stack inside a plain JSON string; else null.</summary>
    private static int? PlainStringRoom(MatchState state)
    {
        if (state.Heads.Length != 1 || state.Heads[0] is not { Lexeme: { } lexemeState } head)
        {
            return null;
        }
        var lexeme = ((Element.Token)head.Alternative[head.Position]).Lexeme;
        return lexeme is StringLexeme text && text.IsPlainInside(lexemeState, out var room) ? room : null;
    }

    private static int FreeText(CompiledGrammar grammar, GrammarVocabulary vocabulary, MatchState state, Span<ulong> mask)
    {
        var firsts = ByteSet.Empty;
        foreach (var b in grammar.TriggerFirstBytes)
        {
            firsts = firsts.With(b);
        }
        vocabulary.Without(firsts).CopyTo(mask);
        // Tokens holding a trigger's first byte may start (or complete) a trigger: each is matched on its own.
        foreach (var b in grammar.TriggerFirstBytes)
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
