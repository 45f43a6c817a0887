using Momo.Server.Contracts;

namespace Momo.Server.Streaming;

/// <summary>Once a stream has started its status is 200, so a failure is reported as an error event before [DONE].</summary>
internal static class StreamErrors
{
    public static Task WriteAsync(ServerSentEvents events, ApiError error, CancellationToken cancellation) =>
        events.WriteAsync(new ErrorResponse(error), MomoJsonContext.Default.ErrorResponse, cancellation);
}
