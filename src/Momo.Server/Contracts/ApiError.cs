using System.Text.Json.Serialization;

namespace Momo.Server.Contracts;

/// <summary>OpenAI's error envelope: <c>{"error": {...}}</c>.</summary>
internal sealed record ErrorResponse(ApiError Error);

/// <summary>
/// OpenAI's error object, plus llama-server's context fields when the prompt does not fit. param and code are
/// written even when null, as OpenAI does, so every error has the same four fields.
/// </summary>
internal sealed record ApiError(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code)
{
    /// <summary>Prompt length, when the prompt does not fit the context.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? NPromptTokens { get; init; }

    /// <summary>Context size per sequence, when the prompt does not fit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? NCtx { get; init; }
}

/// <summary>A request the server refuses, carrying the HTTP status and OpenAI error it answers with.</summary>
internal sealed class ApiException(int status, ApiError error) : Exception(error.Message)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The error body.</summary>
    public ApiError Error { get; } = error;

    /// <summary>Seconds a client should wait before retrying (429), if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>400 invalid_request_error about <paramref name="param"/>.</summary>
    public static ApiException Invalid(string message, string? param, string? code = null) =>
        new(400, new ApiError(message, "invalid_request_error", param, code));
}
