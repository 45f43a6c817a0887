using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;

namespace Momo.Server.Security;

/// <summary>
/// Bounds request bodies on /v1/* and the tokenizer routes to <see cref="LimitOptions.MaxBodyBytes"/>: a declared Content-Length over it is
/// refused before a byte is read; a chunked body is stopped by Kestrel once it passes the limit (the
/// <see cref="BadHttpRequestException"/> becomes the same 413 in <see cref="Endpoints.ApiErrorMiddleware"/>).
/// </summary>
internal sealed class BodySizeLimitMiddleware(RequestDelegate next, IOptions<LimitOptions> limits)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (ApiPaths.Includes(http.Request.Path))
        {
            var max = limits.Value.MaxBodyBytes;
            if (http.Request.ContentLength > max)
            {
                throw TooLarge(max);
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = max;
            }
        }
        return next(http);
    }

    /// <summary>The 413 for a body over <paramref name="max"/> bytes.</summary>
    public static ApiException TooLarge(long max) => new(413, new ApiError(
        $"The request body is larger than the server's limit of {max} bytes (Momo:Limits:MaxBodyBytes).",
        "invalid_request_error", null, "request_too_large"));
}
