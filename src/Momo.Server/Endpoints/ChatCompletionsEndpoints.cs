using Microsoft.Extensions.Options;
using Momo.Engine;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Hosting;
using Momo.Server.Streaming;
using Momo.Server.Telemetry;
using Momo.Server.Validation;

namespace Momo.Server.Endpoints;

/// <summary>POST /v1/chat/completions, streamed (SSE) or not.</summary>
internal static class ChatCompletionsEndpoints
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

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
        var prompt = runtime.Text.RenderChat(Messages(body));
        var tokens = runtime.Text.Tokenize(prompt, addBos: true, parseSpecial: true);
        RequestLimitCheck.CheckPrompt(tokens.Length, limits.Value, "messages");
        var id = EngineSubmission.NewId("chatcmpl-");
        var request = GenerationRequestFactory.Create(body, tokens, runtime, id);
        using var call = GenerationCall.Start(runtime, request, prompt, log, http.RequestAborted);
        if (body.Stream == true)
        {
            await GenerationStream.WriteAsync(http, call, body.StreamOptions?.IncludeUsage == true, ChatStreamShape.Instance);
            return Results.Empty;
        }
        var outcome = await GenerationOutcome.CollectAsync(call, http.RequestAborted);
        var choice = new ChatChoice(0, new AssistantMessage("assistant", outcome.Text), outcome.Finish.ToApiName());
        return TypedResults.Json(
            new ChatCompletionResponse(id, "chat.completion", call.Created, runtime.ModelId, [choice],
                ResponseMapping.ToUsage(outcome.Statistics), ResponseMapping.ToSpeculative(outcome.Statistics), call.Fingerprint),
            MomoJsonContext.Default.ChatCompletionResponse);
    }

    private static List<(string Role, string Content)> Messages(ChatCompletionRequest body)
    {
        if (body.Messages is not { Count: > 0 } messages)
        {
            throw ApiException.Invalid("messages is required and must hold at least one message.", "messages");
        }
        var result = new List<(string, string)>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i].Role;
            if (role is null || !Roles.Contains(role))
            {
                throw ApiException.Invalid($"messages[{i}].role must be one of {string.Join(", ", Roles)}.", $"messages[{i}].role");
            }
            result.Add((role == "developer" ? "system" : role, messages[i].Content ?? ""));
        }
        return result;
    }
}
