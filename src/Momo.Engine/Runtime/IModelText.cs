namespace Momo.Engine.Runtime;

/// <summary>
/// The served model's text handling, as the server and the benchmark need it: rendering a chat with the model's own
/// template, tokenizing, and (through <see cref="ITokenText"/>) turning generated tokens back into text.
/// </summary>
public interface IModelText : ITokenText
{
    /// <summary>Number of tokens in the vocabulary.</summary>
    int Count { get; }

    /// <summary>Tokenizes text; <paramref name="parseSpecial"/> turns template markers such as &lt;|im_start|&gt; into their tokens.</summary>
    int[] Tokenize(string text, bool addBos, bool parseSpecial);

    /// <summary>True when the model carries no chat template, or one llama.cpp cannot render: chats then render as ChatML.</summary>
    bool UsesFallbackTemplate { get; }

    /// <summary>The chat template text in use: the GGUF's own, or <c>chatml</c> when it falls back. The server reads its
    /// markers to choose how tools and tool calls are written into the conversation.</summary>
    string ChatTemplate { get; }

    /// <summary>
    /// The text a token spells, special tokens included (<c>&lt;|im_end|&gt;</c>), as the tokenizer routes show it;
    /// <see cref="ITokenText.Piece"/> is what a token adds to generated text, where control tokens add nothing.
    /// </summary>
    byte[] Spelling(int token);

    /// <summary>Renders a chat with the model's own template (ChatML when the file has none), ready for the assistant's turn.</summary>
    string RenderChat(IEnumerable<(string Role, string Content)> messages);
}

/// <summary>The loaded tiers and the target's text handling, which every request uses.</summary>
public sealed record LoadedModel(TierSet Tiers, IModelText Text) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Tiers.Dispose();
}
