using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests.Security;

/// <summary>API keys: every route, every key source, wrong and missing keys, and the per-key concurrency limit.</summary>
public sealed class AuthenticationTests(KeyedServerFixture fixture) : IClassFixture<KeyedServerFixture>
{
    private const string Completion = """{"prompt":"The old man","max_tokens":2,"temperature":0}""";
    private const string Chat = """{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"temperature":0}""";

    private HttpClient Http => fixture.Server.Http;

    // (method, path, body, protected): every route the server maps.
    public static TheoryData<string, string, string?, bool> Routes => new()
    {
        { "POST", "v1/chat/completions", Chat, true },
        { "POST", "v1/completions", Completion, true },
        { "GET", "v1/models", null, true },
        { "GET", "v1/models/momo-test", null, true },
        { "GET", "v1/no-such-route", null, true },
        { "POST", "tokenize", """{"content":"The old man"}""", true },
        { "POST", "detokenize", """{"tokens":[5]}""", true },
        { "POST", "apply-template", """{"messages":[{"role":"user","content":"hi"}]}""", true },
        { "GET", "alive", null, true },
        { "GET", "metrics", null, true },
        { "GET", "health", null, false },
        { "GET", "openapi/v1.json", null, false },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_request_without_a_key_is_refused_401_invalid_api_key_on_protected_routes_only(string method, string path, string? body, bool isProtected)
    {
        using var response = await SendAsync(method, path, body, authorization: null);

        if (isProtected)
        {
            await AssertInvalidKeyAsync(response);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_wrong_key_is_refused_on_protected_routes_and_never_echoed(string method, string path, string? body, bool isProtected)
    {
        const string Wrong = "sk-momo-test-key-alpha-0002";
        using var response = await SendAsync(method, path, body, new AuthenticationHeaderValue("Bearer", Wrong));

        if (isProtected)
        {
            var text = await AssertInvalidKeyAsync(response);
            Assert.DoesNotContain(Wrong, text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_configured_key_opens_every_route(string method, string path, string? body, bool isProtected)
    {
        _ = isProtected;
        foreach (var key in new[] { KeyedServerFixture.KeyA, KeyedServerFixture.KeyB, KeyedServerFixture.FileKey })
        {
            using var response = await SendAsync(method, path, body, new AuthenticationHeaderValue("Bearer", key));
            var expected = path == "v1/no-such-route" ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.Equal(expected, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("Basic c2stbW9tbw==")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("sk-momo-test-key-alpha-0001")]
    [InlineData("Bearer sk-momo-test-key-alpha-000")]
    [InlineData("Bearer sk-momo-test-key-alpha-00011")]
    [InlineData("Bearer # one key a line")]
    public async Task Malformed_authorization_headers_are_refused_401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var response = await Http.SendAsync(request);
        await AssertInvalidKeyAsync(response);
    }

    [Fact]
    public async Task The_openai_sdk_works_with_a_key_and_fails_without_one()
    {
        var withKey = new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential(KeyedServerFixture.KeyB),
            new OpenAI.OpenAIClientOptions { Endpoint = new Uri(fixture.Server.Address, "v1") });
        var models = await withKey.GetOpenAIModelClient().GetModelsAsync();
        Assert.Contains(models.Value, m => m.Id == ServerInstance.ModelId);

        var failure = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => fixture.Server.Client().GetOpenAIModelClient().GetModelsAsync());
        Assert.Equal(401, failure.Status);
    }

    [Fact]
    public async Task A_second_request_on_a_key_at_its_concurrency_limit_gets_429_while_another_key_is_served()
    {
        // The first request is held in flight for key A by the decode gate: it is generating until the gate opens. It
        // goes over a raw socket with Connection: close, so its answer ends only once the server is done with it (and has
        // counted it out of key A).
        var gate = fixture.Gate;
        gate.Close();
        try
        {
            var body = Encoding.UTF8.GetBytes(Completion);
            using var socket = new System.Net.Sockets.TcpClient();
            await socket.ConnectAsync(fixture.Server.Address.Host, fixture.Server.Address.Port);
            var stream = socket.GetStream();
            var head = $"POST /v1/completions HTTP/1.1\r\nHost: {fixture.Server.Address.Authority}\r\nAuthorization: Bearer {KeyedServerFixture.KeyA}\r\n" +
                $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body);
            await stream.FlushAsync();
            using var heldReader = new StreamReader(stream);
            var held = heldReader.ReadToEndAsync();
            await gate.HeldAsync("the held request generates, counted against key A");

            using var refused = await SendAsync("POST", "v1/completions", Completion, new AuthenticationHeaderValue("Bearer", KeyedServerFixture.KeyA));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("rate_limit_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
            Assert.Equal("concurrent_requests_exceeded", error.RootElement.GetProperty("error").GetProperty("code").GetString());
            var otherKey = SendAsync("POST", "v1/completions", Completion, new AuthenticationHeaderValue("Bearer", KeyedServerFixture.KeyB));
            await Eventually.HoldsAsync(() => fixture.Server.Engine.Counters.Waiting == 1, "key B's request is queued while key A is at its limit");
            gate.Open();
            using var other = await Eventually.CompletesAsync(otherKey, "key B's request is answered");
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);

            Assert.StartsWith("HTTP/1.1 200", await Eventually.CompletesAsync(held, "the held request is answered"), StringComparison.Ordinal);
            using var after = await SendAsync("POST", "v1/completions", Completion, new AuthenticationHeaderValue("Bearer", KeyedServerFixture.KeyA));
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
        finally
        {
            gate.Open(); // the fixture's other tests need the engine
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        request.Headers.Authorization = authorization;
        return await Http.SendAsync(request);
    }

    private static async Task<string> AssertInvalidKeyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return text;
    }
}
