using System.Text.Json;

namespace Momo.Server.Tests.Responses;

/// <summary>Streamed responses: the event sequence Codex CLI and the openai SDK consume, over raw HTTP.</summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class ResponsesStreamTests(ResponsesServerFixture fixture)
{
    [Fact]
    public async Task A_streamed_text_answer_sends_the_events_in_order_with_consecutive_sequence_numbers()
    {
        var events = await fixture.StreamAsync("""{"input":"Once upon a time","max_output_tokens":6,"temperature":0,"stream":true}""");

        AssertWellFormed(events);
        var names = events.Select(e => e.Name).Where(n => n != "response.output_text.delta").ToList();
        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.incomplete",
            ],
            names);
        Assert.Equal("in_progress", events[0].Data.GetProperty("response").GetProperty("status").GetString());
        Assert.Empty(events[0].Data.GetProperty("response").GetProperty("output").EnumerateArray());
        var deltas = string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        var done = events.Single(e => e.Name == "response.output_text.done").Data;
        Assert.Equal(deltas, done.GetProperty("text").GetString());
        var final = events[^1].Data.GetProperty("response");
        Assert.Equal("incomplete", final.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", final.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(6, final.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        var message = Assert.Single(final.GetProperty("output").EnumerateArray());
        Assert.Equal(deltas, message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(done.GetProperty("item_id").GetString(), message.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_streamed_function_call_sends_its_arguments_as_deltas_and_completes()
    {
        var events = await fixture.StreamAsync(
            $$"""{"input":"What is the weather in Osaka?","tools":[{{ResponsesTestData.Weather}}],"tool_choice":"required","parallel_tool_calls":false,"temperature":0,"max_output_tokens":200,"stream":true}""");

        AssertWellFormed(events);
        var names = events.Select(e => e.Name).Where(n => n != "response.function_call_arguments.delta").ToList();
        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed",
            ],
            names);
        var added = events.Single(e => e.Name == "response.output_item.added").Data.GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("in_progress", added.GetProperty("status").GetString());
        Assert.Equal("get_weather", added.GetProperty("name").GetString());
        Assert.StartsWith("call_", added.GetProperty("call_id").GetString(), StringComparison.Ordinal);
        var deltas = events.Where(e => e.Name == "response.function_call_arguments.delta").ToList();
        Assert.NotEmpty(deltas);
        Assert.All(deltas, d => Assert.Equal(added.GetProperty("id").GetString(), d.Data.GetProperty("item_id").GetString()));
        var arguments = string.Concat(deltas.Select(d => d.Data.GetProperty("delta").GetString()));
        Assert.Equal(arguments, events.Single(e => e.Name == "response.function_call_arguments.done").Data.GetProperty("arguments").GetString());
        ResponsesTestData.AssertWeatherArguments(arguments);
        var final = events[^1].Data.GetProperty("response");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        var call = Assert.Single(final.GetProperty("output").EnumerateArray());
        Assert.Equal(added.GetProperty("call_id").GetString(), call.GetProperty("call_id").GetString());
        Assert.Equal("completed", call.GetProperty("status").GetString());
        Assert.Equal(arguments, call.GetProperty("arguments").GetString());
    }

    // Every event's SSE name is its data's type; sequence numbers run 0, 1, 2, ... without a gap.
    private static void AssertWellFormed(IReadOnlyList<(string Name, JsonElement Data)> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(events[i].Name, events[i].Data.GetProperty("type").GetString());
            Assert.Equal(i, events[i].Data.GetProperty("sequence_number").GetInt32());
        }
        var id = events[0].Data.GetProperty("response").GetProperty("id").GetString();
        Assert.Equal(id, events[^1].Data.GetProperty("response").GetProperty("id").GetString());
    }
}
