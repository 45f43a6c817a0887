using System.Net;
using System.Text.Json;

namespace Momo.Server.Tests.Responses;

/// <summary>GET and DELETE /v1/responses/{id}: a stored response read back as it was answered, and forgotten.</summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class ResponsesRetrieveTests(ResponsesServerFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stored_response_is_retrieved_exactly_as_it_was_answered(bool stream)
    {
        const string Request = """{"input":"The old man went to the mountain","max_output_tokens":4,"temperature":0,"include":["message.output_text.logprobs"]""";
        var answered = stream
            ? (await fixture.StreamAsync(Request + ""","stream":true}"""))[^1].Data.GetProperty("response")
            : await CreateAsync(Request + "}");
        var id = answered.GetProperty("id").GetString()!;

        var (status, retrieved) = await SendAsync(HttpMethod.Get, id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(answered.GetRawText(), retrieved.GetRawText());
    }

    [Fact]
    public async Task A_deleted_response_is_gone_for_retrieval_deletion_and_previous_response_id()
    {
        var id = (await CreateAsync("""{"input":"The dog said","max_output_tokens":2}""")).GetProperty("id").GetString()!;

        var (status, deleted) = await SendAsync(HttpMethod.Delete, id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, deleted.GetProperty("id").GetString());
        Assert.Equal("response", deleted.GetProperty("object").GetString());
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        AssertNotFound(await SendAsync(HttpMethod.Get, id), id);
        AssertNotFound(await SendAsync(HttpMethod.Delete, id), id);
        var (chainedStatus, chained) = await fixture.PostAsync($$"""{"previous_response_id":"{{id}}","input":"The monkey said"}""");
        Assert.Equal(HttpStatusCode.BadRequest, chainedStatus);
        Assert.Equal("previous_response_not_found", chained.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_unstored_or_forgotten_response_is_a_404_naming_it()
    {
        var unstored = (await CreateAsync("""{"input":"The dog said","max_output_tokens":1,"store":false}""")).GetProperty("id").GetString()!;
        var oldest = (await CreateAsync("""{"input":"The dog said","max_output_tokens":1}""")).GetProperty("id").GetString()!;
        for (var i = 0; i < ResponsesServerFixture.StoredResponses; i++)
        {
            await CreateAsync("""{"input":"The monkey said","max_output_tokens":1}""");
        }

        AssertNotFound(await SendAsync(HttpMethod.Get, "resp_nothing_here"), "resp_nothing_here");
        AssertNotFound(await SendAsync(HttpMethod.Get, unstored), unstored);
        AssertNotFound(await SendAsync(HttpMethod.Get, oldest), oldest);
    }

    [Fact]
    public async Task Retrieving_a_response_as_a_stream_is_a_400_naming_stream()
    {
        var id = (await CreateAsync("""{"input":"The dog said","max_output_tokens":1}""")).GetProperty("id").GetString()!;

        var (status, body) = await SendAsync(HttpMethod.Get, id + "?stream=true");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("stream", body.GetProperty("error").GetProperty("param").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string idAndQuery)
    {
        using var request = new HttpRequestMessage(method, "v1/responses/" + idAndQuery);
        using var response = await fixture.Server.Http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    private async Task<JsonElement> CreateAsync(string json)
    {
        var (status, body) = await fixture.PostAsync(json);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static void AssertNotFound((HttpStatusCode Status, JsonElement Body) answer, string id)
    {
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        var error = answer.Body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("response_id", error.GetProperty("param").GetString());
        Assert.Contains($"'{id}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
