namespace Momo.Engine.Text;

/// <summary>
/// Finds stop strings in streamed text. Text that could still be the start of a stop string is held back, so a stop
/// string that spans token boundaries still stops generation and none of it is ever emitted.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private readonly string[] _stops = stops.Where(s => s.Length > 0).ToArray();
    private string _held = "";

    /// <summary>The stop string that ended the text, once one has (the earliest in the text; the first listed on a tie).</summary>
    public string? Matched { get; private set; }

    /// <summary>Adds text; returns what is safe to emit, and whether a stop string was found (text after it is dropped).</summary>
    public (string SafeToEmit, bool Stopped) Push(string text)
    {
        if (_stops.Length == 0)
        {
            return (text, false);
        }
        var buffer = _held + text;
        var first = -1;
        foreach (var stop in _stops)
        {
            var at = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
                Matched = stop;
            }
        }
        if (first >= 0)
        {
            _held = "";
            return (buffer[..first], true);
        }
        var keep = LongestStopPrefixAtEnd(buffer);
        _held = buffer[^keep..];
        return (buffer[..^keep], false);
    }

    /// <summary>Releases held text at the end of generation (no stop string can complete any more).</summary>
    public string Flush()
    {
        var held = _held;
        _held = "";
        return held;
    }

    // The longest suffix of the buffer that is a proper prefix of some stop string.
    private int LongestStopPrefixAtEnd(string buffer)
    {
        var longest = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > longest; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
