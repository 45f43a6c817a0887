using System.Text;
using Momo.Engine;
using Momo.Server.Contracts;

namespace Momo.Server.Endpoints;

/// <summary>The whole answer of a non-streamed request (with the tokens' log-probabilities when it asked for them).</summary>
internal sealed record GenerationOutcome(
    string Text, FinishReason Finish, GenerationStatistics Statistics, IReadOnlyList<Logprobs.ReleasedLogprob>? Logprobs = null)
{
    /// <summary>Reads every update; an engine failure becomes a 500 OpenAI error.</summary>
    public static async Task<GenerationOutcome> CollectAsync(GenerationCall call, CancellationToken cancellation)
    {
        var text = new StringBuilder();
        var logprobs = call.Logprobs is null ? null : new List<Logprobs.ReleasedLogprob>();
        await foreach (var update in call.ReadAllAsync(cancellation))
        {
            text.Append(update.Text);
            logprobs?.AddRange(call.Logprobs!.Release(update));
            if (update.Finish is { } finish)
            {
                if (call.FailureOf(update) is { } failure)
                {
                    throw failure;
                }
                return new GenerationOutcome(text.ToString(), finish, update.Statistics!, logprobs);
            }
        }
        throw new ApiException(500, new ApiError("The generation ended without a result.", "server_error", null, null));
    }
}
