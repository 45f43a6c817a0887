using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Momo.Server.Contracts;

namespace Momo.Server.Endpoints;

/// <summary>What both generation endpoints share: reading the body, response ids, retry advice.</summary>
internal static class EngineSubmission
{
    /// <summary>Seconds a refused client is told to wait (429 Retry-After).</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>Parses the JSON body; malformed or empty bodies are a 400.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted)
                ?? throw ApiException.Invalid("The request body must be a JSON object.", null);
        }
        catch (JsonException invalid)
        {
            var param = invalid.Path?.TrimStart('$', '.');
            throw ApiException.Invalid($"The request body is not valid JSON for this endpoint: {invalid.Message}", string.IsNullOrEmpty(param) ? null : param);
        }
    }

    /// <summary>A new response id with the given prefix (chatcmpl-, cmpl-).</summary>
    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..24];
}
