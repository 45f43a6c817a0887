using Momo.Server.Contracts;
using Momo.Server.Hosting;

namespace Momo.Server.Tools;

/// <summary>
/// A chat request's prompt, rendered once for every route that needs it (chat completions, /apply-template): the
/// checked messages, the tools written in the model's own format, the model's chat template.
/// </summary>
internal sealed record ChatPrompt(string Text, ToolRequest Tools, ToolCallSyntax Syntax)
{
    public static ChatPrompt Render(ChatCompletionRequest body, ModelRuntime runtime)
    {
        var turns = ChatTurn.Read(body.Messages);
        var tools = ToolRequestReader.Read(body, chat: true);
        var syntax = ToolCallSyntax.For(ToolCallSyntax.Detect(runtime.Text.ChatTemplate));
        return new ChatPrompt(runtime.Text.RenderChat(ToolPromptRenderer.Render(turns, tools.Tools, syntax)), tools, syntax);
    }
}
