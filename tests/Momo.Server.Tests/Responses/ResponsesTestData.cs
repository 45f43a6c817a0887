using System.Text.Json;

namespace Momo.Server.Tests.Responses;

/// <summary>Tools the Responses tests share, in the Responses API's flat shape.</summary>
internal static class ResponsesTestData
{
    public const string Weather =
        """{"type":"function","name":"get_weather","description":"The weather of a city.","strict":true,"parameters":{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Tokyo","Osaka"]}},"required":["city"],"additionalProperties":false}}""";

    /// <summary>A namespace like Codex's multi_agent_v1, holding two functions.</summary>
    public const string Agents =
        """{"type":"namespace","name":"multi_agent_v1","description":"Tools for spawning and managing sub-agents.","tools":[{"type":"function","name":"spawn_agent","description":"Starts a sub-agent.","parameters":{"type":"object","properties":{"message":{"type":"string","enum":["Find the peach.","Count the demons."]}},"required":["message"],"additionalProperties":false}},{"type":"function","name":"close_agent","parameters":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}}]}""";

    /// <summary>Codex's hosted web search tool.</summary>
    public const string WebSearch = """{"type":"web_search","external_web_access":false}""";

    /// <summary>Checks that a get_weather call's arguments follow its schema.</summary>
    public static void AssertWeatherArguments(string arguments)
    {
        using var parsed = JsonDocument.Parse(arguments);
        var property = Assert.Single(parsed.RootElement.EnumerateObject());
        Assert.Equal("city", property.Name);
        Assert.Contains(property.Value.GetString(), new[] { "Paris", "Tokyo", "Osaka" });
    }
}
