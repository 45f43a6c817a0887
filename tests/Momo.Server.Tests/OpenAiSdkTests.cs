using System.Text;
using System.Text.Json;
using Momo.Testing;
using OpenAI.Chat;

namespace Momo.Server.Tests;

/// <summary>The real OpenAI .NET SDK against the real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class OpenAiSdkTests(ServerFixture fixture)
{
    private static readonly ChatMessage[] Conversation = [new SystemChatMessage("You tell the tale."), new UserChatMessage("What did the old woman find?")];

    [Fact]
    public async Task A_chat_completion_returns_text_a_finish_reason_and_usage()
    {
        ChatCompletion completion = await fixture.Server.Chat().CompleteChatAsync(Conversation, new ChatCompletionOptions { MaxOutputTokenCount = 16, Temperature = 0.8f, Seed = 7 });

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 16);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task A_streamed_greedy_completion_concatenates_to_the_non_streamed_text()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 40, Temperature = 0 };
        ChatCompletion whole = await fixture.Server.Chat().CompleteChatAsync(Conversation, options);

        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in fixture.Server.Chat().CompleteChatStreamingAsync(Conversation, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        Assert.Equal(whole.FinishReason, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Max_tokens_ends_with_finish_reason_length_and_exact_usage()
    {
        ChatCompletion completion = await fixture.Server.Chat().CompleteChatAsync(
            [new UserChatMessage("Once upon a time")],
            new ChatCompletionOptions { MaxOutputTokenCount = 5, Temperature = 0, LogitBiases = { [TestFamilies.EndOfTurnToken] = -100 } });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_stop_string_ends_the_answer_before_it_and_is_not_returned()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 40, Temperature = 0 };
        ChatCompletion free = await fixture.Server.Chat().CompleteChatAsync(Conversation, options);
        var text = free.Content[0].Text;
        Assert.True(text.Length > 12, $"need a longer answer to pick a stop string from: '{text}'");
        // A stop string that starts inside one token and ends inside another.
        var stop = text.Substring(text.Length / 2 - 2, 5);
        var expected = text[..text.IndexOf(stop, StringComparison.Ordinal)];

        options.StopSequences.Add(stop);
        ChatCompletion stopped = await fixture.Server.Chat().CompleteChatAsync(Conversation, options);

        Assert.Equal(expected, stopped.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
    }

    [Fact]
    public async Task The_models_endpoint_lists_the_served_model()
    {
        var models = await fixture.Server.Client().GetOpenAIModelClient().GetModelsAsync();
        Assert.Contains(models.Value, m => m.Id == ServerInstance.ModelId);
    }

    [Theory]
    [InlineData("pyramid")]
    [InlineData("two_tier")]
    [InlineData("target_only")]
    public async Task The_speculative_extension_selects_the_mode_and_the_statistics_come_back(string mode)
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 24, Temperature = 0 };
        options.Patch.Set("$.speculative"u8, BinaryData.FromString($$"""{"mode":"{{mode}}","draft_tokens":3,"qualified_tokens":6}"""));

        var result = await fixture.Server.Chat().CompleteChatAsync(Conversation, options);

        using var body = JsonDocument.Parse(result.GetRawResponse().Content);
        var stats = body.RootElement.GetProperty("speculative");
        Assert.Equal(mode, stats.GetProperty("mode").GetString());
        Assert.True(stats.GetProperty("target_calls").GetInt32() > 0);
        if (mode == "target_only")
        {
            Assert.Equal(0, stats.GetProperty("drafted_tokens").GetInt32());
        }
        else
        {
            Assert.True(stats.GetProperty("drafted_tokens").GetInt32() > 0);
            Assert.True(stats.GetProperty("target_proposed_tokens").GetInt32() > 0);
        }
    }
}
