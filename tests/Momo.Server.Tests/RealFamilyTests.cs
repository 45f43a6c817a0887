using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Momo.Forge;
using Momo.Testing;
using OpenAI.Chat;

namespace Momo.Server.Tests;

/// <summary>
/// Families shaped like real ones through the real server: tiers whose vocabularies differ by padding, and byte-level
/// BPE vocabularies of 100k and 200k tokens with the Llama 3 and ChatML formats. Greedy output of every mode equals
/// the target alone (the server's target_only), streamed text never splits a UTF-8 character, and every
/// end-of-generation token of the format ends a completion.
/// </summary>
public sealed class RealFamilyTests
{
    private static readonly string[] Modes = ["target_only", "two_tier", "pyramid"];

    public static TheoryData<string> Families => new() { "padded", "padded-draft", "llama3-bpe", "chatml-bpe" };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Greedy_output_of_every_mode_equals_the_target_alone(string name)
    {
        await using var server = await ServerInstance.StartAsync(Family(name));
        var prompts = name.EndsWith("bpe", StringComparison.Ordinal)
            ? ["Tell me about Momotaro.", "What floated down the river?", "桃太郎 🍑", "Who came to the island?"]
            : TestFamilies.Prompts(8);
        var drafted = 0;
        foreach (var prompt in prompts)
        {
            var alone = await ChatAsync(server, prompt, "target_only");
            foreach (var mode in Modes[1..])
            {
                var speculative = await ChatAsync(server, prompt, mode);
                Assert.Equal(alone.Text, speculative.Text);
                drafted += speculative.Drafted;
            }
        }
        Assert.True(drafted > 0, "speculation must actually run");
    }

    [Theory]
    [InlineData("llama3-bpe")]
    [InlineData("chatml-bpe")]
    public async Task Streamed_text_of_a_bpe_family_never_splits_a_character_and_equals_the_whole(string name)
    {
        await using var server = await ServerInstance.StartAsync(Family(name));
        ChatMessage[] conversation = [new SystemChatMessage("You tell the tale."), new UserChatMessage("桃太郎 🍑 What did he find?")];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 48, Temperature = 0 };
        ChatCompletion whole = await server.Chat().CompleteChatAsync(conversation, options);

        var streamed = new StringBuilder();
        await foreach (var update in server.Chat().CompleteChatStreamingAsync(conversation, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                // A chunk that ended inside a character would carry U+FFFD or a lone surrogate.
                Assert.DoesNotContain('\uFFFD', part.Text);
                Assert.False(part.Text.Length > 0 && char.IsHighSurrogate(part.Text[^1]), $"chunk ends in half a surrogate pair: {part.Text}");
                streamed.Append(part.Text);
            }
        }

        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        // The families' text holds CJK and emoji, whose BPE tokens are pieces of UTF-8 characters.
        Assert.Contains(streamed.ToString(), c => c > 0x7F);
    }

    [Theory]
    [InlineData("llama3-bpe", new[] { "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>" })]
    [InlineData("chatml-bpe", new[] { "<|im_end|>", "<|endoftext|>" })]
    public async Task Every_end_of_generation_token_of_the_format_ends_a_completion_in_every_mode(string name, string[] tokens)
    {
        var family = Family(name);
        await using var server = await ServerInstance.StartAsync(family);
        foreach (var token in tokens)
        {
            var id = FamilyTokens.Id(family, token).ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var mode in Modes)
            {
                var body = JsonSerializer.Serialize(new
                {
                    model = ServerInstance.ModelId,
                    messages = new[] { new { role = "user", content = "Tell me about Momotaro." } },
                    max_tokens = 16,
                    temperature = 0,
                    logit_bias = new Dictionary<string, int> { [id] = 100 },
                    speculative = new { mode },
                });
                using var response = await server.Http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
                var choice = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0];
                Assert.True("stop" == choice.GetProperty("finish_reason").GetString(), $"{token} ({id}) did not stop {mode}");
                Assert.Equal("", choice.GetProperty("message").GetProperty("content").GetString());
            }
        }
    }

    private static ForgedFamily Family(string name) => name switch
    {
        "padded" => TestFamilies.Padded,
        "padded-draft" => TestFamilies.PaddedDraft,
        "llama3-bpe" => TestFamilies.Llama3Bpe,
        _ => TestFamilies.ChatMlBpe,
    };

    private static async Task<(string Text, int Drafted)> ChatAsync(ServerInstance server, string prompt, string mode)
    {
        var body = JsonSerializer.Serialize(new
        {
            model = ServerInstance.ModelId,
            messages = new[] { new { role = "user", content = prompt } },
            max_tokens = 32,
            temperature = 0,
            speculative = mode == "pyramid" ? new { mode, draft_tokens = 3, qualified_tokens = 6 } : (object)new { mode, draft_tokens = 3 },
        });
        using var response = await server.Http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var text = json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        var drafted = json.TryGetProperty("speculative", out var statistics) && statistics.TryGetProperty("drafted_tokens", out var d) ? d.GetInt32() : 0;
        return (text, drafted);
    }
}
