using System.Text.Json;
using OpenAI.Chat;

namespace Momo.Server.Tests.Tools;

/// <summary>Tools offered through the OpenAI .NET SDK. Their arguments are enums, so every constrained call ends.</summary>
internal static class SdkTools
{
    public static readonly string[] Cities = ["Paris", "Tokyo", "Osaka"];

    public static readonly string[] Zones = ["UTC", "CET", "JST"];

    public static ChatTool Weather { get; } = ChatTool.CreateFunctionTool(
        "get_weather", "The weather of a city.",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Tokyo","Osaka"]}},"required":["city"],"additionalProperties":false}"""),
        functionSchemaIsStrict: true);

    public static ChatTool Time { get; } = ChatTool.CreateFunctionTool(
        "get_time", "The time in a zone.",
        BinaryData.FromString("""{"type":"object","properties":{"zone":{"type":"string","enum":["UTC","CET","JST"]}},"required":["zone"],"additionalProperties":false}"""));

    public static readonly ChatMessage[] Question = [new SystemChatMessage("You tell the tale."), new UserChatMessage("What is the weather in Osaka?")];

    /// <summary>Options offering both tools, greedy.</summary>
    public static ChatCompletionOptions Options(ChatToolChoice? choice, int maxTokens = 160, bool? parallel = null)
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = maxTokens, Temperature = 0, ToolChoice = choice, AllowParallelToolCalls = parallel };
        options.Tools.Add(Weather);
        options.Tools.Add(Time);
        return options;
    }

    /// <summary>Asserts a call names an offered function and its arguments validate under that function's schema.</summary>
    public static void AssertValid(string name, string arguments)
    {
        using var parsed = JsonDocument.Parse(arguments);
        var root = parsed.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var (key, allowed) = name switch
        {
            "get_weather" => ("city", Cities),
            "get_time" => ("zone", Zones),
            _ => throw new Xunit.Sdk.XunitException($"the model called '{name}', which was not offered"),
        };
        Assert.Equal([key], root.EnumerateObject().Select(p => p.Name));
        Assert.Contains(root.GetProperty(key).GetString(), allowed);
    }
}
