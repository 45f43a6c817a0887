using System.Text;

namespace Momo.Grammar.Matching;

/// <summary>
/// A grammar ready to match bytes: the lowered rules, and for a lazy grammar its triggers. Stateless and thread-safe;
/// every match state it returns is immutable, so a sequence can keep one per position and branch from any of them.
/// </summary>
internal sealed class CompiledGrammar
{
    // A chain of rules entered without consuming a byte deeper than this is left recursion (or absurd nesting).
    private const int MaxExpansionDepth = 2_000;

    private readonly Rule _root;
    private readonly byte[][] _triggers;
    private readonly int[][] _failure; // per trigger: KMP failure function

    public CompiledGrammar(GrammarNode root)
    {
        if (root is GrammarNode.Lazy lazy)
        {
            if (lazy.Triggers.Count == 0 || lazy.Triggers.Any(string.IsNullOrEmpty))
            {
                throw new GrammarException("A lazy grammar needs at least one non-empty trigger.", "");
            }
            _triggers = [.. lazy.Triggers.Select(Encoding.UTF8.GetBytes)];
            _failure = [.. _triggers.Select(Failure)];
            _root = GrammarRules.Lower(lazy.Structured);
            TriggerLastBytes = [.. _triggers.Select(t => t[^1]).Distinct()];
        }
        else
        {
            _triggers = [];
            _failure = [];
            _root = GrammarRules.Lower(root);
        }
        Start = _triggers.Length > 0 ? new MatchState([], false, new int[_triggers.Length]) : StructuredStart();
    }

    /// <summary>The state before any output.</summary>
    public MatchState Start { get; }

    /// <summary>The bytes that end a trigger: free text without them cannot complete one, so it stays free.</summary>
    public IReadOnlyList<byte> TriggerLastBytes { get; private init; } = [];

    /// <summary>The state after <paramref name="bytes"/>, or null when the grammar does not allow them.</summary>
    public MatchState? Advance(MatchState state, ReadOnlySpan<byte> bytes)
    {
        MatchState? current = state;
        for (var i = 0; i < bytes.Length && current is not null; i++)
        {
            current = Advance(current, bytes[i]);
        }
        return current;
    }

    /// <summary>The state after one byte, or null when the grammar does not allow it.</summary>
    public MatchState? Advance(MatchState state, byte value)
    {
        if (state.TriggerProgress is { } progress)
        {
            return AdvanceFree(progress, value);
        }
        // Most bytes are refused in most states (a mask walk tries every first byte): nothing is allocated for them.
        StateBuilder? builder = null;
        foreach (var head in state.Heads)
        {
            var element = head.Alternative[head.Position];
            if (element is Element.Byte bytes)
            {
                if (bytes.Set.Contains(value))
                {
                    (builder ??= new StateBuilder()).ExpandFrom(head.Alternative, head.Position + 1, head.Parent, 0);
                }
                continue;
            }
            var lexeme = ((Element.Token)element).Lexeme;
            if (lexeme.Step(head.Lexeme!, value) is not { } next)
            {
                continue;
            }
            builder ??= new StateBuilder();
            if (lexeme.IsClosed(next))
            {
                builder.ExpandFrom(head.Alternative, head.Position + 1, head.Parent, 0);
            }
            else
            {
                builder.AddLexeme(head.Alternative, head.Position, lexeme, next, head.Parent);
            }
        }
        return builder?.Build();
    }

    private MatchState StructuredStart()
    {
        var builder = new StateBuilder();
        builder.ExpandFrom(_root.Alternatives[0], 0, null, 0);
        return builder.Build() ?? throw new GrammarException("The grammar matches nothing.", "");
    }

    private MatchState? AdvanceFree(int[] progress, byte value)
    {
        var next = new int[progress.Length];
        for (var t = 0; t < _triggers.Length; t++)
        {
            var trigger = _triggers[t];
            var k = progress[t];
            while (k > 0 && trigger[k] != value)
            {
                k = _failure[t][k - 1];
            }
            k += trigger[k] == value ? 1 : 0;
            if (k == trigger.Length)
            {
                // From the trigger's first byte on, the text must match the structured grammar, which begins with it.
                return Advance(StructuredStart(), trigger);
            }
            next[t] = k;
        }
        return new MatchState([], false, next);
    }

    private static int[] Failure(byte[] pattern)
    {
        var failure = new int[pattern.Length];
        for (int i = 1, k = 0; i < pattern.Length; i++)
        {
            while (k > 0 && pattern[i] != pattern[k])
            {
                k = failure[k - 1];
            }
            k += pattern[i] == pattern[k] ? 1 : 0;
            failure[i] = k;
        }
        return failure;
    }

    /// <summary>Collects the heads reachable without consuming a byte, without duplicates.</summary>
    private sealed class StateBuilder
    {
        private readonly List<Head> _heads = [];
        private HashSet<Head>? _seen;
        private bool _complete;

        public MatchState? Build() => _heads.Count == 0 && !_complete ? null : new MatchState([.. _heads], _complete, null);

        public void ExpandFrom(Element[] alternative, int position, Frame? parent, int depth)
        {
            if (depth > MaxExpansionDepth)
            {
                throw new GrammarException("The grammar is left-recursive (a rule can reach itself without consuming text).", "");
            }
            while (position == alternative.Length)
            {
                if (parent is null)
                {
                    _complete = true;
                    return;
                }
                (alternative, position, parent) = (parent.Alternative, parent.Position + 1, parent.Parent);
            }
            switch (alternative[position])
            {
                case Element.Byte:
                    Add(new Head(alternative, position, null, parent));
                    break;
                case Element.Token token:
                    AddLexeme(alternative, position, token.Lexeme, token.Lexeme.Start, parent);
                    break;
                case Element.RuleRef reference:
                    var frame = new Frame(alternative, position, parent);
                    foreach (var option in reference.Rule.Alternatives)
                    {
                        ExpandFrom(option, 0, frame, depth + 1);
                    }
                    break;
            }
        }

        public void AddLexeme(Element[] alternative, int position, Lexeme lexeme, object state, Frame? parent)
        {
            Add(new Head(alternative, position, state, parent));
            if (lexeme.IsAccepting(state))
            {
                // The lexeme may end here (a number): what follows it may come next as well.
                ExpandFrom(alternative, position + 1, parent, 0);
            }
        }

        private void Add(Head head)
        {
            if (_heads.Count < 4)
            {
                if (!_heads.Contains(head))
                {
                    _heads.Add(head);
                }
                return;
            }
            if (_seen is null)
            {
                _seen = [.. _heads];
            }
            if (_seen.Add(head))
            {
                _heads.Add(head);
            }
        }
    }
}
