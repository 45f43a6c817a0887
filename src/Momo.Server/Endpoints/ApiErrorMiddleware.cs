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
        return ErrorResults.For(http, status, error).ExecuteAsync(http);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error while serving a request")]
    private partial void LogUnexpected(Exception failure);
}

/// <summary>Unknown routes under /v1 answer 404s in the API's error shape too.</summary>
internal static class NotFoundFallback
{
    public static IResult Handle(HttpContext http) => ErrorResults.For(
        http, StatusCodes.Status404NotFound,
        new ApiError($"Unknown endpoint {http.Request.Method} {http.Request.Path}.", "invalid_request_error", null, "unknown_url"));
}

/// <summary>
/// An error as the route's dialect writes it: Anthropic's shape on /v1/messages, OpenAI's everywhere else.
/// </summary>
internal static class ErrorResults
{
    public static IResult For(HttpContext http, int status, ApiError error) => Dialects.Messages.AnthropicErrors.Applies(http.Request.Path)
        ? TypedResults.Json(Dialects.Messages.AnthropicErrors.Body(status, error), Dialects.Messages.AnthropicJsonContext.Default.AnthropicErrorResponse, statusCode: status)
        : TypedResults.Json(new ErrorResponse(error), MomoJsonContext.Default.ErrorResponse, statusCode: status);
}
