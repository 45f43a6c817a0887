using System.Text;
using LLama;

namespace Momo.Engine.Runtime;

/// <summary>
/// Renders chats with a GGUF's own template text through llama.cpp, which recognises the format from its markers:
/// the Llama 3.x headers, ChatML (Qwen), Mistral <c>[INST]</c>, Gemma turns, Phi-3 and many more. A template it does
/// not recognise renders as ChatML instead, and <see cref="Renders"/> says so up front, so the server can warn.
/// </summary>
internal static class ChatTemplates
{
    /// <summary>The template used when a model carries none, or one llama.cpp cannot render.</summary>
    public const string Fallback = "chatml";

    /// <summary>Whether llama.cpp can render <paramref name="template"/> (tried on a short conversation).</summary>
    public static bool Renders(string template) => TryRender(template, [("system", "s"), ("user", "u")]) is not null;

    /// <summary>The chat rendered for the assistant's turn, or null when llama.cpp cannot render the template.</summary>
    public static string? TryRender(string template, IEnumerable<(string Role, string Content)> messages)
    {
        try
        {
            var rendering = new LLamaTemplate(template) { AddAssistant = true };
            foreach (var (role, content) in messages)
            {
                rendering.Add(role, content);
            }
            return Encoding.UTF8.GetString(rendering.Apply());
        }
        catch (Exception failure) when (failure is InvalidOperationException or ArgumentException or LLama.Exceptions.RuntimeError)
        {
            return null;
        }
    }
}
