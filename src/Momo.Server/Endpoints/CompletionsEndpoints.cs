using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Dialects.Completions;
using Momo.Server.Generation;
using Momo.Server.Streaming;

namespace Momo.Server.Endpoints;

/// <summary>POST /v1/completions (OpenAI's legacy text completions), streamed or not.</summary>
internal static class CompletionsEndpoints
{
    public static IEndpointRouteBuilder MapCompletions(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/completions", CreateAsync)
            .WithName("CreateCompletion")
            .WithSummary("Continues a raw prompt with pyramid speculative decoding (OpenAI-compatible).")
            .Accepts<CompletionRequest>("application/json")
            .Produces<CompletionResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, GenerationPipeline pipeline, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.CompletionRequest);
        using var call = pipeline.Start(CompletionDialect.ToIntent(body, limits.Value), EngineSubmission.NewId("cmpl-"), http.RequestAborted);
        if (body.Stream == true)
        {
            await GenerationStream.WriteAsync(http, call, new CompletionStreamWriter(call, body.StreamOptions?.IncludeUsage == true));
            return Results.Empty;
        }
        var answer = await Answer.CollectAsync(call, http.RequestAborted);
        return TypedResults.Json(CompletionDialect.ToResponse(call, answer), MomoJsonContext.Default.CompletionResponse);
    }
}
