using Microsoft.Extensions.Options;
using Momo.Engine.Results;
using Momo.Server.Configuration;

namespace Momo.Server.Telemetry;

/// <summary>One structured summary line per finished request; prompt and completion text only when configured.</summary>
internal sealed partial class RequestSummaryLog(ILogger<RequestSummaryLog> logger, IOptions<MomoOptions> options)
{
    /// <summary>Whether text is logged (Momo:LogText); off by default, since prompts may hold personal data.</summary>
    public bool LogsText => options.Value.LogText;

    /// <summary>Logs a request's prompt and completion text, when <see cref="LogsText"/>.</summary>
    public void WriteText(string id, string prompt, string completion)
    {
        if (LogsText)
        {
            LogText(id, prompt, completion);
        }
    }

    /// <summary>Logs the summary of a finished request; <paramref name="finishReason"/> is the one the client got.</summary>
    public void Write(string id, GenerationStatistics s, string finishReason, TimeSpan elapsed, TimeSpan? timeToFirstToken)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        LogSummary(
            id, s.Mode, s.PromptTokens, s.CachedPromptTokens, s.CompletionTokens,
            Math.Round(s.CompletionTokens / seconds, 2),
            Round(s.DraftAcceptanceRate),
            Round(s.TargetAcceptanceRate),
            s.TargetCalls,
            Math.Round((timeToFirstToken ?? elapsed).TotalMilliseconds, 1),
            finishReason);
    }

    private static double? Round(double? rate) => rate is { } r ? Math.Round(r, 3) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} text: prompt {Prompt} completion {Completion}")]
    private partial void LogText(string requestId, string prompt, string completion);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Request {RequestId} finished: mode {Mode}, prompt {PromptTokens} ({CachedTokens} cached), generated {CompletionTokens} " +
        "at {TokensPerSecond} tok/s, acceptance draft->qualifier {DraftAcceptance} target {TargetAcceptance}, " +
        "{TargetCalls} target calls, first token {TimeToFirstTokenMs} ms, finish {FinishReason}")]
    private partial void LogSummary(
        string requestId, string mode, int promptTokens, int cachedTokens, int completionTokens, double tokensPerSecond,
        double? draftAcceptance, double? targetAcceptance, int targetCalls, double timeToFirstTokenMs, string finishReason);
}
