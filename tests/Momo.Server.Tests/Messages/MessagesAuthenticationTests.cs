using System.Net;
using Momo.Server.Tests.Security;
using static Momo.Server.Tests.Messages.MessagesHttp;

namespace Momo.Server.Tests.Messages;

/// <summary>With API keys configured, /v1/messages takes the key from x-api-key (Anthropic's clients) or Authorization: Bearer.</summary>
public sealed class MessagesAuthenticationTests(KeyedServerFixture fixture) : IClassFixture<KeyedServerFixture>
{
    private static System.Text.Json.Nodes.JsonObject Count() => Body($$"""{"model":"{{ServerInstance.ModelId}}","messages":[{"role":"user","content":"Hello"}]}""");

    [Fact]
    public async Task A_key_in_x_api_key_is_accepted()
    {
        var (status, _) = await PostAsync(fixture.Server, Count(), "v1/messages/count_tokens", new Dictionary<string, string> { ["x-api-key"] = KeyedServerFixture.KeyB });

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_key_as_a_bearer_token_is_accepted_too()
    {
        var (status, _) = await PostAsync(fixture.Server, Count(), "v1/messages/count_tokens", new Dictionary<string, string> { ["Authorization"] = "Bearer " + KeyedServerFixture.KeyA });

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData(null, "No API key provided")]
    [InlineData("sk-wrong", "Incorrect API key")]
    public async Task A_missing_or_wrong_key_is_a_401_authentication_error(string? key, string says)
    {
        var headers = key is null ? null : new Dictionary<string, string> { ["x-api-key"] = key };

        var (status, error) = await PostAsync(fixture.Server, Count(), "v1/messages/count_tokens", headers);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        MessagesErrorTests.AssertAnthropicError(error, "authentication_error", says);
    }
}
