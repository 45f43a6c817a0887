using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Momo.Server.Contracts;

/// <summary>Body of POST /tokenize (llama-server's).</summary>
internal sealed class TokenizeRequest
{
    /// <summary>The text to tokenize.</summary>
    public string? Content { get; init; }

    /// <summary>Insert the model's special tokens (BOS); default false.</summary>
    public bool? AddSpecial { get; init; }

    /// <summary>Read special-token text such as &lt;|im_start|&gt; as those tokens; default true.</summary>
    public bool? ParseSpecial { get; init; }

    /// <summary>Answer each token's text beside its id; default false.</summary>
    public bool? WithPieces { get; init; }
}

/// <summary>POST /tokenize's answer: token ids.</summary>
internal sealed record TokenizeResponse(IReadOnlyList<int> Tokens);

/// <summary>POST /tokenize's answer with <c>with_pieces</c>: each id with its text.</summary>
internal sealed record TokenizeWithPiecesResponse(IReadOnlyList<TokenPiece> Tokens);

/// <summary>A token and the text it spells: a string when that is valid UTF-8, else the list of its bytes.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819", Justification = "The token's bytes, made for this answer and only serialized.")]
internal sealed record TokenPiece(int Id, [property: JsonConverter(typeof(PieceConverter))] byte[] Piece);

/// <summary>Body of POST /detokenize.</summary>
internal sealed class DetokenizeRequest
{
    /// <summary>Token ids.</summary>
    public List<int>? Tokens { get; init; }
}

/// <summary>POST /detokenize's answer.</summary>
internal sealed record DetokenizeResponse(string Content);

/// <summary>POST /apply-template's answer: the chat rendered as the chat endpoint renders it.</summary>
internal sealed record ApplyTemplateResponse(string Prompt);

/// <summary>Writes a token's bytes as llama-server does: a string when they are valid UTF-8, else an array of bytes.</summary>
internal sealed class PieceConverter : JsonConverter<byte[]>
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    /// <inheritdoc />
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("pieces are only written");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        try
        {
            writer.WriteStringValue(Strict.GetString(value));
        }
        catch (DecoderFallbackException)
        {
            writer.WriteStartArray();
            foreach (var b in value)
            {
                writer.WriteNumberValue(b);
            }
            writer.WriteEndArray();
        }
    }
}
