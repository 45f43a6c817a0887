namespace Momo.Engine.Runtime;

/// <summary>What the engine needs of a tokenizer to turn generated tokens into text.</summary>
public interface ITokenText
{
    /// <summary>The bytes <paramref name="token"/> contributes to output text (may be part of a UTF-8 character).</summary>
    ReadOnlySpan<byte> Piece(int token);

    /// <summary>Whether <paramref name="token"/> ends generation.</summary>
    bool IsEndOfGeneration(int token);
}
