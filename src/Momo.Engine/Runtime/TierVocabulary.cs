using System.Text;
using LLama;
using LLama.Native;

namespace Momo.Engine.Runtime;

/// <summary>Tokenizer, detokenizer, chat template and special tokens of a loaded model.</summary>
public sealed class TierVocabulary : IModelText
{
    private readonly SafeLlamaModelHandle _model;
    private readonly byte[]?[] _pieces;
    private readonly string _template;

    internal TierVocabulary(LLamaWeights weights)
    {
        var model = weights.NativeHandle;
        _model = model;
        Count = model.Vocab.Count;
        _pieces = new byte[]?[Count];
        // Read once from the metadata LLamaSharp has already copied: LLamaTemplate's model constructor scans the native
        // template string with a vectorised IndexOf over an unbounded span, which can read past the string's end into
        // an unmapped page and crash the process (AccessViolationException, seen with the forged BPE families).
        var template = weights.Metadata.TryGetValue("tokenizer.chat_template", out var text) ? text : null;
        UsesFallbackTemplate = template is null || !ChatTemplates.Renders(template);
        _template = UsesFallbackTemplate ? ChatTemplates.Fallback : template!;
    }

    /// <inheritdoc />
    public bool UsesFallbackTemplate { get; }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public string ChatTemplate => _template;

    /// <inheritdoc />
    public string RenderChat(IEnumerable<(string Role, string Content)> messages)
    {
        return ChatTemplates.TryRender(_template, messages)
            ?? throw new InvalidOperationException("The chat could not be rendered with the model's template.");
    }

    /// <inheritdoc />
    public int[] Tokenize(string text, bool addBos, bool parseSpecial)
    {
        var tokens = _model.Tokenize(text, addBos, parseSpecial, Encoding.UTF8);
        return Array.ConvertAll(tokens, t => (int)t);
    }

    /// <summary>Whether <paramref name="token"/> ends generation (EOS, end of turn).</summary>
    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(_model.Vocab);

    /// <summary>The bytes a token stands for in output text (empty for control tokens). Cached: called per generated token.</summary>
    public ReadOnlySpan<byte> Piece(int token)
    {
        if (_pieces[token] is { } cached)
        {
            return cached;
        }
        Span<byte> buffer = stackalloc byte[256];
        var length = (int)_model.TokenToSpan(token, buffer, 0, special: false);
        var piece = length <= buffer.Length ? buffer[..length].ToArray() : LongPiece(token, length);
        _pieces[token] = piece;
        return piece;
    }

    /// <inheritdoc />
    public byte[] Spelling(int token)
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = (int)_model.TokenToSpan(token, buffer, 0, special: true);
        return length <= buffer.Length ? buffer[..length].ToArray() : LongPiece(token, length, special: true);
    }

    private byte[] LongPiece(int token, int length, bool special = false)
    {
        var buffer = new byte[length];
        _model.TokenToSpan(token, buffer, 0, special);
        return buffer;
    }
}
