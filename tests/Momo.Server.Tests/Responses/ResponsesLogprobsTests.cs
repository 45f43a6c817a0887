using System.Net;
using System.Text;
using System.Text.Json;

namespace Momo.Server.Tests.Responses;

/// <summary>
/// Log-probabilities on /v1/responses in OpenAI's shapes: asked with <c>include: ["message.output_text.logprobs"]</c>,
/// each <c>output_text</c> part carries one entry per token of its text, each text delta the entries of its tokens,
/// and a function call none.
/// </summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class ResponsesLogprobsTests(ResponsesServerFixture fixture)
{
    private const string Include = """ "include":["message.output_text.logprobs"] """;

    [Fact]
    public async Task An_included_answer_carries_one_entry_per_token_of_its_text_with_the_asked_alternatives()
    {
        var body = await PostOkAsync($$"""{"input":"Once upon a time","max_output_tokens":12,"temperature":0,{{Include}},"top_logprobs":3}""");

        var part = Assert.Single(body.GetProperty("output").EnumerateArray()).GetProperty("content")[0];
        var entries = part.GetProperty("logprobs").EnumerateArray().ToList();
        Assert.NotEmpty(entries);
        Assert.Equal(part.GetProperty("text").GetString(), string.Concat(entries.Select(Token)));
        var endOfTurn = body.GetProperty("status").GetString() == "completed" ? 1 : 0;
        Assert.Equal(body.GetProperty("usage").GetProperty("output_tokens").GetInt32() - endOfTurn, entries.Count);
        foreach (var entry in entries)
        {
            AssertTokenShape(entry);
            Assert.InRange(entry.GetProperty("logprob").GetDouble(), -100, 0);
            var top = entry.GetProperty("top_logprobs").EnumerateArray().ToList();
            Assert.Equal(3, top.Count);
            top.ForEach(AssertTokenShape);
            Assert.Equal(Token(entry), Token(top[0])); // greedy: the most likely token
            Assert.Equal(entry.GetProperty("logprob").GetDouble(), top[0].GetProperty("logprob").GetDouble());
        }
    }

    [Fact]
    public async Task Without_the_include_no_part_or_delta_has_logprobs()
    {
        const string Request = """{"input":"Once upon a time","max_output_tokens":4,"temperature":0,"include":["reasoning.encrypted_content"],"top_logprobs":0""";
        var body = await PostOkAsync(Request + "}");
        var events = await fixture.StreamAsync(Request + ""","stream":true}""");

        Assert.False(body.GetProperty("output")[0].GetProperty("content")[0].TryGetProperty("logprobs", out _));
        Assert.All(events, e => Assert.False(e.Data.TryGetProperty("logprobs", out _), e.Name));
    }

    [Fact]
    public async Task A_streamed_answer_carries_the_same_entries_in_its_deltas_as_the_whole_answer()
    {
        var request = $$"""{"input":"The old man went to the mountain","max_output_tokens":16,"temperature":0,{{Include}},"top_logprobs":2,"speculative":{"mode":"pyramid"}""";
        var whole = (await PostOkAsync(request + "}")).GetProperty("output")[0].GetProperty("content")[0];

        var events = await fixture.StreamAsync(request + ""","stream":true}""");

        var deltas = events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data).ToList();
        var streamed = deltas.SelectMany(d => d.GetProperty("logprobs").EnumerateArray()).ToList();
        var text = string.Concat(deltas.Select(d => d.GetProperty("delta").GetString()));
        Assert.Equal(whole.GetProperty("text").GetString(), text);
        Assert.Equal(text, string.Concat(streamed.Select(Token)));
        AssertSameEntries(whole.GetProperty("logprobs").EnumerateArray().ToList(), streamed);
        var done = events.Single(e => e.Name == "response.output_text.done").Data.GetProperty("logprobs").EnumerateArray().ToList();
        AssertSameEntries(streamed, done);
        var final = events[^1].Data.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0];
        AssertSameEntries(streamed, final.GetProperty("logprobs").EnumerateArray().ToList());
        Assert.All(streamed, e => Assert.Equal(2, e.GetProperty("top_logprobs").GetArrayLength()));
        var added = events.Single(e => e.Name == "response.content_part.added").Data.GetProperty("part");
        Assert.Equal(0, added.GetProperty("logprobs").GetArrayLength());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_function_call_carries_no_logprobs(bool stream)
    {
        var request = $$"""{"input":"What is the weather in Osaka?","tools":[{{ResponsesTestData.Weather}}],"tool_choice":"required","parallel_tool_calls":false,"temperature":0,"max_output_tokens":200,{{Include}},"stream":{{(stream ? "true" : "false")}}}""";

        var output = stream
            ? (await fixture.StreamAsync(request))[^1].Data.GetProperty("response").GetProperty("output")
            : (await PostOkAsync(request)).GetProperty("output");

        var call = Assert.Single(output.EnumerateArray());
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.False(call.TryGetProperty("logprobs", out _));
        ResponsesTestData.AssertWeatherArguments(call.GetProperty("arguments").GetString()!);
    }

    [Theory]
    [InlineData("""{"input":"hi",INCLUDE,"top_logprobs":21}""")]
    [InlineData("""{"input":"hi",INCLUDE,"top_logprobs":-1}""")]
    [InlineData("""{"input":"hi",INCLUDE,"top_logprobs":2.5}""")]
    [InlineData("""{"input":"hi",INCLUDE,"top_logprobs":"3"}""")]
    [InlineData("""{"input":"hi","top_logprobs":2}""")]
    public async Task Top_logprobs_outside_0_to_20_or_without_the_include_is_a_400_naming_it(string json)
    {
        var (status, body) = await fixture.PostAsync(json.Replace("INCLUDE", Include, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("top_logprobs", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Twenty_alternatives_are_served()
    {
        var body = await PostOkAsync($$"""{"input":"hi","max_output_tokens":2,"temperature":0,{{Include}},"top_logprobs":20}""");

        var entries = body.GetProperty("output")[0].GetProperty("content")[0].GetProperty("logprobs").EnumerateArray().ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal(20, e.GetProperty("top_logprobs").GetArrayLength()));
    }

    internal static string Token(JsonElement entry) => entry.GetProperty("token").GetString()!;

    // OpenAI's ResponseOutputText.Logprob: token, logprob, bytes (the token's UTF-8), top_logprobs on the emitted token.
    private static void AssertTokenShape(JsonElement entry)
    {
        var bytes = entry.GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray();
        Assert.Equal(Token(entry), Encoding.UTF8.GetString(bytes));
        Assert.Equal(JsonValueKind.Number, entry.GetProperty("logprob").ValueKind);
    }

    private static void AssertSameEntries(List<JsonElement> expected, List<JsonElement> actual)
    {
        Assert.Equal(expected.Select(Token), actual.Select(Token));
        foreach (var (a, b) in expected.Zip(actual))
        {
            Assert.Equal(a.GetProperty("logprob").GetDouble(), b.GetProperty("logprob").GetDouble(), 1e-2);
        }
    }

    private async Task<JsonElement> PostOkAsync(string json)
    {
        var (status, body) = await fixture.PostAsync(json);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }
}
