using System.Globalization;
using Momo.Server.Tests.Tools;
using Momo.Testing;
using OpenAI.Chat;

namespace Momo.Server.Tests.Observability;

/// <summary>
/// request_success_total by finish_reason agrees with the answers' finish_reason. Instruments are process-wide, so this
/// runs alone (the Prometheus collection) and compares counts before and after.
/// </summary>
[Collection(PrometheusCollection.Name)]
public sealed class FinishReasonMetricsTests
{
    [Fact]
    public async Task Answers_that_end_in_tool_calls_are_counted_as_tool_calls_streamed_or_not()
    {
        await using var server = await ServerInstance.StartAsync(
            TestFamilies.Tiny, new Dictionary<string, string?> { ["Momo:ContextSize"] = "4096", ["Momo:MaxSequences"] = "2" });
        var before = await server.Http.GetStringAsync("metrics");

        ChatCompletion whole = await server.Chat().CompleteChatAsync(SdkTools.Question, SdkTools.Options(ChatToolChoice.CreateRequiredChoice()));
        ChatFinishReason? streamed = null;
        await foreach (var update in server.Chat().CompleteChatStreamingAsync(SdkTools.Question, SdkTools.Options(ChatToolChoice.CreateFunctionChoice("get_time"))))
        {
            streamed = update.FinishReason ?? streamed;
        }
        ChatCompletion text = await server.Chat().CompleteChatAsync(SdkTools.Question, SdkTools.Options(ChatToolChoice.CreateNoneChoice(), maxTokens: 8));

        Assert.Equal(ChatFinishReason.ToolCalls, whole.FinishReason);
        Assert.Equal(ChatFinishReason.ToolCalls, streamed);
        Assert.NotEqual(ChatFinishReason.ToolCalls, text.FinishReason);
        var textReason = text.FinishReason == ChatFinishReason.Stop ? "stop" : "length";
        // The engine counts a request just after its last update is written: read until the last one is in.
        var after = before;
        await Eventually.HoldsAsync(async () =>
        {
            after = await server.Http.GetStringAsync("metrics");
            return Delta(before, after, "tool_calls") + Delta(before, after, textReason) >= 3;
        }, "the three answers are counted");
        Assert.Equal(2, Delta(before, after, "tool_calls"));
        Assert.Equal(1, Delta(before, after, textReason));
        Assert.Equal(textReason == "stop" ? 1 : 0, Delta(before, after, "stop")); // the calls were not counted as stop
    }

    private static long Delta(string before, string after, string finishReason) =>
        Count(after, finishReason) - Count(before, finishReason);

    private static long Count(string metrics, string finishReason) => metrics.Split('\n')
        .Where(l => l.StartsWith("request_success_total{", StringComparison.Ordinal) && l.Contains($"finish_reason=\"{finishReason}\"", StringComparison.Ordinal))
        .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
