using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Momo.Server.Contracts;

/// <summary>
/// The JSON every body and server-sent event is written with: the contracts' source-generated metadata, with the
/// relaxed encoder, so strings read as OpenAI writes them (<c>"{\"city\": \"Osaka\"}"</c>, non-ASCII text as UTF-8)
/// rather than <c>\u0022</c> and <c>\uXXXX</c> escapes.
/// </summary>
/// <remarks>
/// "Unsafe" in <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> is about pasting the output into HTML or a
/// script: it leaves <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and <c>'</c> as they are. This server only answers
/// <c>application/json</c> and <c>text/event-stream</c>, and the encoder still escapes what JSON itself requires
/// (quotes, backslashes, control characters), so every output stays valid JSON.
/// </remarks>
internal static class MomoJsonContext
{
    /// <summary>The contracts' metadata with the relaxed encoder; call sites name a contract, e.g. <c>Default.ModelList</c>.</summary>
    public static ContractJsonContext Default { get; } = new(new JsonSerializerOptions(ContractJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>Source-generated JSON for every contract, in OpenAI's snake_case; use it through <see cref="MomoJsonContext"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(CompletionResponse))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelCard))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ResponsesRequest))]
[JsonSerializable(typeof(ResponseObject))]
[JsonSerializable(typeof(ResponseStreamEvent))]
[JsonSerializable(typeof(InputTokensResponse))]
[JsonSerializable(typeof(ResponseDeleted))]
[JsonSerializable(typeof(TokenizeRequest))]
[JsonSerializable(typeof(TokenizeResponse))]
[JsonSerializable(typeof(TokenizeWithPiecesResponse))]
[JsonSerializable(typeof(DetokenizeRequest))]
[JsonSerializable(typeof(DetokenizeResponse))]
[JsonSerializable(typeof(ApplyTemplateResponse))]
internal sealed partial class ContractJsonContext : JsonSerializerContext;
