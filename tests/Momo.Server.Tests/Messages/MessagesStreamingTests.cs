using System.Text;
using System.Text.Json;
using static Momo.Server.Tests.Messages.MessagesHttp;

namespace Momo.Server.Tests.Messages;

/// <summary>Streamed /v1/messages over raw HTTP: Anthropic's event names, order and shapes.</summary>
[Collection(MessagesServerCollection.Name)]
public sealed class MessagesStreamingTests(MessagesServerFixture fixture)
{
    private ServerInstance Server => fixture.Server;

    [Fact]
    public async Task A_streamed_text_answer_sends_anthropics_events_in_order_and_the_same_text_as_the_whole_answer()
    {
        var body = Body($$"""{"model":"{{ServerInstance.ModelId}}","max_tokens":12,"temperature":0,"messages":[{"role":"user","content":"Once upon a time"}]}""");
        var (_, whole) = await PostAsync(Server, body.DeepClone());

        var events = await StreamAsync(Server, body);

        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
        var names = events.Select(e => e.Name).ToList();
        Assert.Equal(["message_start", "ping", "content_block_start"], names[..3]);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], names[^3..]);
        Assert.All(names[3..^3], n => Assert.Equal("content_block_delta", n));
        var start = events[0].Data.GetProperty("message");
        Assert.Empty(start.GetProperty("content").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, start.GetProperty("stop_reason").ValueKind);
        Assert.Equal("text", events[2].Data.GetProperty("content_block").GetProperty("type").GetString());
        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Data.GetProperty("delta")).Select(d =>
        {
            Assert.Equal("text_delta", d.GetProperty("type").GetString());
            return d.GetProperty("text").GetString();
        }));
        Assert.Equal(Text(whole), text);
        var delta = events[^2].Data;
        Assert.Equal(whole.GetProperty("stop_reason").GetString(), delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(whole.GetProperty("usage").GetProperty("output_tokens").GetInt32(), delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task A_streamed_tool_use_arrives_as_a_tool_use_block_whose_input_json_deltas_make_the_whole_answers_input()
    {
        var (_, whole) = await PostAsync(Server, ReadNotes());
        var expected = whole.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");

        var events = await StreamAsync(Server, ReadNotes());

        var start = events.Single(e => e.Name == "content_block_start" && e.Data.GetProperty("content_block").GetProperty("type").GetString() == "tool_use");
        var block = start.Data.GetProperty("content_block");
        Assert.Equal("read", block.GetProperty("name").GetString());
        Assert.StartsWith("toolu_", block.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("{}", block.GetProperty("input").GetRawText());
        var index = start.Data.GetProperty("index").GetInt32();
        var json = new StringBuilder();
        foreach (var (_, data) in events.Where(e => e.Name == "content_block_delta" && e.Data.GetProperty("index").GetInt32() == index))
        {
            Assert.Equal("input_json_delta", data.GetProperty("delta").GetProperty("type").GetString());
            json.Append(data.GetProperty("delta").GetProperty("partial_json").GetString());
        }
        Assert.True(JsonElement.DeepEquals(expected.GetProperty("input"), JsonDocument.Parse(json.ToString()).RootElement));
        Assert.Contains(events, e => e.Name == "content_block_stop" && e.Data.GetProperty("index").GetInt32() == index);
        Assert.Equal("tool_use", events[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal("message_stop", events[^1].Name);
    }
}
