using System.Diagnostics.CodeAnalysis;

namespace Momo.Grammar.Matching;

/// <summary>
/// A continuation waiting for a child rule: once the child completes, matching goes on at element
/// <see cref="Position"/> + 1 of <see cref="Alternative"/>. Frames are immutable and shared between stacks, so
/// branching a state costs nothing.
/// </summary>
internal sealed class Frame(Element[] alternative, int position, Frame? parent)
{
    [SuppressMessage("Performance", "CA1819", Justification = "The compiled grammar's own alternative, shared by every state pointing into it; the per-byte walk over the vocabulary indexes it directly.")]
    public Element[] Alternative { get; } = alternative;
    public int Position { get; } = position;
    public Frame? Parent { get; } = parent;
}

/// <summary>
/// The top of one parse stack: the terminal element expected next (a byte set or a lexeme in state
/// <see cref="Lexeme"/>), and the frames below it.
/// </summary>
[SuppressMessage("Performance", "CA1819", Justification = "The compiled grammar's own alternative, shared by every state pointing into it; the per-byte walk over the vocabulary indexes it directly.")]
internal readonly record struct Head(Element[] Alternative, int Position, object? Lexeme, Frame? Parent);

/// <summary>
/// Where a match stands after some bytes: every parse stack still alive (a pushdown automaton run on all branches at
/// once, as llama.cpp's grammar sampler does), whether the grammar may end here, and for a lazy grammar before its
/// trigger, how much of each trigger the text ends with. Immutable.
/// </summary>
internal sealed class MatchState(Head[] heads, bool complete, int[]? triggerProgress)
{
    [SuppressMessage("Performance", "CA1819", Justification = "States are immutable by contract and read in the innermost loop of the per-byte vocabulary walk, where an interface would cost a dispatch per element.")]
    public Head[] Heads { get; } = heads;

    /// <summary>The structured grammar may end here.</summary>
    public bool Complete { get; } = complete;

    /// <summary>Non-null while a lazy grammar's text is free: per trigger, the length of its longest prefix the text ends with.</summary>
    [SuppressMessage("Performance", "CA1819", Justification = "States are immutable by contract and read in the innermost loop of the per-byte vocabulary walk, where an interface would cost a dispatch per element.")]
    public int[]? TriggerProgress { get; } = triggerProgress;

    public bool IsFree => TriggerProgress is not null;

    /// <summary>Whether generation may end here (free text may end anywhere).</summary>
    public bool CanEnd => IsFree || Complete;
}
