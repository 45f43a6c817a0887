using System.Text.Json;

namespace Momo.Server.Contracts;

/// <summary>
/// Body of POST /v1/responses and /v1/responses/input_tokens (OpenAI's Responses API). The sampling fields and the
/// <c>speculative</c> extension are the shared ones; <c>tools</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c>,
/// <c>text</c>, <c>reasoning</c>, <c>include</c> and the rest stay in <see cref="GenerationParameters.Extra"/> as
/// raw JSON, read and checked by the Responses readers with exact field paths.
/// </summary>
internal sealed class ResponsesRequest : GenerationParameters
{
    /// <summary>A string (one user message) or an array of input items.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>A system message placed before everything else; not carried to a later response by previous_response_id.</summary>
    public string? Instructions { get; init; }

    /// <summary>Most output tokens.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>A stored response whose input and output come before this input.</summary>
    public string? PreviousResponseId { get; init; }

    /// <summary>Keep the response for previous_response_id (default true).</summary>
    public bool? Store { get; init; }
}
