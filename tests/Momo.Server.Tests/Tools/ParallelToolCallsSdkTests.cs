using System.Text;
using System.Text.Json;
using Momo.Testing;
using OpenAI.Chat;

namespace Momo.Server.Tests.Tools;

/// <summary>
/// Parallel tool calls through the real OpenAI .NET SDK against the real server over the forged agent family, whose
/// corpus holds a turn with two calls in a row: asked to read both of two files, the greedy model follows its first
/// call with a second and then ends the turn. Nothing in the server knows the family; the grammar only allows the
/// separator when parallel calls are allowed.
/// </summary>
public sealed class ParallelToolCallsSdkTests : IAsyncLifetime
{
    private static readonly ChatMessage[] BothFiles = [new UserChatMessage("Please read both notes.txt and peach.txt.")];

    private static readonly ChatTool Read = ChatTool.CreateFunctionTool(
        "read", "Reads a file.",
        BinaryData.FromString("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"],"additionalProperties":false}"""));

    private ServerInstance? _server;

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync(
        TestFamilies.Agent, new Dictionary<string, string?> { ["Momo:ContextSize"] = "4096", ["Momo:MaxSequences"] = "2" });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("required")]
    [InlineData("auto")]
    public async Task With_parallel_tool_calls_true_a_request_for_two_things_is_answered_with_two_calls(string choice)
    {
        ChatCompletion completion = await _server!.Chat().CompleteChatAsync(BothFiles, Options(choice, parallel: true));

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.True(completion.ToolCalls.Count >= 2, $"expected several calls, got {completion.ToolCalls.Count}");
        Assert.All(completion.ToolCalls, c => AssertValid(c.FunctionName, c.FunctionArguments.ToString()));
        Assert.All(completion.ToolCalls, c => Assert.StartsWith("call_", c.Id, StringComparison.Ordinal));
        Assert.Equal(completion.ToolCalls.Count, completion.ToolCalls.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public async Task With_parallel_tool_calls_true_streamed_calls_arrive_at_indices_0_and_1_and_match_the_whole_answer()
    {
        var options = Options("required", parallel: true);
        ChatCompletion whole = await _server!.Chat().CompleteChatAsync(BothFiles, options);

        var calls = new List<(string Id, string Name, StringBuilder Arguments)>();
        ChatFinishReason? finish = null;
        await foreach (var update in _server.Chat().CompleteChatStreamingAsync(BothFiles, options))
        {
            foreach (var piece in update.ToolCallUpdates)
            {
                if (piece.Index == calls.Count)
                {
                    // The first piece of a call carries its id and name.
                    calls.Add((piece.ToolCallId, piece.FunctionName, new StringBuilder()));
                }
                calls[piece.Index].Arguments.Append(piece.FunctionArgumentsUpdate?.ToString() ?? "");
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.True(calls.Count >= 2, $"expected calls at indices 0 and 1, got {calls.Count}");
        Assert.All(calls, c => AssertValid(c.Name, c.Arguments.ToString()));
        Assert.Equal(calls.Count, calls.Select(c => c.Id).Distinct().Count());
        Assert.Equal(whole.ToolCalls.Select(c => (c.FunctionName, c.FunctionArguments.ToString())), calls.Select(c => (c.Name, c.Arguments.ToString())));
    }

    [Fact]
    public async Task With_parallel_tool_calls_false_the_same_request_is_answered_with_exactly_one_call()
    {
        ChatCompletion completion = await _server!.Chat().CompleteChatAsync(BothFiles, Options("required", parallel: false));

        var call = Assert.Single(completion.ToolCalls);
        AssertValid(call.FunctionName, call.FunctionArguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
    }

    [Fact]
    public async Task The_npm_openai_client_gets_two_calls_streamed_and_not_and_one_without_parallel_calls()
    {
        var results = await NodeOpenAiClient.RunAsync("parallel-calls.mjs", _server!, TimeSpan.FromMinutes(4));

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
    }

    private static ChatCompletionOptions Options(string choice, bool parallel)
    {
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 120, Temperature = 0, AllowParallelToolCalls = parallel,
            ToolChoice = choice == "auto" ? ChatToolChoice.CreateAutoChoice() : ChatToolChoice.CreateRequiredChoice(),
        };
        options.Tools.Add(Read);
        return options;
    }

    private static void AssertValid(string name, string arguments)
    {
        Assert.Equal("read", name);
        using var parsed = JsonDocument.Parse(arguments);
        Assert.Equal(["path"], parsed.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrEmpty(parsed.RootElement.GetProperty("path").GetString()));
    }
}
