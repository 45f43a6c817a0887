using System.Text;
using OpenAI.Chat;

namespace Momo.Server.Tests.Tools;

/// <summary>
/// Tool calls through the real OpenAI .NET SDK against the real server (the tiny forged family, ChatML, so Hermes
/// tags). A forced call (required, named) works with any model because the grammar forces it.
/// </summary>
[Collection(ToolServerCollection.Name)]
public sealed class ToolCallingSdkTests(ToolServerFixture fixture)
{
    [Fact]
    public async Task Tool_choice_required_answers_with_valid_calls_and_finish_reason_tool_calls()
    {
        ChatCompletion completion = await fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, SdkTools.Options(ChatToolChoice.CreateRequiredChoice()));

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.NotEmpty(completion.ToolCalls);
        foreach (var call in completion.ToolCalls)
        {
            Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
            Assert.Equal(ChatToolCallKind.Function, call.Kind);
            SdkTools.AssertValid(call.FunctionName, call.FunctionArguments.ToString());
        }
        Assert.Equal(completion.ToolCalls.Count, completion.ToolCalls.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_named_tool_choice_answers_with_exactly_one_call_of_that_function()
    {
        ChatCompletion completion = await fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, SdkTools.Options(ChatToolChoice.CreateFunctionChoice("get_time")));

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_time", call.FunctionName);
        SdkTools.AssertValid(call.FunctionName, call.FunctionArguments.ToString());
    }

    [Fact]
    public async Task Tool_choice_none_answers_in_text_with_the_tools_in_the_prompt()
    {
        var plain = new ChatCompletionOptions { MaxOutputTokenCount = 8, Temperature = 0 };
        ChatCompletion without = await fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, plain);
        ChatCompletion with = await fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, SdkTools.Options(ChatToolChoice.CreateNoneChoice(), maxTokens: 8));

        Assert.Empty(with.ToolCalls);
        Assert.NotEqual(ChatFinishReason.ToolCalls, with.FinishReason);
        Assert.True(with.Usage.InputTokenCount > without.Usage.InputTokenCount + 50, "the tools are written into the prompt");
    }

    [Fact]
    public async Task Tool_choice_auto_answers_the_same_streamed_or_not_as_text_or_valid_calls()
    {
        var options = SdkTools.Options(ChatToolChoice.CreateAutoChoice(), maxTokens: 48);
        ChatCompletion whole = await fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, options);
        var streamed = await StreamAsync(options);

        foreach (var call in whole.ToolCalls)
        {
            SdkTools.AssertValid(call.FunctionName, call.FunctionArguments.ToString());
        }
        Assert.Equal(whole.ToolCalls.Count > 0 && whole.FinishReason != ChatFinishReason.Length, whole.FinishReason == ChatFinishReason.ToolCalls);
        Assert.Equal(whole.Content.Count > 0 ? whole.Content[0].Text : "", streamed.Content);
        Assert.Equal(whole.ToolCalls.Select(c => (c.FunctionName, c.FunctionArguments.ToString())), streamed.Calls.Select(c => (c.Name, c.Arguments)));
        Assert.Equal(whole.FinishReason, streamed.Finish);
    }

    [Fact]
    public async Task A_streamed_forced_call_arrives_as_an_opening_piece_then_argument_fragments_and_matches_the_whole_answer()
    {
        var options = SdkTools.Options(ChatToolChoice.CreateRequiredChoice());
        ChatCompletion whole = await fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, options);
        var streamed = await StreamAsync(options);

        Assert.Equal(ChatFinishReason.ToolCalls, streamed.Finish);
        Assert.Equal("", streamed.Content);
        Assert.Equal(whole.ToolCalls.Select(c => (c.FunctionName, c.FunctionArguments.ToString())), streamed.Calls.Select(c => (c.Name, c.Arguments)));
        Assert.All(streamed.Calls, c => Assert.StartsWith("call_", c.Id, StringComparison.Ordinal));
        Assert.True(streamed.Calls[0].Fragments > 1, "the arguments stream in fragments as they are generated");
        Assert.NotNull(streamed.Usage);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
    }

    // After a call the grammar allows the end of the answer or, when parallel calls are allowed, the separator (a
    // newline in Hermes's format) and another call. With parallel calls off, even a strong bias toward the newline
    // (and against both ends of generation) cannot add a call, since the grammar does not offer the separator. The
    // tiny family never takes the separator (its newline logit there is far below any bias), so calls in a row are
    // shown over the agent family, whose corpus has them (ParallelToolCallsSdkTests).
    [Fact]
    public async Task With_parallel_tool_calls_false_a_required_answer_holds_exactly_one_call()
    {
        ChatCompletion completion = await fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, TowardAnotherCall(parallel: false));

        var call = Assert.Single(completion.ToolCalls);
        SdkTools.AssertValid(call.FunctionName, call.FunctionArguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
    }

    [Fact]
    public async Task A_call_and_its_result_sent_back_as_history_are_answered()
    {
        ChatCompletion called = await fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, SdkTools.Options(ChatToolChoice.CreateFunctionChoice("get_weather")));
        var call = Assert.Single(called.ToolCalls);
        ChatMessage[] history = [.. SdkTools.Question, new AssistantChatMessage([call]), new ToolChatMessage(call.Id, "Sunny, 18 C.")];

        ChatCompletion answer = await fixture.Server.Chat().CompleteChatAsync(history, SdkTools.Options(ChatToolChoice.CreateNoneChoice(), maxTokens: 8));

        Assert.Empty(answer.ToolCalls);
        Assert.True(answer.Usage.InputTokenCount > called.Usage.InputTokenCount + called.Usage.OutputTokenCount, "the call and its result are in the prompt");
    }

    private static ChatCompletionOptions TowardAnotherCall(bool parallel)
    {
        var options = SdkTools.Options(ChatToolChoice.CreateRequiredChoice(), maxTokens: 120, parallel: parallel);
        options.LogitBiases[Momo.Forge.ForgeVocabulary.Newline] = 100;
        options.LogitBiases[Momo.Forge.ForgeVocabulary.Eos] = -100;
        options.LogitBiases[Momo.Forge.ForgeVocabulary.ImEnd] = -100;
        return options;
    }

    // The SDK asks for the usage chunk on every stream.
    private async Task<StreamedAnswer> StreamAsync(ChatCompletionOptions options)
    {
        var content = new StringBuilder();
        var calls = new List<StreamedCall>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in fixture.Server.Chat().CompleteChatStreamingAsync(SdkTools.Question, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                content.Append(part.Text);
            }
            foreach (var piece in update.ToolCallUpdates)
            {
                if (piece.Index == calls.Count)
                {
                    // The first piece of a call carries its id and name.
                    Assert.False(string.IsNullOrEmpty(piece.ToolCallId));
                    Assert.False(string.IsNullOrEmpty(piece.FunctionName));
                    calls.Add(new StreamedCall(piece.ToolCallId, piece.FunctionName));
                }
                else
                {
                    Assert.Null(piece.ToolCallId);
                }
                calls[piece.Index].Add(piece.FunctionArgumentsUpdate?.ToString() ?? "");
            }
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }
        return new StreamedAnswer(content.ToString(), calls, finish, usage);
    }

    private sealed record StreamedAnswer(string Content, List<StreamedCall> Calls, ChatFinishReason? Finish, ChatTokenUsage? Usage);

    private sealed class StreamedCall(string id, string name)
    {
        private readonly StringBuilder _arguments = new();

        public string Id => id;

        public string Name => name;

        public string Arguments => _arguments.ToString();

        public int Fragments { get; private set; }

        public void Add(string fragment)
        {
            Fragments += fragment.Length > 0 ? 1 : 0;
            _arguments.Append(fragment);
        }
    }
}
