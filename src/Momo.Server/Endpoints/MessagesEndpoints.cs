using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Dialects.Messages;
using Momo.Server.Generation;
using Momo.Server.Streaming;

namespace Momo.Server.Endpoints;

/// <summary>
/// POST /v1/messages and /v1/messages/count_tokens (Anthropic's Messages API), as Claude Code and the Anthropic SDKs
/// call them (<c>?beta=true</c>, <c>anthropic-version</c> and <c>anthropic-beta</c> are accepted and change nothing).
/// </summary>
internal static class MessagesEndpoints
{
    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/messages", CreateAsync)
            .WithName("CreateMessage")
            .WithSummary("Creates a message with pyramid speculative decoding (Anthropic Messages API).")
            .WithTags("Anthropic")
            .Accepts<MessagesRequest>("application/json")
            .Produces<MessagesResponse>()
            .Produces<AnthropicErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<AnthropicErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<AnthropicErrorResponse>(StatusCodes.Status429TooManyRequests);
        routes.MapPost("/messages/count_tokens", CountTokensAsync)
            .WithName("CountMessageTokens")
            .WithSummary("Counts the prompt tokens a message request would use (Anthropic Messages API).")
            .WithTags("Anthropic")
            .Accepts<MessagesRequest>("application/json")
            .Produces<TokenCount>()
            .Produces<AnthropicErrorResponse>(StatusCodes.Status400BadRequest);
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, GenerationPipeline pipeline, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, AnthropicJsonContext.Default.MessagesRequest);
        using var call = pipeline.Start(MessagesDialect.ToIntent(body, limits.Value, counting: false), MessagesDialect.NewMessageId(), http.RequestAborted);
        if (body.Stream == true)
        {
            await GenerationStream.WriteAsync(http, call, new MessagesStreamWriter(call));
            return Results.Empty;
        }
        var answer = await Answer.CollectAsync(call, http.RequestAborted);
        return TypedResults.Json(MessagesDialect.ToResponse(call, answer), AnthropicJsonContext.Default.MessagesResponse);
    }

    private static async Task<IResult> CountTokensAsync(HttpContext http, GenerationPipeline pipeline, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, AnthropicJsonContext.Default.MessagesRequest);
        var count = pipeline.CountPromptTokens(MessagesDialect.ToIntent(body, limits.Value, counting: true));
        return TypedResults.Json(new TokenCount(count), AnthropicJsonContext.Default.TokenCount);
    }
}
