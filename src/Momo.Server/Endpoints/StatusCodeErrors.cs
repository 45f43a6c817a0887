using Microsoft.AspNetCore.Diagnostics;
using Momo.Server.Contracts;

namespace Momo.Server.Endpoints;

/// <summary>
/// Responses the framework ends without a body (405 for a wrong method, 415, 400 from routing) get OpenAI's error
/// shape on /v1, like every other refusal there.
/// </summary>
internal static class StatusCodeErrors
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/v1"))
        {
            return Task.CompletedTask;
        }
        var status = http.Response.StatusCode;
        var error = status == StatusCodes.Status405MethodNotAllowed
            ? new ApiError($"{http.Request.Method} is not allowed on {http.Request.Path}.", "invalid_request_error", null, "method_not_allowed")
            : new ApiError($"The request was refused with HTTP {status}.", status >= 500 ? "server_error" : "invalid_request_error", null, null);
        return ErrorResults.For(http, status, error).ExecuteAsync(http);
    }
}
