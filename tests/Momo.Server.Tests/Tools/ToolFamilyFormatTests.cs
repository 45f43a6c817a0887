using Microsoft.Extensions.DependencyInjection;
using Momo.Server.Hosting;
using Momo.Server.Tools;
using Momo.Testing;
using OpenAI.Chat;

namespace Momo.Server.Tests.Tools;

/// <summary>
/// Forced calls on forged families whose templates are Llama 3's and ChatML's: the server recognises the format from
/// the GGUF's own template, and the grammar makes even a model never trained to call write a valid call in it.
/// </summary>
public sealed class ToolFamilyFormatTests
{
    [Theory]
    [InlineData("llama3-bpe", "Llama3")]
    [InlineData("chatml-bpe", "Hermes")]
    public async Task A_named_call_on_a_byte_level_bpe_family_is_valid_streamed_and_not(string name, string format)
    {
        var family = name == "llama3-bpe" ? TestFamilies.Llama3Bpe : TestFamilies.ChatMlBpe;
        await using var server = await ServerInstance.StartAsync(family, new Dictionary<string, string?> { ["Momo:ContextSize"] = "2048", ["Momo:MaxSequences"] = "1" });
        var runtime = server.Services.GetRequiredService<RuntimeHolder>().Require();
        Assert.Equal(Enum.Parse<ChatFormat>(format), ToolCallSyntax.Detect(runtime.Text.ChatTemplate));
        var options = SdkTools.Options(ChatToolChoice.CreateFunctionChoice("get_weather"), maxTokens: 64);

        ChatCompletion whole = await server.Chat().CompleteChatAsync(SdkTools.Question, options);
        var arguments = new System.Text.StringBuilder();
        string? streamedName = null;
        await foreach (var update in server.Chat().CompleteChatStreamingAsync(SdkTools.Question, options))
        {
            foreach (var piece in update.ToolCallUpdates)
            {
                streamedName ??= piece.FunctionName;
                arguments.Append(piece.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal(ChatFinishReason.ToolCalls, whole.FinishReason);
        var call = Assert.Single(whole.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        SdkTools.AssertValid(call.FunctionName, call.FunctionArguments.ToString());
        Assert.Equal("get_weather", streamedName);
        Assert.Equal(call.FunctionArguments.ToString(), arguments.ToString());
    }
}
