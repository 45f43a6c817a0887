using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Momo.Server.Configuration;
using Momo.Server.Contracts;
using Momo.Server.Security;
using Momo.Server.Telemetry;

namespace Momo.Server.Endpoints;

/// <summary>
/// Turns every failure into OpenAI's error shape with the right status, so bad input never reaches a client as
/// an HTML page or a crash, and one request's failure never touches another's.
/// </summary>
internal sealed partial class ApiErrorMiddleware(
    RequestDelegate next, ServerMetrics metrics, IOptions<LimitOptions> limits, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (ApiException refused) when (!http.Response.HasStarted)
        {
            if (refused.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await WriteAsync(http, refused.Status, refused.Error);
        }
        catch (BadHttpRequestException bad) when (!http.Response.HasStarted && bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var tooLarge = BodySizeLimitMiddleware.TooLarge(limits.Value.MaxBodyBytes);
            await WriteAsync(http, tooLarge.Status, tooLarge.Error);
        }
        catch (BadHttpRequestException bad) when (!http.Response.HasStarted)
        {
            await WriteAsync(http, bad.StatusCode, new ApiError(bad.Message, "invalid_request_error", null, null));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the engine frees its sequence on its own thread.
        }
        catch (Exception failure) when (!http.Response.HasStarted)
        {
            LogUnexpected(failure);
            await WriteAsync(http, 500, new ApiError("Internal server error: " + failure.Message, "server_error", null, null));
        }
    }

    private Task WriteAsync(HttpContext http, int status, ApiError error)
    {
        metrics.RecordError(error.Type, error.Code, status);
        var result = TypedResults.Json(new ErrorResponse(error), MomoJsonContext.Default.ErrorResponse, statusCode: status);
        return ((IResult)result).ExecuteAsync(http);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error while serving a request")]
    private partial void LogUnexpected(Exception failure);
}

/// <summary>Unknown routes under /v1 answer OpenAI-style 404s too.</summary>
internal static class NotFoundFallback
{
    public static JsonHttpResult<ErrorResponse> Handle(HttpContext http) => TypedResults.Json(
        new ErrorResponse(new ApiError($"Unknown endpoint {http.Request.Method} {http.Request.Path}.", "invalid_request_error", null, "unknown_url")),
        MomoJsonContext.Default.ErrorResponse,
        statusCode: StatusCodes.Status404NotFound);
}
