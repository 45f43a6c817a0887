namespace Momo.Engine.Constraints;

/// <summary>The grammar's syntax tree (compiled by the matcher; never exposed outside the engine).</summary>
internal abstract record GrammarNode
{
    public sealed record Literal(string Text) : GrammarNode;

    public sealed record Sequence(IReadOnlyList<GrammarNode> Parts) : GrammarNode;

    public sealed record Choice(IReadOnlyList<GrammarNode> Options) : GrammarNode;

    public sealed record Repeat(GrammarNode Item, int Min, int Max) : GrammarNode;

    public sealed record Lazy(IReadOnlyList<string> Triggers, GrammarNode Structured) : GrammarNode;
}
