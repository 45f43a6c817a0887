using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Momo.Server.Tests.Messages.MessagesHttp;

namespace Momo.Server.Tests.Messages;

/// <summary>POST /v1/messages and /v1/messages/count_tokens over raw HTTP: answers, tool use, stop reasons, usage.</summary>
[Collection(MessagesServerCollection.Name)]
public sealed class MessagesApiTests(MessagesServerFixture fixture)
{
    private ServerInstance Server => fixture.Server;

    private static JsonObject Tale(int maxTokens, string text = "Once upon a time") => Body($$"""
        {"model":"{{ServerInstance.ModelId}}","max_tokens":{{maxTokens}},"temperature":0,"system":[{"type":"text","text":"You tell tales."}],
         "messages":[{"role":"user","content":[{"type":"text","text":"{{text}}"}]}]}
        """);

    [Fact]
    public async Task A_text_request_is_answered_with_a_message_holding_a_text_block_a_stop_reason_and_usage()
    {
        var (status, message) = await PostAsync(Server, Tale(maxTokens: 3));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.StartsWith("msg_", message.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(ServerInstance.ModelId, message.GetProperty("model").GetString());
        Assert.Equal("text", message.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("max_tokens", message.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("stop_sequence").ValueKind);
        var usage = message.GetProperty("usage");
        Assert.Equal(3, usage.GetProperty("output_tokens").GetInt32());
        Assert.True(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("cache_read_input_tokens").GetInt32() > 0);
        Assert.Equal(0, usage.GetProperty("cache_creation_input_tokens").GetInt32());
    }

    [Fact]
    public async Task A_stop_sequence_ends_the_answer_before_it_with_stop_reason_stop_sequence_naming_it()
    {
        var (_, free) = await PostAsync(Server, Tale(maxTokens: 40));
        var text = Text(free);
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length >= 3, $"the greedy answer is too short to hold a stop word: '{text}'");
        var stop = " " + words[2];
        var body = Tale(maxTokens: 40);
        body["stop_sequences"] = new JsonArray("never-generated-zzz", stop);

        var (status, stopped) = await PostAsync(Server, body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stop_sequence", stopped.GetProperty("stop_reason").GetString());
        Assert.Equal(stop, stopped.GetProperty("stop_sequence").GetString());
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], Text(stopped));
    }

    [Fact]
    public async Task With_tool_choice_any_the_answer_is_a_tool_use_block_with_stop_reason_tool_use()
    {
        var (status, message) = await PostAsync(Server, ReadNotes());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("tool_use", message.GetProperty("stop_reason").GetString());
        var call = message.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        Assert.StartsWith("toolu_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("read", call.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, call.GetProperty("input").GetProperty("path").ValueKind);
    }

    [Fact]
    public async Task A_tool_use_sent_back_with_its_tool_result_is_answered_in_text_that_ends_the_turn()
    {
        var (_, first) = await PostAsync(Server, ReadNotes("""{"type":"tool","name":"read","disable_parallel_tool_use":true}"""));
        var call = first.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        var body = ReadNotes("""{"type":"auto"}""");
        body["messages"]!.AsArray().Add(JsonNode.Parse($$"""{"role":"assistant","content":{{first.GetProperty("content").GetRawText()}}}"""));
        body["messages"]!.AsArray().Add(JsonNode.Parse($$"""
            {"role":"user","content":[{"type":"tool_result","tool_use_id":{{call.GetProperty("id").GetRawText()}},
              "content":[{"type":"text","text":"A big peach came down our river."}]}]}
            """));

        var (status, answer) = await PostAsync(Server, body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("end_turn", answer.GetProperty("stop_reason").GetString());
        Assert.All(answer.GetProperty("content").EnumerateArray(), b => Assert.Equal("text", b.GetProperty("type").GetString()));
        Assert.Contains("peach", Text(answer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_tokens_equals_a_requests_input_tokens_and_a_repeat_reads_its_prefix_from_the_cache()
    {
        var body = Tale(maxTokens: 2, text: "The monkey said");
        body["system"] = "A fresh prompt: " + Guid.NewGuid().ToString("N"); // shares only the template's first tokens with earlier requests
        var counting = body.DeepClone().AsObject();
        counting.Remove("max_tokens");

        var (countStatus, count) = await PostAsync(Server, counting, "v1/messages/count_tokens");
        var (_, first) = await PostAsync(Server, body);
        var (_, repeat) = await PostAsync(Server, body);

        Assert.Equal(HttpStatusCode.OK, countStatus);
        var tokens = count.GetProperty("input_tokens").GetInt32();
        // Anthropic's usage: input_tokens are the prompt tokens computed, cache_read_input_tokens the ones read from cache.
        Assert.Equal(tokens, InputTokens(first) + CacheRead(first));
        Assert.Equal(tokens, InputTokens(repeat) + CacheRead(repeat));
        Assert.True(CacheRead(first) < tokens / 2, $"a fresh prompt read {CacheRead(first)} of {tokens} tokens from the cache");
        Assert.True(CacheRead(repeat) >= tokens - 1, $"the repeated prompt read only {CacheRead(repeat)} of {tokens} tokens from the cache");
    }

    private static int InputTokens(JsonElement message) => message.GetProperty("usage").GetProperty("input_tokens").GetInt32();

    private static int CacheRead(JsonElement message) => message.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32();

    [Fact]
    public async Task Count_tokens_counts_the_tools_too()
    {
        var plain = Tale(maxTokens: 1);
        plain.Remove("max_tokens");
        var withTools = plain.DeepClone().AsObject();
        withTools["tools"] = JsonNode.Parse($"[{ReadTool}]");

        var (_, without) = await PostAsync(Server, plain, "v1/messages/count_tokens");
        var (_, with) = await PostAsync(Server, withTools, "v1/messages/count_tokens");

        Assert.True(with.GetProperty("input_tokens").GetInt32() > without.GetProperty("input_tokens").GetInt32());
    }
}
