using System.Text;

namespace Momo.Engine.Text;

/// <summary>
/// Turns token byte pieces into text without ever splitting a character: a token may carry part of a UTF-8 sequence
/// (byte-fallback tokens), so incomplete trailing bytes wait for the next piece. Invalid bytes become U+FFFD instead
/// of an error (llama-server answers HTTP 500 on invalid UTF-8; we must not).
/// </summary>
internal sealed class IncrementalUtf8Decoder
{
    // A decoder with replacement fallback keeps incomplete sequences in its state between calls.
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];

    /// <summary>Adds bytes; returns the characters completed by them.</summary>
    public string Push(ReadOnlySpan<byte> bytes) => Decode(bytes, flush: false);

    /// <summary>Ends the stream: any incomplete trailing bytes become U+FFFD.</summary>
    public string Flush() => Decode([], flush: true);

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = _decoder.GetCharCount(bytes, flush);
        if (_chars.Length < needed)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }
        var count = _decoder.GetChars(bytes, _chars, flush);
        return new string(_chars, 0, count);
    }
}
