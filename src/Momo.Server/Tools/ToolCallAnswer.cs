namespace Momo.Server.Tools;

/// <summary>Ids of the tool calls an OpenAI answer holds.</summary>
internal static class ToolCallAnswer
{
    /// <summary>A new call id: <c>call_</c> and 24 random letters and digits.</summary>
    public static string NewId() => "call_" + Guid.NewGuid().ToString("N")[..24];
}
