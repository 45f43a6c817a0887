using System.Text;
using LLama;
using LLama.Native;

namespace Momo.Engine.Runtime;

/// <summary>Tokenizer, detokenizer, chat template and special tokens of a loaded model.</summary>
public sealed class TierVocabulary : IModelText
{
    private readonly LLamaWeights _weights;
    private readonly SafeLlamaModelHandle _model;
    private readonly byte[]?[] _pieces;

    internal TierVocabulary(LLamaWeights weights)
    {
        _weights = weights;
        var model = weights.NativeHandle;
        _model = model;
        Count = model.Vocab.Count;
        _pieces = new byte[]?[Count];
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public string RenderChat(IEnumerable<(string Role, string Content)> messages)
    {
        var hasTemplate = _weights.Metadata.ContainsKey("tokenizer.chat_template");
        var template = hasTemplate ? new LLamaTemplate(_weights) : new LLamaTemplate("chatml");
        template.AddAssistant = true;
        foreach (var (role, content) in messages)
        {
            template.Add(role, content);
        }
        return Encoding.UTF8.GetString(template.Apply());
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

    private byte[] LongPiece(int token, int length)
    {
        var buffer = new byte[length];
        _model.TokenToSpan(token, buffer, 0, special: false);
        return buffer;
    }
}
