using System.Text;
using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Dialects.Chat;
using Momo.Server.Generation;
using Momo.Server.Hosting;

namespace Momo.Server.Endpoints;

/// <summary>
/// llama-server's tokenizer routes, with its request and answer shapes: POST /tokenize, /detokenize and
/// /apply-template. They use the target's tokenizer and chat template, exactly as the generation endpoints do.
/// </summary>
internal static class TokenizerEndpoints
{
    public static IEndpointRouteBuilder MapTokenizer(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("llama.cpp");
        group.MapPost("/tokenize", TokenizeAsync)
            .WithName("Tokenize")
            .WithSummary("Tokenizes text with the target's tokenizer (llama-server's /tokenize).")
            .Accepts<TokenizeRequest>("application/json")
            .Produces<TokenizeResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        group.MapPost("/detokenize", DetokenizeAsync)
            .WithName("Detokenize")
            .WithSummary("Turns token ids back into text (llama-server's /detokenize).")
            .Accepts<DetokenizeRequest>("application/json")
            .Produces<DetokenizeResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        group.MapPost("/apply-template", ApplyTemplateAsync)
            .WithName("ApplyTemplate")
            .WithSummary("Renders chat messages into the prompt the chat endpoint would decode (llama-server's /apply-template).")
            .Accepts<ChatCompletionRequest>("application/json")
            .Produces<ApplyTemplateResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        return routes;
    }

    private static async Task<IResult> TokenizeAsync(HttpContext http, RuntimeHolder holder)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.TokenizeRequest);
        var text = holder.Require().Text;
        if (body.Content is not { } content)
        {
            throw ApiException.Invalid("content is required: the text to tokenize.", "content");
        }
        var tokens = text.Tokenize(content, addBos: body.AddSpecial ?? false, parseSpecial: body.ParseSpecial ?? true);
        return body.WithPieces == true
            ? TypedResults.Json(
                new TokenizeWithPiecesResponse([.. tokens.Select(token => new TokenPiece(token, text.Spelling(token)))]),
                MomoJsonContext.Default.TokenizeWithPiecesResponse)
            : TypedResults.Json(new TokenizeResponse(tokens), MomoJsonContext.Default.TokenizeResponse);
    }

    private static async Task<IResult> DetokenizeAsync(HttpContext http, RuntimeHolder holder)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.DetokenizeRequest);
        var text = holder.Require().Text;
        if (body.Tokens is not { } tokens)
        {
            throw ApiException.Invalid("tokens is required: the token ids to turn into text.", "tokens");
        }
        var bytes = new List<byte>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] < 0 || tokens[i] >= text.Count)
            {
                throw ApiException.Invalid($"tokens[{i}] = {tokens[i]} is not a token id: the vocabulary has ids 0 to {text.Count - 1}.", $"tokens[{i}]", "invalid_token");
            }
            bytes.AddRange(text.Spelling(tokens[i]));
        }
        // Ids that end inside a character (byte-fallback tokens) decode to U+FFFD, never to an error.
        return TypedResults.Json(new DetokenizeResponse(Encoding.UTF8.GetString([.. bytes])), MomoJsonContext.Default.DetokenizeResponse);
    }

    // The chat completions intent through the pipeline's own rendering: exactly the prompt that route would decode.
    private static async Task<IResult> ApplyTemplateAsync(HttpContext http, GenerationPipeline pipeline, IOptions<LimitOptions> limits)
    {
        var body = await EngineSubmission.ReadBodyAsync(http.Request, MomoJsonContext.Default.ChatCompletionRequest);
        var prompt = pipeline.RenderPrompt(ChatDialect.ToIntent(body, limits.Value));
        return TypedResults.Json(new ApplyTemplateResponse(prompt), MomoJsonContext.Default.ApplyTemplateResponse);
    }
}
