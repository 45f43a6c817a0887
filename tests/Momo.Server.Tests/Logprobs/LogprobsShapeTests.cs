using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;

namespace Momo.Server.Tests.Logprobs;

/// <summary>
/// logprobs in OpenAI's shapes, read by the real OpenAI SDK and over raw HTTP: one entry per token of the answer's
/// text (never the end-of-turn token, never the tokens of a stop string), streamed chunks carrying their tokens' entries.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LogprobsShapeTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task The_OpenAI_SDK_reads_one_entry_per_token_of_the_chat_answer_with_the_asked_alternatives()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };

        ChatCompletion completion = await fixture.Server.Chat().CompleteChatAsync([new UserChatMessage("Tell me about Momotaro.")], options);

        var entries = completion.ContentTokenLogProbabilities;
        Assert.NotEmpty(entries);
        Assert.Equal(completion.Content[0].Text, string.Concat(entries.Select(e => e.Token)));
        var endOfTurn = completion.FinishReason == ChatFinishReason.Stop ? 1 : 0;
        Assert.Equal(completion.Usage.OutputTokenCount - endOfTurn, entries.Count);
        foreach (var entry in entries)
        {
            Assert.Equal(entry.Token, Encoding.UTF8.GetString(entry.Utf8Bytes?.ToArray() ?? []));
            Assert.InRange(entry.LogProbability, -100f, 0f);
            Assert.Equal(3, entry.TopLogProbabilities.Count);
            Assert.Equal(entry.Token, entry.TopLogProbabilities[0].Token); // greedy: the most likely token
        }
    }

    [Fact]
    public async Task A_streamed_chat_carries_the_same_entries_as_the_whole_answer()
    {
        const string Request = """{"messages":[{"role":"user","content":"The old man went to the mountain"}],"max_tokens":16,"temperature":0,"logprobs":true,"top_logprobs":2,"speculative":{"mode":"pyramid"}""";
        var whole = await PostAsync("v1/chat/completions", Request + "}");
        var expected = whole.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();

        var chunks = await StreamAsync("v1/chat/completions", Request + ""","stream":true}""");

        var streamed = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Where(c => c.TryGetProperty("logprobs", out _))
            .SelectMany(c => c.GetProperty("logprobs").GetProperty("content").EnumerateArray()).ToList();
        var content = string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("delta").TryGetProperty("content", out var text) ? text.GetString() : ""));
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), content);
        Assert.Equal(expected.Select(e => e.GetProperty("token").GetString()), streamed.Select(e => e.GetProperty("token").GetString()));
        Assert.Equal(content, string.Concat(streamed.Select(e => e.GetProperty("token").GetString())));
        foreach (var (a, b) in expected.Zip(streamed))
        {
            Assert.Equal(a.GetProperty("logprob").GetDouble(), b.GetProperty("logprob").GetDouble(), 1e-2);
            Assert.Equal(2, b.GetProperty("top_logprobs").GetArrayLength());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Completion_logprobs_cover_the_text_up_to_a_stop_string_with_offsets(bool stream)
    {
        var (prompt, freeText) = await LongContinuationAsync();
        var stop = " " + freeText.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        var body = JsonSerializer.Serialize(new { prompt, max_tokens = 16, temperature = 0, logprobs = 2, stop, stream });

        var (text, logprobs) = stream ? await StreamedCompletionAsync(body) : WholeCompletion(await PostAsync("v1/completions", body));

        Assert.Equal(freeText[..freeText.IndexOf(stop, StringComparison.Ordinal)], text);
        Assert.Equal(text, string.Concat(logprobs.Tokens));
        Assert.Equal(logprobs.Tokens.Count, logprobs.Offsets.Count);
        var offset = 0;
        for (var i = 0; i < logprobs.Tokens.Count; i++)
        {
            Assert.Equal(offset, logprobs.Offsets[i]);
            offset += logprobs.Tokens[i].Length;
            Assert.InRange(logprobs.Top[i].Count, 2, 3); // the two best, and the emitted token when it is not among them
            Assert.Contains(logprobs.Tokens[i], logprobs.Top[i]);
        }
    }

    [Fact]
    public async Task A_token_that_is_part_of_a_character_is_written_as_its_bytes()
    {
        // Forcing the byte token 0xC3 (a UTF-8 lead byte) makes the model emit a piece that is no text on its own.
        var leadByte = Momo.Forge.ForgeVocabulary.FirstByte + 0xC3;
        var body = $$$"""{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"temperature":0,"logprobs":true,"logit_bias":{"{{{leadByte}}}":100}}""";

        var answer = await PostAsync("v1/chat/completions", body);

        var first = answer.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content")[0];
        Assert.Equal("bytes:\\xc3", first.GetProperty("token").GetString());
        Assert.Equal([0xC3], first.GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));
        Assert.Equal(0, first.GetProperty("top_logprobs").GetArrayLength());
    }

    [Fact]
    public async Task A_request_without_logprobs_gets_no_logprobs_field()
    {
        var answer = await PostAsync("v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":3,"temperature":0}""");
        Assert.False(answer.GetProperty("choices")[0].TryGetProperty("logprobs", out _));
    }

    /// <summary>The first test prompt whose greedy continuation has at least five words, and that continuation.</summary>
    private async Task<(string Prompt, string Text)> LongContinuationAsync()
    {
        foreach (var prompt in Momo.Testing.TestFamilies.Prompts(30))
        {
            var answer = await PostAsync("v1/completions", JsonSerializer.Serialize(new { prompt, max_tokens = 16, temperature = 0 }));
            var text = answer.GetProperty("choices")[0].GetProperty("text").GetString()!;
            if (text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 5)
            {
                return (prompt, text);
            }
        }
        throw new InvalidOperationException("no test prompt continues for five words");
    }

    private async Task<JsonElement> PostAsync(string path, string body)
    {
        using var response = await Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<List<JsonElement>> StreamAsync(string path, string body)
    {
        using var response = await Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        return [.. events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone())];
    }

    private async Task<(string Text, CompletionLogprobs Logprobs)> StreamedCompletionAsync(string body)
    {
        var choices = (await StreamAsync("v1/completions", body)).SelectMany(c => c.GetProperty("choices").EnumerateArray()).ToList();
        var parts = choices.Where(c => c.TryGetProperty("logprobs", out _)).Select(c => Logprobs(c.GetProperty("logprobs"))).ToList();
        return (string.Concat(choices.Select(c => c.GetProperty("text").GetString())),
            new CompletionLogprobs([.. parts.SelectMany(p => p.Tokens)], [.. parts.SelectMany(p => p.Offsets)], [.. parts.SelectMany(p => p.Top)]));
    }

    private static (string Text, CompletionLogprobs Logprobs) WholeCompletion(JsonElement answer)
    {
        var choice = answer.GetProperty("choices")[0];
        return (choice.GetProperty("text").GetString()!, Logprobs(choice.GetProperty("logprobs")));
    }

    private static CompletionLogprobs Logprobs(JsonElement logprobs) => new(
        [.. logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!)],
        [.. logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32())],
        [.. logprobs.GetProperty("top_logprobs").EnumerateArray().Select(d => d.EnumerateObject().Select(p => p.Name).ToList())]);

    private sealed record CompletionLogprobs(List<string> Tokens, List<int> Offsets, List<List<string>> Top);
}
