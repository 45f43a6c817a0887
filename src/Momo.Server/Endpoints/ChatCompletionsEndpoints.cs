using Microsoft.Extensions.Options;
using Momo.Engine;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Hosting;
using Momo.Server.Logprobs;
using Momo.Server.Streaming;
using Momo.Server.Telemetry;
using Momo.Server.Tools;
using Momo.Server.Validation;

namespace Momo.Server.Endpoints;

/// <summary>POST /v1/chat/completions, streamed (SSE) or not, with tool calls and structured output.</summary>
internal static class ChatCompletionsEndpoints
{
    public static IEndpointRouteBuilder MapChatCompletions(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/chat/completions", CreateAsync)
            .WithName("CreateChatCompletion")
            .WithSummary("Creates a chat completion with pyramid speculative decoding (OpenAI-compatible).")
            .Accepts<ChatCompletionRequest>("application/json")
            .Produces<ChatCompletionResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, RuntimeHolder holder, RequestSummaryLog log, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.ChatCompletionRequest);
        var runtime = holder.Require();
        GenerationRequestFactory.CheckModel(body.Model, runtime);
        RequestLimitCheck.CheckBody(body, limits.Value);
        var (prompt, tools, syntax) = ChatPrompt.Render(body, runtime);
        var grammar = ToolGrammar.Build(tools, syntax);
        var tokens = runtime.Text.Tokenize(prompt, addBos: true, parseSpecial: true);
        RequestLimitCheck.CheckPrompt(tokens.Length, limits.Value, "messages");
        var id = EngineSubmission.NewId("chatcmpl-");
        var request = GenerationRequestFactory.Create(body, tokens, runtime, id) with
        {
            Grammar = grammar,
            // request_success counts an answer that called tools as tool_calls, as the answer itself says.
            StopLabel = tools.MayCall ? text => ToolCallAnswer.Split(text, new ToolCallParser(syntax)).Called ? "tool_calls" : "stop" : null,
            TopLogprobs = LogprobsRequest.Read(body, chat: true),
        };
        var parser = tools.MayCall ? new ToolCallParser(syntax) : null;
        using var call = GenerationCall.Start(runtime, request, prompt, log, http.RequestAborted, tools.MayCall ? "tools" : "response_format");
        if (body.Stream == true)
        {
            await GenerationStream.WriteAsync(http, call, body.StreamOptions?.IncludeUsage == true, new ChatStreamShape(parser));
            return Results.Empty;
        }
        var outcome = await GenerationOutcome.CollectAsync(call, http.RequestAborted);
        var (message, called) = parser is null ? (new AssistantMessage("assistant", outcome.Text), false) : ToolCallAnswer.Split(outcome.Text, parser);
        var finish = called && outcome.Finish == FinishReason.Stop ? "tool_calls" : outcome.Finish.ToApiName();
        return TypedResults.Json(
            new ChatCompletionResponse(id, "chat.completion", call.Created, runtime.ModelId, [new ChatChoice(0, message, finish, outcome.Logprobs is { } logprobs ? LogprobsMapper.ToChat(logprobs, runtime.Text) : null)],
                ResponseMapping.ToUsage(outcome.Statistics), ResponseMapping.ToSpeculative(outcome.Statistics), call.Fingerprint),
            MomoJsonContext.Default.ChatCompletionResponse);
    }
}
