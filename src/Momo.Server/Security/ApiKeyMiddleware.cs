using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;

namespace Momo.Server.Security;

/// <summary>
/// With API keys configured, /v1/* and llama-server's tokenizer routes (and /health, /alive, /metrics when configured) need
/// <c>Authorization: Bearer KEY</c> or <c>x-api-key: KEY</c>; otherwise 401 invalid_api_key. Optionally bounds the requests one key has in
/// flight (429). Runs inside <see cref="Endpoints.ApiErrorMiddleware"/>, so refusals are OpenAI errors. The presented
/// key is never logged nor echoed.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyStore keys, IOptions<MomoOptions> options)
{
    private const string Scheme = "Bearer ";
    private const string ApiKeyHeader = "x-api-key";
    private readonly MomoOptions _options = options.Value;
    private readonly KeyConcurrency _inFlight = new(options.Value.MaxConcurrentRequestsPerKey);

    public async Task InvokeAsync(HttpContext http)
    {
        if (!keys.Enabled || !IsProtected(http.Request.Path))
        {
            await next(http);
            return;
        }
        var key = Authenticate(http);
        if (!_inFlight.TryEnter(key))
        {
            throw new ApiException(429, new ApiError(
                $"This API key already has {_options.MaxConcurrentRequestsPerKey} requests in flight (Momo:MaxConcurrentRequestsPerKey); retry when one ends.",
                "rate_limit_error", null, "concurrent_requests_exceeded"))
            {
                RetryAfterSeconds = Endpoints.EngineSubmission.RetryAfterSeconds,
            };
        }
        try
        {
            await next(http);
        }
        finally
        {
            _inFlight.Exit(key);
        }
    }

    private bool IsProtected(PathString path) =>
        ApiPaths.Includes(path)
        || (_options.AuthenticateHealth && path.StartsWithSegments("/health"))
        || (_options.AuthenticateAlive && path.StartsWithSegments("/alive"))
        || (_options.AuthenticateMetrics && path.StartsWithSegments("/metrics"));

    // Anthropic's clients send the key as x-api-key; either header may carry it.
    private int Authenticate(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length > Scheme.Length && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && keys.Match(header.AsSpan(Scheme.Length).Trim()) is { } index)
        {
            return index;
        }
        var apiKey = http.Request.Headers[ApiKeyHeader].ToString();
        if (apiKey.Length > 0 && keys.Match(apiKey.AsSpan().Trim()) is { } keyIndex)
        {
            return keyIndex;
        }
        http.Response.Headers.WWWAuthenticate = "Bearer";
        var message = header.Length == 0 && apiKey.Length == 0
            ? "No API key provided. Send it in the header Authorization: Bearer YOUR_KEY (or x-api-key: YOUR_KEY)."
            : "Incorrect API key provided.";
        throw new ApiException(401, new ApiError(message, "invalid_request_error", null, "invalid_api_key"));
    }
}
