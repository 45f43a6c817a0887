using System.Net;
using System.Text.Json;

namespace Momo.Server.Tests.Responses;

/// <summary>store and previous_response_id: the bounded in-memory store of responses.</summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class ResponsesStoreTests(ResponsesServerFixture fixture)
{
    [Fact]
    public async Task A_previous_response_id_puts_that_response_input_and_output_before_the_new_input()
    {
        var first = await CreateAsync("""{"input":"The old man went to the mountain","max_output_tokens":4,"temperature":0}""");
        var firstUsage = first.GetProperty("usage");

        var (status, second) = await fixture.PostAsync(
            $$"""{"previous_response_id":"{{first.GetProperty("id").GetString()}}","input":"The dog said","max_output_tokens":2}""");
        var alone = await fixture.InputTokensAsync("""{"input":"The dog said"}""");
        var counted = await fixture.InputTokensAsync($$"""{"previous_response_id":"{{first.GetProperty("id").GetString()}}","input":"The dog said"}""");

        Assert.True(status == HttpStatusCode.OK, second.ToString());
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("previous_response_id").GetString());
        var chained = second.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        Assert.Equal(counted, chained);
        Assert.True(chained > firstUsage.GetProperty("input_tokens").GetInt32() && chained > alone, $"{chained} tokens do not hold the first exchange");
    }

    [Fact]
    public async Task The_same_conversation_sent_as_items_counts_the_same_tokens_as_through_previous_response_id()
    {
        var first = await CreateAsync("""{"instructions":"Tell the tale.","input":"The dog said","max_output_tokens":3,"temperature":0}""");
        var answer = first.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString();

        var chained = await fixture.InputTokensAsync(
            $$"""{"instructions":"Be brief.","previous_response_id":"{{first.GetProperty("id").GetString()}}","input":"The monkey said"}""");
        var asItems = await fixture.InputTokensAsync(
            $$"""{"instructions":"Be brief.","input":[{"role":"user","content":"The dog said"},{"role":"assistant","content":{{JsonSerializer.Serialize(answer)}} },{"role":"user","content":"The monkey said"}]}""");

        // The first response's instructions are not carried over, as OpenAI's are not.
        Assert.Equal(asItems, chained);
    }

    [Fact]
    public async Task An_unknown_previous_response_id_is_a_400_naming_it()
    {
        var (status, body) = await fixture.PostAsync("""{"previous_response_id":"resp_nothing_here","input":"The dog said"}""");

        AssertNotFound(status, body, "resp_nothing_here");
    }

    [Fact]
    public async Task A_response_created_with_store_false_is_not_kept()
    {
        var unstored = await CreateAsync("""{"input":"The dog said","max_output_tokens":2,"store":false}""");
        var id = unstored.GetProperty("id").GetString()!;

        var (status, body) = await fixture.PostAsync($$"""{"previous_response_id":"{{id}}","input":"The monkey said"}""");

        Assert.False(unstored.GetProperty("store").GetBoolean());
        AssertNotFound(status, body, id);
    }

    [Fact]
    public async Task The_oldest_stored_response_is_forgotten_beyond_the_limit()
    {
        var oldest = (await CreateAsync("""{"input":"The dog said","max_output_tokens":1}""")).GetProperty("id").GetString()!;
        for (var i = 0; i < ResponsesServerFixture.StoredResponses; i++)
        {
            await CreateAsync("""{"input":"The monkey said","max_output_tokens":1,"stream":false}""");
        }

        var (status, body) = await fixture.PostAsync($$"""{"previous_response_id":"{{oldest}}","input":"The pheasant flew"}""");

        AssertNotFound(status, body, oldest);
    }

    private async Task<JsonElement> CreateAsync(string json)
    {
        var (status, body) = await fixture.PostAsync(json);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static void AssertNotFound(HttpStatusCode status, JsonElement body, string id)
    {
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("previous_response_id", error.GetProperty("param").GetString());
        Assert.Equal("previous_response_not_found", error.GetProperty("code").GetString());
        Assert.Contains($"'{id}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
