namespace Momo.Engine.Sequences;

/// <summary>A growable block of probability rows, one per token position: <c>[rows, vocabulary]</c>.</summary>
internal sealed class RowStore(int vocabulary)
{
    private float[] _data = [];

    /// <summary>Entries per row.</summary>
    public int Vocabulary => vocabulary;

    /// <summary>Row <paramref name="index"/>, growing the store when needed.</summary>
    public Span<float> Row(int index)
    {
        Reserve(index + 1);
        return _data.AsSpan(index * vocabulary, vocabulary);
    }

    /// <summary>Rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) as one flat span.</summary>
    public Span<float> Rows(int first, int count)
    {
        Reserve(first + count);
        return _data.AsSpan(first * vocabulary, count * vocabulary);
    }

    private void Reserve(int rows)
    {
        var needed = rows * vocabulary;
        if (_data.Length < needed)
        {
            Array.Resize(ref _data, Math.Max(needed, _data.Length * 2));
        }
    }
}
