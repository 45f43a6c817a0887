using System.Globalization;
using System.Text;
using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests;

/// <summary>
/// Agent-sized prompts over HTTP: multi-turn conversations with a long system prompt, more of them than slots, report
/// their cached prompt tokens in the streamed usage and answer as the target alone would.
/// </summary>
public sealed class PromptCacheTests
{
    private const int Tokens = 16;
    private static readonly string[] Modes = ["pyramid", "two_tier", "target_only", "auto"];

    [Fact]
    public async Task Four_conversations_on_two_slots_find_their_earlier_turns_cached_and_answer_as_the_target_alone()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, TwoSlots(promptCacheMiB: "64"));
        var turns = await RunConversationsAsync(server.Http, turns: 3);

        foreach (var turn in turns.Where(t => t.Index > 0))
        {
            // Everything the earlier turns rendered is cached but the answer's last token, which no tier decoded.
            Assert.True(turn.Cached >= turn.EarlierTokens - 1,
                $"conversation {turn.Conversation} turn {turn.Index}: {turn.Cached} of the prompt's {turn.PromptTokens} tokens cached, " +
                $"{turn.EarlierTokens} before this turn");
        }
        foreach (var turn in turns)
        {
            GreedyReference.ForChat(turn.Messages, Tokens).AssertMatches(turn.Text, $"conversation {turn.Conversation} turn {turn.Index}");
        }
        Assert.True(server.Engine.Counters.PromptCacheEntries > 0, "nothing was saved to the host cache");
    }

    [Fact]
    public async Task With_prefix_reuse_and_the_host_cache_off_no_prompt_token_is_cached()
    {
        await using var server = await ServerInstance.StartAsync(TestFamilies.Tiny, new Dictionary<string, string?>(TwoSlots(promptCacheMiB: "0"))
        {
            ["Momo:ReusePrefixes"] = "false",
        });
        var turns = await RunConversationsAsync(server.Http, turns: 2);

        Assert.All(turns, t => Assert.Equal(0, t.Cached));
        Assert.Equal(0, server.Engine.Counters.PromptCacheEntries);
    }

    internal static Dictionary<string, string?> TwoSlots(string promptCacheMiB) => new()
    {
        ["Momo:MaxSequences"] = "2",
        ["Momo:ContextSize"] = "1024",
        ["Momo:PromptCacheMiB"] = promptCacheMiB,
    };

    internal sealed record Turn(
        int Conversation, int Index, (string Role, string Content)[] Messages, int PromptTokens, int EarlierTokens, int Cached, string Text);

    /// <summary>
    /// Four conversations (three on one system prompt, as an agent and its subagents; one on its own), each turn streamed
    /// with its usage, in round-robin order, each conversation in its own mode.
    /// </summary>
    internal static async Task<List<Turn>> RunConversationsAsync(HttpClient http, int turns)
    {
        var shared = SystemPrompt(0);
        var histories = new[] { shared, shared, shared, SystemPrompt(1) }.Select(s => new List<(string, string)> { ("system", s) }).ToArray();
        var earlier = new int[histories.Length];
        var results = new List<Turn>();
        for (var turn = 0; turn < turns; turn++)
        {
            for (var c = 0; c < histories.Length; c++)
            {
                histories[c].Add(("user", $"Turn {turn}: what did the {(c % 2 == 0 ? "dog" : "monkey")} say?"));
                var messages = histories[c].ToArray();
                var (text, promptTokens, cached) = await StreamChatAsync(http, messages, Modes[c]);
                results.Add(new Turn(c, turn, messages, promptTokens, earlier[c], cached, text));
                earlier[c] = promptTokens + Tokens;
                histories[c].Add(("assistant", text));
            }
        }
        return results;
    }

    // About 400 prompt tokens in the tale's words; a different text for each seed.
    private static string SystemPrompt(int seed)
    {
        var words = TestFamilies.Prompts(30).SelectMany(p => p.Split(' ')).ToArray();
        var random = new Random(seed);
        return "You are the storyteller. " + string.Join(' ', Enumerable.Range(0, 260).Select(_ => words[random.Next(words.Length)]));
    }

    private static async Task<(string Text, int PromptTokens, int Cached)> StreamChatAsync(HttpClient http, (string Role, string Content)[] messages, string mode)
    {
        var body = JsonSerializer.Serialize(new
        {
            messages = messages.Select(m => new { role = m.Role, content = m.Content }),
            max_tokens = Tokens,
            temperature = 0,
            stream = true,
            stream_options = new { include_usage = true },
            // The reference never stops early, so neither may the server: the end-of-turn token is never chosen.
            logit_bias = new Dictionary<string, int> { [TestFamilies.EndOfTurnToken.ToString(CultureInfo.InvariantCulture)] = -100 },
            speculative = new { mode },
        });
        using var response = await http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var text = new StringBuilder();
        JsonElement? usage = null;
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }
            using var chunk = JsonDocument.Parse(line["data: ".Length..]);
            var root = chunk.RootElement;
            if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            {
                usage = u.Clone();
            }
            foreach (var choice in root.GetProperty("choices").EnumerateArray())
            {
                if (choice.GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    text.Append(content.GetString());
                }
            }
        }
        var final = usage ?? throw new InvalidOperationException("the stream carried no usage chunk");
        return (text.ToString(), final.GetProperty("prompt_tokens").GetInt32(),
            final.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }
}
