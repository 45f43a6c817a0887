using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Momo.Bench.CommandLine;

namespace Momo.Bench.AgentTurns;

/// <summary>
/// Runs the agent-turns workload against a server: each round sends the next turn of every conversation (round-robin,
/// <see cref="AgentTurnsOptions.Concurrency"/> at a time), each turn's prompt being the conversation so far, streamed
/// with its usage; then prints per-turn counts and the summary, and writes agent-turns.json.
/// </summary>
internal static class AgentTurnsCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Entry point for <c>--workload agent-turns</c>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (read, exit) = CommandOptions.Read(args, AgentTurnsOptions.Help, AgentTurnsOptions.Parse);
        if (read is not { } options)
        {
            return exit!.Value;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromHours(1) };
        if (options.ApiKey is { } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        var systems = Enumerable.Range(0, options.Agents).Select(a => SystemPrompt(a, options.SystemWords)).ToArray();
        var histories = Enumerable.Range(0, options.Conversations)
            .Select(c => new List<JsonObject> { Message("system", systems[c % options.Agents]) }).ToArray();
        var results = new List<AgentTurnResult>();
        using var gate = new SemaphoreSlim(options.Concurrency);
        for (var turn = 0; turn < options.Turns; turn++)
        {
            var round = Enumerable.Range(0, options.Conversations).Select(async c =>
            {
                await gate.WaitAsync();
                try
                {
                    histories[c].Add(Message("user", $"Turn {turn} of conversation {c}: what happened next?"));
                    var (answer, result) = await SendAsync(http, options, histories[c], c, turn);
                    histories[c].Add(Message("assistant", answer));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"conversation {c} turn {turn}: prompt {result.PromptTokens}, cached {result.CachedTokens}, first token {result.FirstTokenSeconds:F2} s"));
                    return result;
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            results.AddRange(await Task.WhenAll(round));
        }
        var summary = AgentTurnsSummary.Of(results);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Requests} turns: {summary.PromptTokens} prompt tokens, {summary.CachedTokens} cached (hit rate {summary.HitRate:P1}; " +
            $"after each conversation's first turn {summary.LaterTurnsHitRate:P1}); prefilled {summary.PrefilledTokens}, " +
            $"avoided {summary.CachedTokens}; median first token: first turns {summary.MedianFirstTurnSeconds:F2} s, later turns {summary.MedianLaterTurnSeconds:F2} s"));
        Directory.CreateDirectory(options.OutputDirectory);
        var path = Path.Combine(options.OutputDirectory, "agent-turns.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { options, summary, turns = results }, Indented));
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static async Task<(string Answer, AgentTurnResult Result)> SendAsync(
        HttpClient http, AgentTurnsOptions options, List<JsonObject> history, int conversation, int turn)
    {
        var body = new JsonObject
        {
            ["model"] = options.Model,
            ["messages"] = new JsonArray([.. history.Select(m => m.DeepClone())]),
            ["max_tokens"] = options.MaxTokens,
            ["temperature"] = 0,
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
            ["speculative"] = new JsonObject { ["mode"] = options.Mode },
        };
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Url}/chat/completions") { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var answer = new StringBuilder();
        double? first = null;
        int prompt = 0, cached = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }
            var chunk = JsonNode.Parse(line[6..]);
            if (chunk?["choices"] is JsonArray { Count: > 0 } choices && choices[0]?["delta"]?["content"]?.GetValue<string>() is { Length: > 0 } piece)
            {
                first ??= Stopwatch.GetElapsedTime(started).TotalSeconds;
                answer.Append(piece);
            }
            if (chunk?["usage"] is JsonObject usage)
            {
                prompt = usage["prompt_tokens"]?.GetValue<int>() ?? 0;
                cached = usage["prompt_tokens_details"]?["cached_tokens"]?.GetValue<int>() ?? 0;
            }
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (answer.ToString(), new AgentTurnResult(conversation, turn, prompt, cached, first ?? seconds, seconds));
    }

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };

    // Words of the shipped prompt sets in a seeded order, so each agent's system prompt differs from its first words on.
    private static string SystemPrompt(int agent, int words)
    {
        var tale = Workloads.PromptSets.All.SelectMany(Workloads.PromptSets.Load)
            .SelectMany(p => p.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var random = new Random(agent + 1);
        return $"You are agent {agent}. " + string.Join(' ', Enumerable.Range(0, words).Select(_ => tale[random.Next(tale.Length)]));
    }
}
