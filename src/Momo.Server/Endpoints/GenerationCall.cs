using System.Diagnostics;
using System.Threading.Channels;
using Momo.Engine;
using Momo.Server.Contracts;
using Momo.Server.Hosting;
using Momo.Server.Telemetry;

namespace Momo.Server.Endpoints;

/// <summary>
/// One generation request as an endpoint sees it: its id, the engine's update stream, and the bookkeeping every
/// update passes through (time to first token, the summary log line at the end).
/// </summary>
internal sealed class GenerationCall
{
    private readonly RequestSummaryLog _log;
    private readonly long _started = Stopwatch.GetTimestamp();
    private TimeSpan? _firstToken;

    private GenerationCall(ModelRuntime runtime, string id, ChannelReader<GenerationUpdate> updates, RequestSummaryLog log)
    {
        Runtime = runtime;
        Id = id;
        Updates = updates;
        _log = log;
    }

    public ModelRuntime Runtime { get; }
    public string Id { get; }
    public ChannelReader<GenerationUpdate> Updates { get; }
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    public string Fingerprint => $"momo-{Runtime.DefaultMode.ToApiName()}";

    /// <summary>Queues the request; a full queue is a 429 with Retry-After.</summary>
    public static GenerationCall Start(ModelRuntime runtime, GenerationRequest request, RequestSummaryLog log, CancellationToken aborted)
    {
        try
        {
            return new GenerationCall(runtime, request.Id, runtime.Engine.Submit(request, aborted), log);
        }
        catch (EngineQueueFullException full)
        {
            throw new ApiException(429, new ApiError(full.Message, "rate_limit_error", null, "queue_full"))
            {
                RetryAfterSeconds = EngineSubmission.RetryAfterSeconds,
            };
        }
    }

    /// <summary>Every update, in order: yields them after the bookkeeping.</summary>
    public async IAsyncEnumerable<GenerationUpdate> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var update in Updates.ReadAllAsync(cancellation))
        {
            if (_firstToken is null && update.NewTokens > 0)
            {
                _firstToken = Stopwatch.GetElapsedTime(_started);
            }
            if (update.Finish is { } finish && update.Statistics is { } statistics)
            {
                _log.Write(Id, statistics, finish, Stopwatch.GetElapsedTime(_started), _firstToken);
            }
            yield return update;
        }
    }
}
