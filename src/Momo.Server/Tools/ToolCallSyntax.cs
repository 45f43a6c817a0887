namespace Momo.Server.Tools;

/// <summary>The tool-calling conventions a model family was trained on, recognised from its chat template.</summary>
internal enum ChatFormat
{
    /// <summary>Llama 3.x: tools in the system turn, a call is a bare JSON object, results in <c>ipython</c> turns.</summary>
    Llama3,

    /// <summary>Hermes, Qwen and other ChatML models: <c>&lt;tools&gt;</c> in the system turn, <c>&lt;tool_call&gt;</c> tags.</summary>
    Hermes,

    /// <summary>Mistral: <c>[AVAILABLE_TOOLS]</c>, <c>[TOOL_CALLS]</c>, <c>[TOOL_RESULTS]</c>.</summary>
    Mistral,

    /// <summary>Any other template: Hermes-style tags inside the model's own turns.</summary>
    Generic,
}

/// <summary>
/// How one format writes a block of tool calls, as literal text around each call's name and arguments:
/// <c>BlockOpen + call (Separator + call)* + BlockClose</c>, where a call is
/// <c>CallOpen + name + ArgumentsKey + arguments JSON + CallClose</c>. The prompt renderer writes history with it,
/// the grammar forces it, and the parser reads it back, so a call sent back as history renders exactly as the
/// model wrote it.
/// </summary>
internal sealed record ToolCallSyntax(
    ChatFormat Format, string Trigger, string BlockOpen, string CallOpen, string ArgumentsKey, string CallClose, string Separator, string BlockClose)
{
    /// <summary>Hermes/Qwen: one <c>&lt;tool_call&gt;</c> element per call, on lines of their own.</summary>
    public static ToolCallSyntax Hermes { get; } = new(
        ChatFormat.Hermes, "<tool_call>", "", "<tool_call>\n{\"name\": \"", "\", \"arguments\": ", "}\n</tool_call>", "\n", "");

    /// <summary>Llama 3.x JSON tool calling: <c>{"name": ..., "parameters": ...}</c>, one object per line.</summary>
    public static ToolCallSyntax Llama3 { get; } = new(
        ChatFormat.Llama3, "{\"name\"", "", "{\"name\": \"", "\", \"parameters\": ", "}", "\n", "");

    /// <summary>Mistral: <c>[TOOL_CALLS]</c> followed by a JSON array of calls.</summary>
    public static ToolCallSyntax Mistral { get; } = new(
        ChatFormat.Mistral, "[TOOL_CALLS]", "[TOOL_CALLS][", "{\"name\": \"", "\", \"arguments\": ", "}", ", ", "]");

    /// <summary>The generic format: Hermes's tags.</summary>
    public static ToolCallSyntax Generic { get; } = Hermes with { Format = ChatFormat.Generic };

    /// <summary>The syntax of <paramref name="format"/>.</summary>
    public static ToolCallSyntax For(ChatFormat format) => format switch
    {
        ChatFormat.Llama3 => Llama3,
        ChatFormat.Hermes => Hermes,
        ChatFormat.Mistral => Mistral,
        _ => Generic,
    };

    /// <summary>
    /// The format a chat template was written for, from its markers: Llama 3.x headers, ChatML turns (Hermes, Qwen),
    /// Mistral instruction blocks; anything else (Gemma, Phi-3, an unknown template) is <see cref="ChatFormat.Generic"/>.
    /// </summary>
    public static ChatFormat Detect(string template)
    {
        if (template.Contains("<|start_header_id|>", StringComparison.Ordinal))
        {
            return ChatFormat.Llama3;
        }
        // "chatml" is the name the runtime gives its fallback when a model has no template it can render.
        if (template.Contains("<|im_start|>", StringComparison.Ordinal) || template == "chatml")
        {
            return ChatFormat.Hermes;
        }
        return template.Contains("[INST]", StringComparison.Ordinal) ? ChatFormat.Mistral : ChatFormat.Generic;
    }

    /// <summary>One call as text.</summary>
    public string Call(string name, string arguments) => CallOpen + name + ArgumentsKey + arguments + CallClose;

    /// <summary>A block of calls as text.</summary>
    public string Block(IEnumerable<(string Name, string Arguments)> calls) =>
        BlockOpen + string.Join(Separator, calls.Select(c => Call(c.Name, c.Arguments))) + BlockClose;
}
