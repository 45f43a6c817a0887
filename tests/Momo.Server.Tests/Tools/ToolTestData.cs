using System.Text.Json;
using Momo.Server.Contracts;
using Momo.Server.Tools;

namespace Momo.Server.Tests.Tools;

/// <summary>Tools and conversations the tool tests share.</summary>
internal static class ToolTestData
{
    public const string WeatherFunction =
        """{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""";

    public const string TimeFunction =
        """{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"type":"string","enum":["UTC","CET"]}},"required":["zone"]}}""";

    public static readonly string WeatherPrompt = "{\"type\":\"function\",\"function\":" + WeatherFunction + "}";

    public static readonly string TimePrompt = "{\"type\":\"function\",\"function\":" + TimeFunction + "}";

    /// <summary>
    /// A chat request (JSON, model <see cref="ServerInstance.ModelId"/>, greedy) that forces one call of get_weather,
    /// whose city is an enum so the call ends within a few tokens.
    /// </summary>
    public static string ForcedWeatherCall(bool stream) =>
        "{\"model\":\"" + ServerInstance.ModelId + "\",\"stream\":" + (stream ? "true" : "false") + """
        ,"temperature":0,"max_tokens":160,
         "messages":[{"role":"system","content":"You tell the tale."},{"role":"user","content":"What is the weather in Osaka?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
           "properties":{"city":{"type":"string","enum":["Paris","Tokyo","Osaka"]}},"required":["city"],"additionalProperties":false}}}],
         "tool_choice":{"type":"function","function":{"name":"get_weather"}}}
        """;

    /// <summary>The request's tool fields read from a JSON object holding them.</summary>
    public static ToolRequest Read(string fields, bool chat = true)
    {
        using var document = JsonDocument.Parse(fields);
        var extra = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        return ToolRequestReader.Read(new ChatCompletionRequest { Extra = extra }, chat);
    }

    /// <summary>Both tools, offered with the given tool_choice (JSON).</summary>
    public static ToolRequest Offer(string choice = "\"auto\"", bool parallel = true) =>
        Read($$"""{"tools":[{"type":"function","function":{{WeatherFunction}}},{"type":"function","function":{{TimeFunction}}}],"tool_choice":{{choice}},"parallel_tool_calls":{{(parallel ? "true" : "false")}}}""");

    /// <summary>A system prompt, a question, two calls, their two results.</summary>
    public static IReadOnlyList<ChatTurn> Conversation { get; } =
    [
        new("system", "Be brief.", []),
        new("user", "Weather and time in Paris?", []),
        new("assistant", "", [new("call_1", "get_weather", "{\"city\": \"Paris\"}"), new("call_2", "get_time", "{\"zone\": \"CET\"}")]),
        new("tool", "18 C", [], "call_1"),
        new("tool", "14:05", [], "call_2"),
    ];
}
