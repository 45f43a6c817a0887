using System.Runtime.CompilerServices;
using System.Text;

namespace Momo.Grammar.Matching;

/// <summary>The grammar's syntax tree (compiled by the matcher; never exposed outside the engine).</summary>
internal abstract record GrammarNode
{
    public sealed record Literal(string Text) : GrammarNode;

    public sealed record Sequence(IReadOnlyList<GrammarNode> Parts) : GrammarNode;

    public sealed record Choice(IReadOnlyList<GrammarNode> Options) : GrammarNode;

    public sealed record Repeat(GrammarNode Item, int Min, int Max) : GrammarNode;

    public sealed record Lazy(IReadOnlyList<string> Triggers, GrammarNode Structured) : GrammarNode;

    /// <summary>A terminal run by its own automaton: a JSON string under length and pattern limits, a bounded number.</summary>
    public sealed record Token(Lexeme Lexeme) : GrammarNode;

    /// <summary>
    /// A named node whose definition is set once after creation, so definitions can refer to themselves ($ref recursion).
    /// Equality is identity: structural equality would never end on a cycle.
    /// </summary>
    public sealed record Reference(string Name) : GrammarNode
    {
        private GrammarNode? _target;

        public GrammarNode Target
        {
            get => _target ?? throw new InvalidOperationException($"Reference '{Name}' was never defined.");
            set => _target = value;
        }

        public bool Equals(Reference? other) => ReferenceEquals(this, other);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);

        protected override bool PrintMembers(StringBuilder builder)
        {
            builder.Append(Name);
            return true;
        }
    }
}
