using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Momo.Engine;
using Momo.Server.Configuration;
using Momo.Server.Telemetry;

namespace Momo.Server.Tests;

/// <summary>One summary line per request, and prompt text only when the operator asks for it.</summary>
public sealed class RequestSummaryLogTests
{
    private static readonly GenerationStatistics Statistics = new()
    {
        Mode = "pyramid", PromptTokens = 12, CompletionTokens = 30, DraftedTokens = 20, QualifierProposedTokens = 20, QualifierAcceptedTokens = 16,
        TargetProposedTokens = 24, TargetAcceptedTokens = 18, TargetCalls = 10,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_summary_carries_the_counts_and_text_appears_only_when_configured(bool logText)
    {
        var logger = new CollectingLogger();
        var log = new RequestSummaryLog(logger, Options.Create(new MomoOptions { LogText = logText }));

        log.Write("req-1", Statistics, FinishReason.Length, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(40));
        log.WriteText("req-1", "SECRET-PROMPT", "the answer");

        var summary = Assert.Single(logger.Lines, l => l.Contains("finished", StringComparison.Ordinal));
        Assert.Contains("mode pyramid", summary, StringComparison.Ordinal);
        Assert.Contains("generated 30 at 15 tok/s", summary, StringComparison.Ordinal);
        Assert.Contains("draft->qualifier 0.8 target 0.75", summary, StringComparison.Ordinal);
        Assert.Contains("first token 40 ms", summary, StringComparison.Ordinal);
        Assert.Equal(logText, logger.Lines.Any(l => l.Contains("SECRET-PROMPT", StringComparison.Ordinal)));
    }

    private sealed class CollectingLogger : ILogger<RequestSummaryLog>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
