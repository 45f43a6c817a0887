using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Momo.Engine.Results;
using Momo.Server.Configuration;
using Momo.Server.Telemetry;
using Momo.Server.Tests.Hosting;
using Momo.Server.Tests.Tools;
using Momo.Testing;

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

        log.Write("req-1", Statistics, FinishReason.Length.ToApiName(), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(40));
        log.WriteText("req-1", "SECRET-PROMPT", "the answer");

        var summary = Assert.Single(logger.Lines, l => l.Contains("finished", StringComparison.Ordinal));
        Assert.Contains("mode pyramid", summary, StringComparison.Ordinal);
        Assert.Contains("generated 30 at 15 tok/s", summary, StringComparison.Ordinal);
        Assert.Contains("draft->qualifier 0.8 target 0.75", summary, StringComparison.Ordinal);
        Assert.Contains("first token 40 ms", summary, StringComparison.Ordinal);
        Assert.Equal(logText, logger.Lines.Any(l => l.Contains("SECRET-PROMPT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_served_answer_that_calls_a_tool_is_logged_with_finish_tool_calls_as_the_client_reads_it()
    {
        await using var server = ServerProcess.Start(TestFamilies.Tiny, new Dictionary<string, string> { ["Momo__ContextSize"] = "4096" });
        using var http = await server.WaitUntilReadyAsync();

        foreach (var stream in new[] { false, true })
        {
            using var body = new StringContent(ToolTestData.ForcedWeatherCall(stream), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("v1/chat/completions", body);
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, answer);
            Assert.Contains("\"finish_reason\":\"tool_calls\"", answer, StringComparison.Ordinal);
        }

        await Eventually.HoldsAsync(
            () => server.Lines.Count(line => line.Contains(" finished: ", StringComparison.Ordinal)) == 2,
            "both requests are summarised");
        var summaries = server.Lines.Where(line => line.Contains(" finished: ", StringComparison.Ordinal)).ToArray();
        Assert.All(summaries, line => Assert.EndsWith("finish tool_calls", line, StringComparison.Ordinal));
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
