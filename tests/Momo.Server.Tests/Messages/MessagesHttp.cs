using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Momo.Server.Tests.Messages;

/// <summary>Raw HTTP calls to /v1/messages, and the request bodies the tests share.</summary>
internal static class MessagesHttp
{
    public const string ReadTool = """{"name":"read","description":"Reads a file.","input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"],"additionalProperties":false}}""";

    /// <summary>A body asking the agent family to read notes.txt, with the read tool and greedy decoding.</summary>
    public static JsonObject ReadNotes(string toolChoice = """{"type":"any"}""") => Body($$"""
        {"model":"{{ServerInstance.ModelId}}","max_tokens":120,"temperature":0,"tools":[{{ReadTool}}],"tool_choice":{{toolChoice}},
         "messages":[{"role":"user","content":"Please read notes.txt."}]}
        """);

    public static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(
        ServerInstance server, JsonNode body, string path = "v1/messages", IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A streamed request's events in order: each SSE event's name and its data.</summary>
    public static async Task<List<(string Name, JsonElement Data)>> StreamAsync(ServerInstance server, JsonObject body)
    {
        body["stream"] = true;
        using var response = await server.Http.PostAsync("v1/messages", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var events = new List<(string, JsonElement)>();
        foreach (var frame in (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.True(lines.Length == 2 && lines[0].StartsWith("event: ", StringComparison.Ordinal) && lines[1].StartsWith("data: ", StringComparison.Ordinal), frame);
            events.Add((lines[0]["event: ".Length..], JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone()));
        }
        return events;
    }

    /// <summary>The text of a message's text blocks.</summary>
    public static string Text(JsonElement message) =>
        string.Concat(message.GetProperty("content").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()));
}
