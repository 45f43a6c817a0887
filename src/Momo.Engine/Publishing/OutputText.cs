using System.Text;
using Momo.Engine.Results;
using Momo.Engine.Runtime;
using Momo.Engine.Text;

namespace Momo.Engine.Publishing;

/// <summary>
/// Turns a request's committed tokens into the text it may see: whole UTF-8 characters only, stop strings
/// held back until they can be ruled out and never emitted, and the finish reason once one applies.
/// </summary>
internal sealed class OutputText(ITokenText vocabulary, IReadOnlyList<string> stops, int maxTokens)
{
    private readonly IncrementalUtf8Decoder _utf8 = new();
    private readonly StopSequenceMatcher _stops = new(stops);

    /// <summary>Completion tokens counted so far (including one that ended generation).</summary>
    public int CompletionTokens { get; private set; }

    /// <summary>The stop string that ended generation, if one did.</summary>
    public string? MatchedStop => _stops.Matched;

    /// <summary>
    /// Consumes newly committed tokens in order, stopping at the first that finishes the request; tokens after it
    /// are ignored (a speculative round may commit past the end).
    /// </summary>
    public (string Text, FinishReason? Finish) Accept(ReadOnlySpan<int> tokens)
    {
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            CompletionTokens++;
            if (vocabulary.IsEndOfGeneration(token))
            {
                return (text.Append(FlushAll()).ToString(), FinishReason.Stop);
            }
            var (safe, stopped) = _stops.Push(_utf8.Push(vocabulary.Piece(token)));
            text.Append(safe);
            if (stopped)
            {
                return (text.ToString(), FinishReason.Stop);
            }
            if (CompletionTokens >= maxTokens)
            {
                return (text.Append(FlushAll()).ToString(), FinishReason.Length);
            }
        }
        return (text.ToString(), null);
    }

    /// <summary>Releases held text when generation ends for a reason other than a stop string.</summary>
    public string FlushAll()
    {
        var (safe, stopped) = _stops.Push(_utf8.Flush());
        return stopped ? safe : safe + _stops.Flush();
    }
}
