using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Momo.Server.Contracts;

/// <summary>Reads OpenAI's "a string or an array of strings" fields (stop, prompt) as a list.</summary>
internal sealed class StringOrArrayConverter : JsonConverter<List<string>>
{
    /// <inheritdoc />
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return [reader.GetString()!];
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a string or an array of strings");
        }
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("expected an array of strings");
            }
            list.Add(reader.GetString()!);
        }
        return list;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }
}

/// <summary>
/// Reads message content given as a string or as an array of <c>{"type":"text","text":...}</c> parts. A part of
/// another type is remembered, not dropped, so the endpoint can refuse it naming the part.
/// </summary>
internal sealed class MessageContentConverter : JsonConverter<MessageContent>
{
    /// <inheritdoc />
    public override MessageContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new MessageContent(reader.GetString()!);
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("message content must be a string or an array of content parts");
        }
        var text = new StringBuilder();
        using var parts = JsonDocument.ParseValue(ref reader);
        var index = 0;
        foreach (var part in parts.RootElement.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw new JsonException("each content part must be an object with a type");
            }
            if (type.GetRawText() != "\"text\"")
            {
                // The raw text, never decoded: a hostile type (a lone surrogate) cannot throw here.
                return new MessageContent(text.ToString(), type.GetRawText().Trim('"'), index);
            }
            if (!part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
            {
                throw new JsonException("a text content part needs a text string");
            }
            text.Append(partText.GetString());
            index++;
        }
        return new MessageContent(text.ToString());
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
