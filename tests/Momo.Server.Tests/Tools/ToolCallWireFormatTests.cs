using System.Text;
using System.Text.Json;

namespace Momo.Server.Tests.Tools;

/// <summary>The bytes of a tool-call answer read as OpenAI writes them: quotes in strings as <c>\"</c>, not <c>\u0022</c>.</summary>
[Collection(ToolServerCollection.Name)]
public sealed class ToolCallWireFormatTests(ToolServerFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_arguments_of_a_call_escape_their_quotes_with_a_backslash_streamed_or_not(bool stream)
    {
        using var body = new StringContent(ToolTestData.ForcedWeatherCall(stream), Encoding.UTF8, "application/json");
        using var response = await fixture.Server.Http.PostAsync("v1/chat/completions", body);
        var raw = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

        Assert.True(response.IsSuccessStatusCode, raw);
        Assert.DoesNotContain("\\u0022", raw, StringComparison.Ordinal);
        // A stream splits the arguments anywhere, so only the escape itself is looked for in the raw bytes.
        Assert.Contains(stream ? "\\\"" : "\\\"city\\\"", raw, StringComparison.Ordinal);
        var arguments = string.Concat(Documents(raw, stream).Select(Arguments));
        SdkTools.AssertValid("get_weather", arguments);
    }

    private static IEnumerable<JsonElement> Documents(string raw, bool stream) => stream
        ? raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e["data: ".Length..])
            .Where(data => data != "[DONE]")
            .Select(data => JsonSerializer.Deserialize<JsonElement>(data))
        : [JsonSerializer.Deserialize<JsonElement>(raw)];

    private static string Arguments(JsonElement answer)
    {
        var choice = answer.GetProperty("choices")[0];
        var message = choice.TryGetProperty("delta", out var delta) ? delta : choice.GetProperty("message");
        return message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array
            ? string.Concat(calls.EnumerateArray().Select(call => call.GetProperty("function").TryGetProperty("arguments", out var a) ? a.GetString() : ""))
            : "";
    }
}
