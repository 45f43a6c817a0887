using System.Text.Json;
using Momo.Grammar.Matching;
using Momo.Grammar.Schema;

namespace Momo.Grammar;

/// <summary>
/// A grammar the generated text must follow, over its UTF-8 bytes: a JSON schema, literals, sequences, choices,
/// repetitions, and a lazy grammar that leaves text free until a trigger appears. Immutable and shareable across
/// requests. The engine masks every tier's row at a position with the tokens this grammar allows after the text
/// before that position, so the target's distribution is the constrained one and speculation stays exact with
/// respect to it; end-of-generation tokens are allowed only where the grammar may end.
/// </summary>
public sealed class OutputGrammar
{
    private readonly Lazy<CompiledGrammar> _compiled;

    private OutputGrammar(GrammarNode root)
    {
        Root = root;
        _compiled = new Lazy<CompiledGrammar>(() => new CompiledGrammar(root), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    internal GrammarNode Root { get; }

    /// <summary>The matcher, built on first use (the engine forces it when a request is submitted, so errors reach the caller).</summary>
    internal CompiledGrammar Compiled => _compiled.Value;

    /// <summary>Builds the matcher now, so that a grammar that cannot be compiled is refused on the caller's thread.</summary>
    /// <exception cref="GrammarException">The schema uses a feature outside the supported subset, or is malformed.</exception>
    public void Compile() => _ = Compiled;

    /// <summary>Text that must be a JSON value valid under <paramref name="schema"/> (the subset tools use).</summary>
    /// <exception cref="GrammarException">The schema uses a feature outside the supported subset, or is malformed.</exception>
    public static OutputGrammar JsonSchema(JsonElement schema) => new(JsonSchemaCompiler.Compile(schema));

    /// <summary>Any JSON object (<c>response_format: {"type": "json_object"}</c>).</summary>
    public static OutputGrammar AnyJsonObject() => new(JsonSchemaCompiler.AnyObject());

    /// <summary>Exactly <paramref name="text"/>.</summary>
    public static OutputGrammar Literal(string text) => new(new GrammarNode.Literal(text));

    /// <summary>Each part in turn.</summary>
    public static OutputGrammar Sequence(params OutputGrammar[] parts) => new(new GrammarNode.Sequence([.. parts.Select(p => p.Root)]));

    /// <summary>Any one of <paramref name="options"/>.</summary>
    public static OutputGrammar Choice(params OutputGrammar[] options) => new(new GrammarNode.Choice([.. options.Select(o => o.Root)]));

    /// <summary><paramref name="item"/> between <paramref name="min"/> and <paramref name="max"/> times (<see cref="int.MaxValue"/>: unbounded).</summary>
    public static OutputGrammar Repeat(OutputGrammar item, int min, int max) => new(new GrammarNode.Repeat(item.Root, min, max));

    /// <summary>
    /// Free text until one of <paramref name="triggers"/> appears in it; from the trigger's first byte on, the rest of
    /// the output must match <paramref name="structured"/>, which begins with that trigger. Text in which no trigger
    /// appears may end anywhere (how a model answers in prose or calls a tool under <c>tool_choice: "auto"</c>).
    /// </summary>
    public static OutputGrammar Lazy(IReadOnlyList<string> triggers, OutputGrammar structured) =>
        new(new GrammarNode.Lazy([.. triggers], structured.Root));
}
