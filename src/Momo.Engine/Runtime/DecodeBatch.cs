namespace Momo.Engine.Runtime;

/// <summary>
/// The tokens one tier decodes in a single call, across any number of sequences. Pure data, so the
/// engine can be tested against a fake model; <see cref="LlamaTierModel"/> turns it into a native batch.
/// </summary>
public sealed class DecodeBatch
{
    private readonly List<BatchEntry> _entries = [];

    /// <summary>Entries in the order they were added.</summary>
    public IReadOnlyList<BatchEntry> Entries => _entries;

    /// <summary>Number of tokens in the batch.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Adds one token at <paramref name="position"/> of <paramref name="sequence"/>. Returns the handle to
    /// read its logits after the decode (only meaningful when <paramref name="wantLogits"/> is true).
    /// </summary>
    public int Add(int token, int position, int sequence, bool wantLogits)
    {
        _entries.Add(new BatchEntry(token, position, sequence, wantLogits));
        return _entries.Count - 1;
    }

    /// <summary>Adds a run of tokens starting at <paramref name="firstPosition"/>; logits only for the last <paramref name="logitsForLast"/>.</summary>
    /// <returns>The handle of the first token that has logits, or -1 when none has.</returns>
    public int AddRange(ReadOnlySpan<int> tokens, int firstPosition, int sequence, int logitsForLast)
    {
        var firstHandle = -1;
        for (var i = 0; i < tokens.Length; i++)
        {
            var wantLogits = i >= tokens.Length - logitsForLast;
            var handle = Add(tokens[i], firstPosition + i, sequence, wantLogits);
            if (wantLogits && firstHandle < 0)
            {
                firstHandle = handle;
            }
        }
        return firstHandle;
    }

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear() => _entries.Clear();
}

/// <summary>One token of a <see cref="DecodeBatch"/>.</summary>
public readonly record struct BatchEntry(int Token, int Position, int Sequence, bool WantLogits);
