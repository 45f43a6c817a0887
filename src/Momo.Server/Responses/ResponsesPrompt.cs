using Momo.Engine.Constraints;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Hosting;
using Momo.Server.Tools;
using Momo.Server.Validation;

namespace Momo.Server.Responses;

/// <summary>
/// A Responses request translated into what the chat path renders: the conversation (a stored previous response's,
/// then this input), instructions as the first system turn, the tools and their grammar, the prompt text and its
/// tokens. POST /v1/responses generates from it; /v1/responses/input_tokens counts it.
/// </summary>
/// <param name="Conversation">The turns to store for a later previous_response_id (instructions excluded).</param>
/// <param name="Tools">The functions offered, their namespaces and the tools left out.</param>
/// <param name="Choice">Tool choice, parallel calls and text format, as chat completions reads them.</param>
/// <param name="Syntax">The model family's tool-call syntax.</param>
/// <param name="Grammar">The output grammar (calls or structured output), or null for free text.</param>
/// <param name="Text">The rendered prompt.</param>
/// <param name="Tokens">The prompt's tokens.</param>
internal sealed record ResponsesPrompt(
    IReadOnlyList<ChatTurn> Conversation, ResponsesTools Tools, ToolRequest Choice, ToolCallSyntax Syntax, OutputGrammar? Grammar, string Text, int[] Tokens)
{
    /// <summary>Checks and translates <paramref name="body"/>; every refusal is a 400 naming the field.</summary>
    public static ResponsesPrompt Build(ResponsesRequest body, ModelRuntime runtime, ResponseStore store, LimitOptions limits)
    {
        GenerationRequestFactory.CheckModel(body.Model, runtime);
        var extra = body.Extra ?? [];
        ResponsesFields.Check(extra);
        RequestLimitCheck.CheckBody(body, limits);
        if (body.MaxOutputTokens is { } max && (max < 1 || max > limits.MaxTokensCap))
        {
            throw ApiException.Invalid(max < 1
                ? $"max_output_tokens must be at least 1, got {max}."
                : $"max_output_tokens={max} is above the limit of {limits.MaxTokensCap} (Momo:Limits:MaxTokensCap).", "max_output_tokens");
        }
        var previous = body.PreviousResponseId is { } id ? store.Conversation(id) : [];
        var conversation = ResponsesInputReader.Read(body.Input, previous, limits.MaxMessages);
        var tools = ResponsesTools.Read(extra.GetValueOrDefault("tools"));
        var choice = ResponsesChoiceReader.Read(extra, tools);
        var syntax = ToolCallSyntax.For(ToolCallSyntax.Detect(runtime.Text.ChatTemplate));
        var grammar = CompileGrammar(choice, syntax, tools);
        List<ChatTurn> turns = string.IsNullOrEmpty(body.Instructions) ? [.. conversation] : [new ChatTurn("system", body.Instructions, []), .. conversation];
        var text = runtime.Text.RenderChat(ToolPromptRenderer.Render(turns, choice.Tools, syntax));
        var tokens = runtime.Text.Tokenize(text, addBos: true, parseSpecial: true);
        RequestLimitCheck.CheckPrompt(tokens.Length, limits, "input");
        return new ResponsesPrompt(conversation, tools, choice, syntax, grammar, text, tokens);
    }

    // The grammar builder names chat completions' fields in its refusals; here they become the Responses paths.
    private static OutputGrammar? CompileGrammar(ToolRequest choice, ToolCallSyntax syntax, ResponsesTools tools)
    {
        try
        {
            return ToolGrammar.Build(choice, syntax);
        }
        catch (ApiException refused) when (refused.Error.Param is { } param)
        {
            var renamed = param.StartsWith("response_format", StringComparison.Ordinal)
                ? "text.format.schema"
                : tools.Paths[int.Parse(param[(param.IndexOf('[') + 1)..param.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture)] + ".parameters";
            throw new ApiException(refused.Status, refused.Error with { Param = renamed, Message = refused.Error.Message.Replace(param, renamed, StringComparison.Ordinal) });
        }
    }
}
