using System.Net.Http.Json;
using System.Text.Json;

namespace Momo.Server.Tests.Demo;

/// <summary>
/// The first thing a newcomer tries: the server with no models configured, several greedy requests at once. Greedy
/// text is the target's own in every mode and at any concurrency, up to batch-shape rounding at near ties (README,
/// What <c>seed</c> guarantees); the demo family is forged without near ties, so here the texts must be identical.
/// </summary>
public sealed class DemoFamilyConcurrencyTests
{
    private const int MaxTokens = 64;

    [Fact]
    public async Task Eight_concurrent_greedy_requests_on_the_demo_default_answer_what_each_answers_alone()
    {
        // Batches of 64 tokens split every step of eight sequences, so the concurrent rows are computed in other
        // batch shapes than the same rows alone.
        await using var server = await ServerInstance.StartDemoAsync(DemoFamilyFiles.Forged.Directory, new Dictionary<string, string?>
        {
            ["Momo:MaxSequences"] = "8",
            ["Momo:BatchTokens"] = "64",
        });
        var requests = DemoFamilyFiles.ChatQuestions.Take(4).Select(ChatRequest)
            .Concat(DemoFamilyFiles.StoryOpenings.Take(4).Select(CompletionRequest)).ToList();

        var alone = new List<string>();
        foreach (var request in requests)
        {
            alone.Add(await AnswerAsync(server.Http, request));
        }
        var together = await Task.WhenAll(requests.Select(r => AnswerAsync(server.Http, r)));

        for (var i = 0; i < requests.Count; i++)
        {
            Assert.True(alone[i] == together[i],
                $"{requests[i].Route} '{requests[i].Prompt}': alone\n  {alone[i]}\nbut among eight\n  {together[i]}");
        }
    }

    private static DemoRequest ChatRequest(string question) => new("v1/chat/completions", question,
        new { messages = new[] { new { role = "user", content = question } }, max_tokens = MaxTokens, temperature = 0 });

    private static DemoRequest CompletionRequest(string opening) => new("v1/completions", opening,
        new { prompt = opening, max_tokens = MaxTokens, temperature = 0 });

    private static async Task<string> AnswerAsync(HttpClient http, DemoRequest request)
    {
        using var response = await http.PostAsJsonAsync(request.Route, request.Body);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choice = json.RootElement.GetProperty("choices")[0];
        return (choice.TryGetProperty("message", out var message) ? message.GetProperty("content") : choice.GetProperty("text")).GetString()!;
    }

    private sealed record DemoRequest(string Route, string Prompt, object Body);
}
