using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;

namespace Momo.Server.Tests.Tools;

/// <summary>response_format and schema refusals through the real OpenAI .NET SDK and raw HTTP.</summary>
[Collection(ToolServerCollection.Name)]
public sealed class StructuredOutputSdkTests(ToolServerFixture fixture)
{
    private const string Peach =
        """{"type":"object","properties":{"finder":{"type":"string","enum":["old woman","old man"]},"fruit":{"const":"peach"},"count":{"type":"integer","minimum":1,"maximum":9}},"required":["finder","fruit","count"],"additionalProperties":false}""";

    [Fact]
    public async Task A_json_schema_response_format_answers_json_that_validates()
    {
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 200,
            Temperature = 0,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("peach", BinaryData.FromString(Peach), jsonSchemaIsStrict: true),
        };

        ChatCompletion completion = await fixture.Server.Chat().CompleteChatAsync([new UserChatMessage("Who found the peach?")], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        using var answer = JsonDocument.Parse(completion.Content[0].Text);
        var root = answer.RootElement;
        Assert.Contains(root.GetProperty("finder").GetString(), new[] { "old woman", "old man" });
        Assert.Equal("peach", root.GetProperty("fruit").GetString());
        Assert.InRange(root.GetProperty("count").GetInt32(), 1, 9);
        Assert.Equal(3, root.EnumerateObject().Count());
    }

    [Fact]
    public async Task A_json_object_response_format_answers_a_json_object_streamed_or_not()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 200, Temperature = 0, ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() };
        ChatMessage[] question = [new UserChatMessage("Tell the tale as JSON.")];

        ChatCompletion completion = await fixture.Server.Chat().CompleteChatAsync(question, options);
        var streamed = new StringBuilder();
        await foreach (var update in fixture.Server.Chat().CompleteChatStreamingAsync(question, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        Assert.Equal(completion.Content[0].Text, streamed.ToString());
        Assert.True(completion.Content[0].Text.TrimStart().StartsWith('{'), completion.Content[0].Text);
        if (completion.FinishReason == ChatFinishReason.Stop)
        {
            using var answer = JsonDocument.Parse(completion.Content[0].Text);
            Assert.Equal(JsonValueKind.Object, answer.RootElement.ValueKind);
        }
    }

    [Fact]
    public async Task A_tool_schema_the_grammar_cannot_use_is_a_400_naming_the_tool_and_the_schema_path()
    {
        var options = SdkTools.Options(ChatToolChoice.CreateRequiredChoice());
        options.Tools.Add(ChatTool.CreateFunctionTool("broken", "x", BinaryData.FromString("""{"type":"object","properties":{"when":{"type":"chronon"}}}""")));

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Server.Chat().CompleteChatAsync(SdkTools.Question, options));

        Assert.Equal(400, refused.Status);
        var error = ErrorOf(refused);
        Assert.Equal("tools[2].function.parameters", error.GetProperty("param").GetString());
        Assert.Contains("/properties/when", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_format_schema_the_grammar_cannot_use_is_a_400_naming_the_schema()
    {
        const string Body = """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","properties":{"a":{"type":"chronon"}}}}}}""";

        using var response = await fixture.Server.Http.PostAsync("v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        Assert.Equal("response_format.json_schema.schema", error.GetProperty("param").GetString());
        Assert.Contains("/properties/a", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_left_recursive_schema_is_a_400_not_a_server_error()
    {
        const string Body = """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/a"},{"type":"string"}]}},"$ref":"#/$defs/a"}}}}""";

        using var response = await fixture.Server.Http.PostAsync("v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("response_format", document.RootElement.GetProperty("error").GetProperty("param").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_completions_endpoint_honours_a_json_schema_response_format()
    {
        var body = """{"prompt":"The peach:","max_tokens":200,"temperature":0,"response_format":{"type":"json_schema","json_schema":{"name":"peach","schema":"""
            + Peach + "}}}";

        using var response = await fixture.Server.Http.PostAsync("v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var text = document.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!;
        using var answer = JsonDocument.Parse(text);
        Assert.Equal("peach", answer.RootElement.GetProperty("fruit").GetString());
    }

    private static JsonElement ErrorOf(ClientResultException refused)
    {
        using var document = JsonDocument.Parse(refused.GetRawResponse()!.Content.ToString());
        return document.RootElement.GetProperty("error").Clone();
    }
}
