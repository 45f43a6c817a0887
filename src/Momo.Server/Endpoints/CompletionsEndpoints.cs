using Momo.Engine;
using Momo.Server.Contracts;
using Momo.Server.Hosting;
using Momo.Server.Streaming;
using Momo.Server.Telemetry;
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

    private static async Task<IResult> CreateAsync(HttpContext http, RuntimeHolder holder, RequestSummaryLog log)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.CompletionRequest);
        var runtime = holder.Require();
        GenerationRequestFactory.CheckModel(body.Model, runtime);
        if (body.Prompt is not { Count: 1 } prompt)
        {
            throw ApiException.Invalid("prompt is required: one string (batches of prompts are not supported).", "prompt");
        }
        var tokens = runtime.Target.Vocabulary.Tokenize(prompt[0], addBos: true, parseSpecial: false);
        var id = EngineSubmission.NewId("cmpl-");
        var request = GenerationRequestFactory.Create(body, tokens, runtime, id);
        using var call = GenerationCall.Start(runtime, request, prompt[0], log, http.RequestAborted);
        if (body.Stream == true)
        {
            await StreamAsync(http, call, body.StreamOptions?.IncludeUsage == true);
            return Results.Empty;
        }
        var outcome = await GenerationOutcome.CollectAsync(call, http.RequestAborted);
        var choice = new CompletionChoice(0, outcome.Text, ResponseMapping.FinishReasonName(outcome.Finish));
        return TypedResults.Json(
            new CompletionResponse(id, "text_completion", call.Created, runtime.ModelId, [choice], call.Fingerprint,
                ResponseMapping.ToUsage(outcome.Statistics), ResponseMapping.ToSpeculative(outcome.Statistics)),
            MomoJsonContext.Default.CompletionResponse);
    }

    private static async Task StreamAsync(HttpContext http, GenerationCall call, bool includeUsage)
    {
        var aborted = http.RequestAborted;
        var events = new ServerSentEvents(http.Response);
        CompletionResponse Chunk(IReadOnlyList<CompletionChoice> choices) =>
            new(call.Id, "text_completion", call.Created, call.Runtime.ModelId, choices, call.Fingerprint);

        await events.StartAsync(aborted);
        await foreach (var update in call.ReadAllAsync(aborted))
        {
            if (call.FailureOf(update) is { } failure)
            {
                await StreamErrors.WriteAsync(events, failure.Error, aborted);
                break;
            }
            var finish = update.Finish is { } reason ? ResponseMapping.FinishReasonName(reason) : null;
            if (update.Text.Length > 0 || finish is not null)
            {
                var chunk = Chunk([new CompletionChoice(0, update.Text, finish)]) with
                {
                    Speculative = finish is null ? null : ResponseMapping.ToSpeculative(update.Statistics!),
                };
                await events.WriteAsync(chunk, MomoJsonContext.Default.CompletionResponse, aborted);
            }
            if (finish is not null && includeUsage)
            {
                await events.WriteAsync(Chunk([]) with { Usage = ResponseMapping.ToUsage(update.Statistics!) },
                    MomoJsonContext.Default.CompletionResponse, aborted);
            }
        }
        await events.DoneAsync(aborted);
    }
}
