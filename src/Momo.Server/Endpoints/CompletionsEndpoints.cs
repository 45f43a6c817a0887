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

    private static async Task<IResult> CreateAsync(HttpContext http, RuntimeHolder holder, RequestSummaryLog log, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.CompletionRequest);
        var runtime = holder.Require();
        GenerationRequestFactory.CheckModel(body.Model, runtime);
        RequestLimitCheck.CheckBody(body, limits.Value);
        if (body.Prompt is not { Count: 1 } prompt)
        {
            throw ApiException.Invalid("prompt is required: one string (batches of prompts are not supported).", "prompt");
        }
        // response_format applies here too; tools do not (the reader refuses them).
        var grammar = ToolGrammar.Build(ToolRequestReader.Read(body, chat: false), ToolCallSyntax.Generic);
        var tokens = runtime.Text.Tokenize(prompt[0], addBos: true, parseSpecial: false);
        RequestLimitCheck.CheckPrompt(tokens.Length, limits.Value, "prompt");
        var id = EngineSubmission.NewId("cmpl-");
        var request = GenerationRequestFactory.Create(body, tokens, runtime, id) with
        {
            Grammar = grammar,
            TopLogprobs = LogprobsRequest.Read(body, chat: false),
        };
        using var call = GenerationCall.Start(runtime, request, prompt[0], log, http.RequestAborted, "response_format");
        if (body.Stream == true)
        {
            await GenerationStream.WriteAsync(http, call, body.StreamOptions?.IncludeUsage == true, CompletionStreamShape.Instance);
            return Results.Empty;
        }
        var outcome = await GenerationOutcome.CollectAsync(call, http.RequestAborted);
        var choice = new CompletionChoice(0, outcome.Text, outcome.Finish.ToApiName(),
            outcome.Logprobs is { } logprobs ? LogprobsMapper.ToCompletion(logprobs, runtime.Text) : null);
        return TypedResults.Json(
            new CompletionResponse(id, "text_completion", call.Created, runtime.ModelId, [choice], call.Fingerprint,
                ResponseMapping.ToUsage(outcome.Statistics), ResponseMapping.ToSpeculative(outcome.Statistics)),
            MomoJsonContext.Default.CompletionResponse);
    }
}
