using Momo.Grammar.Matching;

namespace Momo.Grammar.Masks;

/// <summary>
/// One sequence's grammar states and masks by output position. The mask at output index i depends only on the output
/// tokens before i, so every tier's row at one position shares one mask, computed once; when the sequence's history
/// differs from the tokens the states were built from (a rejected speculative tail), the states past the common prefix
/// are dropped: the grammar's rollback, alongside the KV's. Engine thread only.
/// </summary>
public sealed class GrammarTrack
{
    private readonly CompiledGrammar _grammar;
    private readonly GrammarVocabulary _vocabulary;
    private readonly List<int> _tokens = [];
    // [_tokens.Count + 1]: state after k output tokens; null once no constraint applies (past an end of generation, or
    // after a token the grammar refuses, which a lookup proposal can be: its rows are then never used, as the
    // verifier gives that token probability 0 and rejects it).
    private readonly List<MatchState?> _states;
    private readonly List<ulong[]?> _masks = [null];
    private readonly Stack<ulong[]> _spare = new();
    private readonly StringMaskCache _strings = new();
    private int _forgotten;

    /// <summary>Tracks <paramref name="grammar"/> over <paramref name="vocabulary"/>'s tokens, from the start of the output.</summary>
    /// <exception cref="GrammarException">The grammar cannot be compiled.</exception>
    public GrammarTrack(OutputGrammar grammar, GrammarVocabulary vocabulary)
        : this(grammar.Compiled, vocabulary)
    {
    }

    internal GrammarTrack(CompiledGrammar grammar, GrammarVocabulary vocabulary)
    {
        _grammar = grammar;
        _vocabulary = vocabulary;
        _states = [grammar.Start];
    }

    /// <summary>Masks computed so far (each position's once, unless its history changed).</summary>
    internal int MasksComputed { get; private set; }

    /// <summary>
    /// The allowed tokens after <paramref name="history"/> (the output so far), or an empty span when no constraint
    /// applies. Throws when the grammar allows no token at all there (a grammar no vocabulary token can continue).
    /// </summary>
    public ReadOnlySpan<ulong> MaskAfter(ReadOnlySpan<int> history)
    {
        // Only a difference drops states: a shorter history that agrees (the qualifier's or target's rows behind the
        // draft's) reuses them.
        var keep = history.CommonPrefixLength(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens));
        if (keep < history.Length)
        {
            Truncate(keep);
        }
        for (var k = _tokens.Count; k < history.Length; k++)
        {
            var token = history[k];
            var state = _states[k];
            _tokens.Add(token);
            _states.Add(state is null || _vocabulary.IsEnd(token) ? null : _grammar.Advance(state, _vocabulary.Piece(token)));
            _masks.Add(null);
        }
        var n = history.Length;
        if (_states[n] is not { } current)
        {
            return [];
        }
        if (_masks[n] is null)
        {
            var mask = _spare.Count > 0 ? _spare.Pop() : new ulong[_vocabulary.Words];
            if (TokenMasks.Compute(_grammar, _vocabulary, current, mask, _strings) == 0)
            {
                _spare.Push(mask);
                throw new InvalidOperationException(
                    $"The output grammar allows no token after {n} generated tokens: no token of this vocabulary can continue it.");
            }
            _masks[n] = mask;
            MasksComputed++;
        }
        return _masks[n];
    }

    /// <summary>Releases the masks before output index <paramref name="index"/> (committed positions are never masked again).</summary>
    public void ForgetMasksBefore(int index)
    {
        for (var k = Math.Min(_forgotten, _masks.Count); k < Math.Min(index, _masks.Count); k++)
        {
            if (_masks[k] is { } mask)
            {
                _spare.Push(mask);
                _masks[k] = null;
            }
        }
        _forgotten = Math.Max(_forgotten, Math.Min(index, _masks.Count));
    }

    private void Truncate(int count)
    {
        _forgotten = Math.Min(_forgotten, count + 1);
        for (var k = count + 1; k < _masks.Count; k++)
        {
            if (_masks[k] is { } mask)
            {
                _spare.Push(mask);
            }
        }
        if (_tokens.Count > count)
        {
            _tokens.RemoveRange(count, _tokens.Count - count);
            _states.RemoveRange(count + 1, _states.Count - count - 1);
            _masks.RemoveRange(count + 1, _masks.Count - count - 1);
        }
    }
}
