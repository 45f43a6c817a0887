using System.Diagnostics;
using System.Threading.Channels;
using Momo.Engine;
using Momo.Engine.Requests;
using Momo.Engine.Results;
using Momo.Grammar;
using Momo.Server.Contracts;
using Momo.Server.Endpoints;
using Momo.Server.Hosting;
using Momo.Server.Logprobs;
using Momo.Server.Telemetry;
using Momo.Server.Tools;

namespace Momo.Server.Generation;

/// <summary>
/// One generation request as an endpoint sees it: its id, the engine's update stream, and the bookkeeping every
/// update passes through (time to first token, the summary log line at the end).
/// </summary>
internal sealed class GenerationCall : IDisposable
{
    private readonly RequestSummaryLog _log;
    private readonly CancellationTokenSource _limit;
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationToken _aborted;
    private readonly string _prompt;
    private readonly System.Text.StringBuilder? _completion;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly ToolCallSyntax? _callSyntax;
    private TimeSpan? _firstToken;

    private GenerationCall(
        ModelRuntime runtime, string id, ChannelReader<GenerationUpdate> updates, RequestSummaryLog log, CancellationTokenSource limit,
        CancellationTokenSource? deadline, string prompt, ToolCallSyntax? callSyntax, int promptTokens, CancellationToken aborted)
    {
        _callSyntax = callSyntax;
        PromptTokens = promptTokens;
        _prompt = prompt;
        // The text is kept when it is logged, or when it decides the finish reason the client reads (tool_calls).
        _completion = log.LogsText || callSyntax is not null ? new System.Text.StringBuilder() : null;
        Runtime = runtime;
        Id = id;
        Updates = updates;
        _log = log;
        _limit = limit;
        _deadline = deadline;
        _aborted = aborted;
    }

    public ModelRuntime Runtime { get; }
    public string Id { get; }
    public ChannelReader<GenerationUpdate> Updates { get; }
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    public string Fingerprint => $"momo-{Runtime.DefaultMode.ToApiName()}";

    /// <summary>The prompt's token count, known before the first update (the cached share is known at the end).</summary>
    public int PromptTokens { get; }

    /// <summary>A reader of this call's answer: it parses tool calls when the model may make them.</summary>
    public AnswerReader NewAnswerReader() => new(_callSyntax);

    /// <summary>Lines the token log-probabilities up with the text, when the request asked for them.</summary>
    public LogprobsTracker? Logprobs { get; private init; }

    /// <summary>
    /// Queues the request; a full queue is a 429 with Retry-After. The engine builds the grammar's matcher here, so a
    /// grammar it cannot build (a recursive schema it cannot lower) is a 400 naming <paramref name="grammarParam"/>.
    /// <paramref name="callSyntax"/> is the syntax of the tool calls the answer may hold, or null when it may hold none.
    /// </summary>
    public static GenerationCall Start(
        ModelRuntime runtime, GenerationRequest request, string prompt, RequestSummaryLog log, string? grammarParam, ToolCallSyntax? callSyntax,
        CancellationToken aborted)
    {
        // The engine stops the sequence when the client goes away or the time limit passes (on the runtime's clock),
        // whichever comes first.
        var deadline = runtime.RequestTimeout is { } timeout ? new CancellationTokenSource(timeout, runtime.Clock) : null;
        var limit = CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline?.Token ?? CancellationToken.None);
        try
        {
            var updates = runtime.Engine.Submit(request, limit.Token);
            return new GenerationCall(runtime, request.Id, updates, log, limit, deadline, prompt, callSyntax, request.PromptTokens.Count, aborted)
            {
                Logprobs = request.TopLogprobs is null ? null : new LogprobsTracker(runtime.Text),
            };
        }
        catch (EngineQueueFullException full)
        {
            limit.Dispose();
            deadline?.Dispose();
            throw new ApiException(429, new ApiError(full.Message, "rate_limit_error", null, "queue_full"))
            {
                RetryAfterSeconds = EngineSubmission.RetryAfterSeconds,
            };
        }
        catch (EngineStoppedException stopped)
        {
            limit.Dispose();
            deadline?.Dispose();
            throw new ApiException(503, new ApiError(stopped.Message, "server_error", null, "shutting_down"));
        }
        catch (GrammarException refused)
        {
            limit.Dispose();
            deadline?.Dispose();
            var where = string.IsNullOrEmpty(refused.SchemaPath) ? "" : $" at {refused.SchemaPath}";
            throw ApiException.Invalid($"{grammarParam} cannot be used for constrained output{where}: {refused.Message}", grammarParam, "invalid_schema");
        }
        catch
        {
            limit.Dispose();
            deadline?.Dispose();
            throw;
        }
    }

    /// <summary>The error to answer with when <paramref name="update"/> ends the generation abnormally, else null.</summary>
    public ApiException? FailureOf(GenerationUpdate update) => update.Finish switch
    {
        FinishReason.Error => new ApiException(500, new ApiError($"Generation failed: {update.Error}", "server_error", null, "generation_failed")),
        FinishReason.Cancelled when _limit.IsCancellationRequested && !_aborted.IsCancellationRequested => new ApiException(408, new ApiError(
            $"The request ran past the server's limit of {Runtime.RequestTimeout?.TotalSeconds} s and was stopped.", "timeout_error", null, "request_timeout")),
        FinishReason.Cancelled => new ApiException(503, new ApiError("The generation was cancelled: the server is shutting down.", "server_error", null, "cancelled")),
        _ => null,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        _limit.Dispose();
        _deadline?.Dispose();
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
            _completion?.Append(update.Text);
            if (update.Finish is { } finish && update.Statistics is { } statistics)
            {
                _log.Write(Id, statistics, FinishLabel(finish), Stopwatch.GetElapsedTime(_started), _firstToken);
                _log.WriteText(Id, _prompt, _completion?.ToString() ?? "");
            }
            yield return update;
        }
    }

    // The finish reason as the client reads it: a stop that ended in tool calls is "tool_calls".
    private string FinishLabel(FinishReason finish) =>
        finish == FinishReason.Stop && _callSyntax is { } syntax ? AnswerReader.StopLabel(_completion?.ToString() ?? "", syntax) : finish.ToApiName();
}
