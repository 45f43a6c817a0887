using System.Text;

namespace Momo.Grammar.Matching;

/// <summary>One symbol of a rule alternative: a byte from a set, another rule, or a lexeme.</summary>
internal abstract class Element
{
    public sealed class Byte(ByteSet set) : Element
    {
        public ByteSet Set { get; } = set;
    }

    public sealed class RuleRef(Rule rule) : Element
    {
        public Rule Rule { get; } = rule;
    }

    public sealed class Token(Lexeme lexeme) : Element
    {
        public Lexeme Lexeme { get; } = lexeme;
    }
}

/// <summary>A nonterminal: any one of its alternatives, each a sequence of elements (an empty one matches nothing).</summary>
internal sealed class Rule
{
    public List<Element[]> Alternatives { get; } = [];
}

/// <summary>
/// Lowers grammar nodes to rules. Bounded repetitions are unrolled (nested optional rules); unbounded ones become a
/// right-recursive rule; references become one shared rule each, which is how recursion ($ref) works.
/// </summary>
internal sealed class GrammarRules
{
    /// <summary>Most unrolled copies of a bounded repetition (maxItems and the like).</summary>
    public const int MaxUnrolled = 10_000;

    private readonly Dictionary<GrammarNode.Reference, Rule> _references = [];
    // Schemas share sub-nodes (an object's optional members); lowering each node once keeps the rules linear in size.
    private readonly Dictionary<GrammarNode, List<Element>> _lowered = new(ReferenceEqualityComparer.Instance);

    /// <summary>The root rule of <paramref name="node"/>.</summary>
    public static Rule Lower(GrammarNode node)
    {
        var rules = new GrammarRules();
        var root = new Rule();
        root.Alternatives.Add([.. rules.Elements(node)]);
        return root;
    }

    private List<Element> Elements(GrammarNode node)
    {
        if (!_lowered.TryGetValue(node, out var elements))
        {
            _lowered[node] = elements = LowerNode(node);
        }
        return elements;
    }

    private List<Element> LowerNode(GrammarNode node)
    {
        switch (node)
        {
            case GrammarNode.Literal literal:
                return [.. Encoding.UTF8.GetBytes(literal.Text).Select(b => (Element)new Element.Byte(ByteSet.Of(b)))];
            case GrammarNode.Sequence sequence:
                return [.. sequence.Parts.SelectMany(Elements)];
            case GrammarNode.Choice choice:
                var rule = new Rule();
                rule.Alternatives.AddRange(choice.Options.Select(o => Elements(o).ToArray()));
                return [new Element.RuleRef(rule)];
            case GrammarNode.Repeat repeat:
                return Repeat(repeat);
            case GrammarNode.Token token:
                return [new Element.Token(token.Lexeme)];
            case GrammarNode.Reference reference:
                return [new Element.RuleRef(Referenced(reference))];
            case GrammarNode.Lazy:
                throw new GrammarException("A lazy grammar can only be the outermost grammar.", "");
            default:
                throw new GrammarException($"Unknown grammar node {node.GetType().Name}.", "");
        }
    }

    private Rule Referenced(GrammarNode.Reference reference)
    {
        if (!_references.TryGetValue(reference, out var rule))
        {
            // Registered before lowering its target, so a reference inside its own definition finds it.
            _references[reference] = rule = new Rule();
            rule.Alternatives.Add([.. Elements(reference.Target)]);
        }
        return rule;
    }

    private List<Element> Repeat(GrammarNode.Repeat repeat)
    {
        if (repeat.Min < 0 || repeat.Max < repeat.Min)
        {
            throw new GrammarException($"Repetition bounds {repeat.Min}..{repeat.Max} are invalid.", "");
        }
        var item = Elements(repeat.Item);
        var result = new List<Element>();
        for (var i = 0; i < repeat.Min; i++)
        {
            result.AddRange(item);
        }
        if (repeat.Max == int.MaxValue)
        {
            if (item.Count == 0)
            {
                return result;
            }
            var star = new Rule();
            star.Alternatives.Add([.. item, new Element.RuleRef(star)]);
            star.Alternatives.Add([]);
            result.Add(new Element.RuleRef(star));
            return result;
        }
        if (repeat.Max - repeat.Min > MaxUnrolled)
        {
            throw new GrammarException($"Bounded repetitions above {MaxUnrolled} are not supported; leave the maximum out.", "");
        }
        Rule? optional = null;
        for (var k = 0; k < repeat.Max - repeat.Min; k++)
        {
            var next = new Rule();
            next.Alternatives.Add(optional is null ? [.. item] : [.. item, new Element.RuleRef(optional)]);
            next.Alternatives.Add([]);
            optional = next;
        }
        if (optional is not null)
        {
            result.Add(new Element.RuleRef(optional));
        }
        return result;
    }
}
