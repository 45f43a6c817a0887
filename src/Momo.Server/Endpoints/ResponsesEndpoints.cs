using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Dialects.Responses;
using Momo.Server.Generation;
using Momo.Server.Streaming;
using Momo.Server.Telemetry;

namespace Momo.Server.Endpoints;

/// <summary>
/// POST /v1/responses (OpenAI's Responses API, what Codex CLI speaks), streamed or not, with function calls,
/// namespaced functions, structured output and previous_response_id; POST /v1/responses/input_tokens counts a
/// request's prompt without generating; GET and DELETE /v1/responses/{id} read and forget a stored response.
/// </summary>
internal static class ResponsesEndpoints
{
    public static IEndpointRouteBuilder MapResponses(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/responses", CreateAsync)
            .WithName("CreateResponse")
            .WithSummary("Creates a model response with pyramid speculative decoding (OpenAI Responses API).")
            .Accepts<ResponsesRequest>("application/json")
            .Produces<ResponseObject>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        routes.MapPost("/responses/input_tokens", CountInputTokensAsync)
            .WithName("CountResponseInputTokens")
            .WithSummary("Counts the prompt tokens a Responses request would use.")
            .Accepts<ResponsesRequest>("application/json")
            .Produces<InputTokensResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        routes.MapGet("/responses/{id}", Retrieve)
            .WithName("GetResponse")
            .WithSummary("Returns a stored response as it was answered.")
            .Produces<ResponseObject>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        routes.MapDelete("/responses/{id}", Delete)
            .WithName("DeleteResponse")
            .WithSummary("Forgets a stored response.")
            .Produces<ResponseDeleted>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        return routes;
    }

    private static IResult Retrieve(string id, HttpContext http, ResponseStore store)
    {
        // A stored response is sent whole; replaying it as events is not supported.
        if (http.Request.Query.TryGetValue("stream", out var stream) && !string.Equals(stream.ToString(), "false", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.Invalid("stream is not supported when retrieving a response; it is returned whole.", "stream", "unsupported_parameter");
        }
        return TypedResults.Json(store.Response(id), MomoJsonContext.Default.ResponseObject);
    }

    private static IResult Delete(string id, ResponseStore store)
    {
        store.Delete(id);
        return TypedResults.Json(new ResponseDeleted(id), MomoJsonContext.Default.ResponseDeleted);
    }

    private static async Task<IResult> CountInputTokensAsync(HttpContext http, GenerationPipeline pipeline, ResponseStore store, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.ResponsesRequest);
        var count = pipeline.CountPromptTokens(ResponsesDialect.ToIntent(body, store, limits.Value).Intent);
        return TypedResults.Json(new InputTokensResponse(count), MomoJsonContext.Default.InputTokensResponse);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, GenerationPipeline pipeline, ResponseStore store, IOptions<LimitOptions> limits, ServerMetrics metrics)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.ResponsesRequest);
        var translation = ResponsesDialect.ToIntent(body, store, limits.Value);
        using var call = pipeline.Start(translation.Intent, ResponsesDialect.NewResponseId(), http.RequestAborted);
        metrics.RecordDroppedTools(translation.Tools.Dropped);
        var logprobs = call.Logprobs is null ? null : new MessageLogprobs(call.Runtime.Text);
        var writer = new ResponsesStreamWriter(ResponseEcho.InProgress(body, call.Id, call.Created, call.Runtime.ModelId), translation.Tools.Namespaces, logprobs);
        if (body.Stream == true)
        {
            await GenerationStream.WriteAsync(http, call, writer);
            Keep(store, body, writer.Finished, translation);
            return Results.Empty;
        }
        var finished = writer.Collect(await Answer.CollectAsync(call, http.RequestAborted));
        Keep(store, body, finished, translation);
        return TypedResults.Json(finished, MomoJsonContext.Default.ResponseObject);
    }

    // store: false responses are never kept, as OpenAI's are not; nor is a stream that failed.
    private static void Keep(ResponseStore store, ResponsesRequest body, ResponseObject? response, ResponsesTranslation translation)
    {
        if (body.Store != false && response is not null)
        {
            store.Add(response, [.. translation.Conversation, ResponseEcho.AsTurn(response.Output)]);
        }
    }
}
