using Momo.Server.Contracts;

namespace Momo.Server.Dialects.Messages;

/// <summary>
/// Errors on the /v1/messages routes in Anthropic's shape, <c>{"type":"error","error":{"type","message"}}</c>, its type
/// chosen by status as Anthropic documents them (400 invalid_request_error, 401 authentication_error, 403
/// permission_error, 404 not_found_error, 413 request_too_large, 429 rate_limit_error, 500 api_error, 503/529
/// overloaded_error). Every server error is raised once, as an <see cref="ApiException"/>; only its rendering differs.
/// </summary>
internal static class AnthropicErrors
{
    /// <summary>Whether <paramref name="path"/> speaks Anthropic's dialect.</summary>
    public static bool Applies(PathString path) => path.StartsWithSegments("/v1/messages");

    public static AnthropicErrorResponse Body(int status, ApiError error) => Body(TypeOf(status, error), error.Message);

    public static AnthropicErrorResponse Body(string type, string message) => new("error", new AnthropicError(type, message));

    private static string TypeOf(int status, ApiError error) => status switch
    {
        400 or 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        408 or 504 => "timeout_error",
        503 or 529 => "overloaded_error",
        _ when status >= 500 => "api_error",
        _ => error.Type,
    };
}
