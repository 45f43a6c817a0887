using Momo.Server.Tests.Tools;

namespace Momo.Server.Tests.Responses;

/// <summary>
/// The npm <c>openai</c> client's <c>responses.create</c> and <c>responses.stream</c> against the real server: every
/// scenario of <c>tests/openai-node/responses.mjs</c>, logprobs included (package installed by <c>npm ci</c> on first use).
/// </summary>
[Collection(ResponsesServerCollection.Name)]
public sealed class NodeResponsesClientTests(ResponsesServerFixture fixture)
{
    [Fact]
    public async Task The_npm_openai_client_creates_and_streams_responses_with_function_calls_structured_output_and_logprobs()
    {
        var results = await NodeOpenAiClient.RunAsync("responses.mjs", fixture.Server, TimeSpan.FromMinutes(8));

        Assert.Equal(9, results.Count);
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
    }
}
