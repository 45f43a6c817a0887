using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Dialects.Chat;
using Momo.Server.Generation;
using Momo.Server.Streaming;

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

    private static async Task<IResult> CreateAsync(HttpContext http, GenerationPipeline pipeline, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.ChatCompletionRequest);
        using var call = pipeline.Start(ChatDialect.ToIntent(body, limits.Value), EngineSubmission.NewId("chatcmpl-"), http.RequestAborted);
        if (body.Stream == true)
        {
            await GenerationStream.WriteAsync(http, call, new ChatStreamWriter(call, body.StreamOptions?.IncludeUsage == true));
            return Results.Empty;
        }
        var answer = await Answer.CollectAsync(call, http.RequestAborted);
        return TypedResults.Json(ChatDialect.ToResponse(call, answer), MomoJsonContext.Default.ChatCompletionResponse);
    }
}
