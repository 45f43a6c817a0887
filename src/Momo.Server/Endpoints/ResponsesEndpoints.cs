using Microsoft.Extensions.Options;
using Momo.Engine;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Hosting;
using Momo.Server.Responses;
using Momo.Server.Telemetry;
using Momo.Server.Tools;
using Momo.Server.Validation;

namespace Momo.Server.Endpoints;

/// <summary>
/// POST /v1/responses (OpenAI's Responses API, what Codex CLI speaks), streamed or not, with function calls,
/// namespaced functions, structured output and previous_response_id; POST /v1/responses/input_tokens counts a
/// request's prompt without generating.
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
        return routes;
    }

    private static async Task<IResult> CountInputTokensAsync(HttpContext http, RuntimeHolder holder, ResponseStore store, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.ResponsesRequest);
        var prompt = ResponsesPrompt.Build(body, holder.Require(), store, limits.Value);
        return TypedResults.Json(new InputTokensResponse(prompt.Tokens.Length), MomoJsonContext.Default.InputTokensResponse);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, RuntimeHolder holder, RequestSummaryLog log, IOptions<LimitOptions> limits, ResponseStore store, ServerMetrics metrics)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.ResponsesRequest);
        var runtime = holder.Require();
        var prompt = ResponsesPrompt.Build(body, runtime, store, limits.Value);
        var id = EngineSubmission.NewId("resp_");
        var request = GenerationRequestFactory.Create(body, prompt.Tokens, runtime, id);
        var mayCall = prompt.Choice.MayCall;
        request = request with
        {
            MaxTokens = Math.Min(request.MaxTokens, body.MaxOutputTokens ?? int.MaxValue),
            Grammar = prompt.Grammar,
            // request_success counts an answer that called functions as tool_calls, as chat completions does.
            StopLabel = mayCall ? text => ToolCallAnswer.Split(text, new ToolCallParser(prompt.Syntax)).Called ? "tool_calls" : "stop" : null,
        };
        metrics.RecordDroppedTools(prompt.Tools.Dropped);
        var assembler = new ResponseAssembler(mayCall ? new ToolCallParser(prompt.Syntax) : null, prompt.Tools.Namespaces);
        using var call = GenerationCall.Start(runtime, request, prompt.Text, log, http.RequestAborted, mayCall ? "tools" : "text.format");
        var inProgress = ResponseEcho.InProgress(body, id, call.Created, runtime.ModelId);
        if (body.Stream == true)
        {
            if (await ResponseEventStream.WriteAsync(http, call, assembler, inProgress) is { } streamed)
            {
                Keep(store, body, streamed, prompt);
            }
            return Results.Empty;
        }
        var outcome = await GenerationOutcome.CollectAsync(call, http.RequestAborted);
        assembler.Text(outcome.Text);
        assembler.Finish(outcome.Finish == FinishReason.Length);
        var finished = ResponseEcho.Finished(inProgress, assembler.Output, outcome.Finish, outcome.Statistics);
        Keep(store, body, finished, prompt);
        return TypedResults.Json(finished, MomoJsonContext.Default.ResponseObject);
    }

    // store: false responses are never kept, as OpenAI's.
    private static void Keep(ResponseStore store, ResponsesRequest body, ResponseObject response, ResponsesPrompt prompt)
    {
        if (body.Store != false)
        {
            store.Add(response.Id, [.. prompt.Conversation, ResponseEcho.AsTurn(response.Output)]);
        }
    }
}
