using System.Text;
using Momo.Engine;
using Momo.Server.Contracts;

namespace Momo.Server.Endpoints;

/// <summary>The whole answer of a non-streamed request.</summary>
internal sealed record GenerationOutcome(string Text, FinishReason Finish, GenerationStatistics Statistics)
{
    /// <summary>Reads every update; an engine failure becomes a 500 OpenAI error.</summary>
    public static async Task<GenerationOutcome> CollectAsync(GenerationCall call, CancellationToken cancellation)
    {
        var text = new StringBuilder();
        await foreach (var update in call.ReadAllAsync(cancellation))
        {
            text.Append(update.Text);
            if (update.Finish is { } finish)
            {
                ThrowIfFailed(update);
                return new GenerationOutcome(text.ToString(), finish, update.Statistics!);
            }
        }
        throw new ApiException(500, new ApiError("The generation ended without a result.", "server_error", null, null));
    }

    /// <summary>Throws the 500 error for an update that reports an engine failure.</summary>
    public static void ThrowIfFailed(GenerationUpdate update)
    {
        if (update.Finish is FinishReason.Error or FinishReason.Cancelled)
        {
            throw new ApiException(500, new ApiError(
                $"Generation failed: {update.Error ?? update.Finish.ToString()}", "server_error", null, "generation_failed"));
        }
    }
}
