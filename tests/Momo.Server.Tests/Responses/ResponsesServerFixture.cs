using System.Net;
using System.Text;
using System.Text.Json;
using Momo.Testing;

namespace Momo.Server.Tests.Responses;

/// <summary>
/// A server over the tiny family with room for tool prompts (the tiny vocabulary spells JSON nearly a byte per
/// token) that keeps only three stored responses, so eviction is reachable.
/// </summary>
public sealed class ResponsesServerFixture : IAsyncLifetime
{
    /// <summary>Momo:Limits:MaxStoredResponses of this server.</summary>
    public const int StoredResponses = 3;

    private ServerInstance? _server;

    public ServerInstance Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync(
        TestFamilies.Tiny,
        new Dictionary<string, string?>
        {
            ["Momo:ContextSize"] = "4096",
            ["Momo:MaxSequences"] = "2",
            ["Momo:Limits:MaxStoredResponses"] = StoredResponses.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>POSTs <paramref name="json"/> and returns the status and the parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json, string path = "v1/responses")
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Server.Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>The prompt tokens /v1/responses/input_tokens counts for <paramref name="json"/> (which must be accepted).</summary>
    public async Task<int> InputTokensAsync(string json)
    {
        var (status, body) = await PostAsync(json, "v1/responses/input_tokens");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("response.input_tokens", body.GetProperty("object").GetString());
        return body.GetProperty("input_tokens").GetInt32();
    }

    /// <summary>POSTs a streamed request and returns each event's SSE name and data, checking the content type.</summary>
    public async Task<IReadOnlyList<(string Name, JsonElement Data)>> StreamAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Server.Http.PostAsync("v1/responses", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonElement)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            using var data = JsonDocument.Parse(lines[1]["data: ".Length..]);
            events.Add((lines[0]["event: ".Length..], data.RootElement.Clone()));
        }
        return events;
    }
}

[CollectionDefinition(Name)]
public sealed class ResponsesServerCollection : ICollectionFixture<ResponsesServerFixture>
{
    public const string Name = "responses-server";
}
