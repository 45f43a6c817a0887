using System.Text.Json;

namespace Momo.Server.Tools;

/// <summary>A function the client offers the model (<c>tools[i]</c> of type function).</summary>
/// <param name="Name">Function name (OpenAI's rule: 1–64 of a–z, A–Z, 0–9, _ and -).</param>
/// <param name="Parameters">The arguments' JSON schema, or null when the function takes none given.</param>
/// <param name="PromptJson">The tool as the model reads it in the prompt: compact JSON of <c>{"type":"function","function":...}</c>.</param>
/// <param name="SchemaParam">The request field holding <paramref name="Parameters"/>, named when its schema is refused.</param>
internal sealed record ToolDefinition(string Name, JsonElement? Parameters, string PromptJson, string SchemaParam)
{
    /// <summary>Left out of the prompt but still callable (Anthropic's <c>defer_loading</c>: the client reveals it later).</summary>
    public bool Deferred { get; init; }
}

/// <summary>What <c>tool_choice</c> asks for.</summary>
internal enum ToolChoiceKind
{
    /// <summary>The model answers in prose or calls tools.</summary>
    Auto,

    /// <summary>No calls; the tools stay in the prompt as context.</summary>
    None,

    /// <summary>At least one call.</summary>
    Required,

    /// <summary>Exactly one call of one named function.</summary>
    Named,
}

/// <summary>What <c>response_format</c> asks for.</summary>
internal enum ResponseFormatKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>Any JSON object.</summary>
    JsonObject,

    /// <summary>JSON valid under a schema.</summary>
    JsonSchema,
}

/// <summary>
/// The request's tools, tool choice, parallel calls and response format, read and checked once.
/// </summary>
/// <param name="Tools">Offered functions, in the request's order.</param>
/// <param name="Choice">What the model may or must do with them.</param>
/// <param name="NamedFunction">The function <see cref="ToolChoiceKind.Named"/> forces.</param>
/// <param name="ParallelCalls">Whether one answer may hold several calls.</param>
/// <param name="Format">Structured output asked by response_format.</param>
/// <param name="Schema">The schema of <see cref="ResponseFormatKind.JsonSchema"/>.</param>
internal sealed record ToolRequest(
    IReadOnlyList<ToolDefinition> Tools, ToolChoiceKind Choice, string? NamedFunction, bool ParallelCalls, ResponseFormatKind Format, JsonElement? Schema)
{
    /// <summary>No tools, free text.</summary>
    public static ToolRequest Plain { get; } = new([], ToolChoiceKind.None, null, true, ResponseFormatKind.Text, null);

    /// <summary>Whether the model may call tools, so its output must be parsed for calls.</summary>
    public bool MayCall => Tools.Count > 0 && Choice != ToolChoiceKind.None;

    /// <summary>The tools the prompt lists (all but the deferred ones).</summary>
    public IReadOnlyList<ToolDefinition> PromptTools => [.. Tools.Where(t => !t.Deferred)];

    /// <summary>The structured-output field, named when it is refused (response_format, output_config.format).</summary>
    public string FormatParam { get; init; } = "response_format";

    /// <summary>The field holding <see cref="Schema"/>, named when the schema is refused.</summary>
    public string SchemaParam { get; init; } = "response_format.json_schema.schema";
}
