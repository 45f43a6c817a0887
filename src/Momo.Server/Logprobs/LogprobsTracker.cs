using System.Text;
using Momo.Engine.Results;
using Momo.Engine.Runtime;

namespace Momo.Server.Logprobs;

/// <summary>An emitted token's log-probabilities, and where its text starts in the completion text (characters).</summary>
internal readonly record struct ReleasedLogprob(TokenLogprob Entry, int TextOffset);

/// <summary>
/// Lines a request's log-probabilities up with the text it is sent. The engine reports every committed token, but the
/// text lags behind (held back at a possible stop string or a split UTF-8 character) and ends before some tokens (the
/// end-of-generation token, the tokens that spelled a stop string, tokens a verification committed past the end). So
/// a token is released once text from where it starts has been sent, and at the end the tokens that start past the
/// final text are dropped: the entries are exactly the tokens that make up the answer's text.
/// </summary>
internal sealed class LogprobsTracker(ITokenText vocabulary)
{
    private readonly Queue<(TokenLogprob Entry, long StartByte, int TextOffset)> _pending = new();
    private readonly Decoder _characters = new UTF8Encoding(false).GetDecoder();
    private readonly char[] _scratch = new char[64];
    private long _pieceBytes;
    private long _sentBytes;
    private int _pieceChars;

    /// <summary>Takes one update of the engine's and returns the entries whose text it completes, in order.</summary>
    public IReadOnlyList<ReleasedLogprob> Release(GenerationUpdate update)
    {
        foreach (var entry in update.Logprobs ?? [])
        {
            if (vocabulary.IsEndOfGeneration(entry.Token))
            {
                continue; // it adds no text: never part of the answer
            }
            _pending.Enqueue((entry, _pieceBytes, _pieceChars));
            Advance(vocabulary.Piece(entry.Token));
        }
        _sentBytes += Encoding.UTF8.GetByteCount(update.Text);
        var released = new List<ReleasedLogprob>();
        while (_pending.TryPeek(out var next) && next.StartByte < _sentBytes)
        {
            _pending.Dequeue();
            released.Add(new ReleasedLogprob(next.Entry, next.TextOffset));
        }
        if (update.Finish is not null)
        {
            _pending.Clear();
        }
        return released;
    }

    /// <summary>Moves the byte and character counts past one token's piece (characters whole only, as text is sent).</summary>
    private void Advance(ReadOnlySpan<byte> piece)
    {
        _pieceBytes += piece.Length;
        while (!piece.IsEmpty)
        {
            _characters.Convert(piece, _scratch, flush: false, out var bytesUsed, out var charsUsed, out _);
            _pieceChars += charsUsed;
            piece = piece[bytesUsed..];
        }
    }
}
