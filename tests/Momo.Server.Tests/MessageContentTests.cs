using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Momo.Server.Tests;

/// <summary>Chat message content as a string or as an array of text parts (as agent clients send it) renders the same.</summary>
[Collection(ServerCollection.Name)]
public sealed class MessageContentTests(ServerFixture fixture)
{
    [Fact]
    public async Task Content_as_an_array_of_text_parts_answers_exactly_as_the_same_text_given_as_a_string()
    {
        const string AsString = """{"messages":[{"role":"system","content":"Tell the tale."},{"role":"user","content":"Who found the peach? Tell me."}],"max_tokens":16,"temperature":0}""";
        const string AsParts = """{"messages":[{"role":"system","content":[{"type":"text","text":"Tell the tale."}]},{"role":"user","content":[{"type":"text","text":"Who found the peach?"},{"type":"text","text":" Tell me."}]}],"max_tokens":16,"temperature":0}""";

        var fromString = await AnswerAsync(AsString);
        var fromParts = await AnswerAsync(AsParts);

        Assert.Equal(fromString.Text, fromParts.Text);
        Assert.Equal(fromString.PromptTokens, fromParts.PromptTokens);
    }

    private async Task<(string Text, int PromptTokens)> AnswerAsync(string body)
    {
        using var response = await fixture.Server.Http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!,
            json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }
}
