namespace Momo.Grammar.Matching;

/// <summary>
/// A terminal of the grammar that is easier to run as a small automaton than to spell out as rules (a JSON string with
/// length and pattern limits, a bounded number). States are immutable values with value equality.
/// </summary>
internal abstract class Lexeme
{
    /// <summary>The state before the first byte.</summary>
    public abstract object Start { get; }

    /// <summary>The state after <paramref name="value"/>, or null when the byte is not allowed (never a dead end).</summary>
    public abstract object? Step(object state, byte value);

    /// <summary>Whether the lexeme may end in <paramref name="state"/>.</summary>
    public abstract bool IsAccepting(object state);

    /// <summary>Whether the lexeme has ended and no byte may extend it (a closed string).</summary>
    public abstract bool IsClosed(object state);
}
