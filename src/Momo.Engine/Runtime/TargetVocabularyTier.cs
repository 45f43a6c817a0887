namespace Momo.Engine.Runtime;

/// <summary>
/// Shows a draft or qualifier whose vocabulary differs from the target's (real families pad: Qwen2.5 7B has 152,064
/// tokens, 0.5B 151,936) as a tier with exactly the target's vocabulary, so every probability row the engine keeps is
/// target-sized and the decoding phases never see two lengths.
/// <list type="bullet">
/// <item>Logits of ids this tier lacks read −∞: probability 0 after any sampling transform.</item>
/// <item>Logits of ids beyond the target's vocabulary (padding) are cut off: the tier can never propose a token the
/// target lacks.</item>
/// <item>A committed token this tier lacks (the target may emit one of its extra ids) is fed as <see cref="StandIn"/>:
/// lossless, because this tier only proposes and every proposal is verified against the tier above.</item>
/// </list>
/// </summary>
internal sealed class TargetVocabularyTier : ITierModel
{
    /// <summary>Token fed in place of an id the tier lacks.</summary>
    public const int StandIn = 0;

    private readonly ITierModel _inner;
    private readonly DecodeBatch _mapped = new();
    private readonly float[] _widened; // [target vocabulary]; ids the tier lacks stay −∞

    private TargetVocabularyTier(ITierModel inner, int targetVocabulary)
    {
        _inner = inner;
        VocabularySize = targetVocabulary;
        _widened = inner.VocabularySize < targetVocabulary ? new float[targetVocabulary] : [];
        _widened.AsSpan(Math.Min(inner.VocabularySize, _widened.Length)).Fill(float.NegativeInfinity);
    }

    /// <summary><paramref name="tier"/> itself when its vocabulary is the target's size, else the adapted view.</summary>
    public static ITierModel? Fit(ITierModel? tier, int targetVocabulary) =>
        tier is null || tier.VocabularySize == targetVocabulary ? tier : new TargetVocabularyTier(tier, targetVocabulary);

    /// <summary>The wrapped tier's own vocabulary size.</summary>
    public int OwnVocabularySize => _inner.VocabularySize;

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public int KvCapacity => _inner.KvCapacity;

    /// <inheritdoc />
    public int MaxBatchTokens => _inner.MaxBatchTokens;

    /// <inheritdoc />
    public void Decode(DecodeBatch batch)
    {
        var own = _inner.VocabularySize;
        var entries = batch.Entries;
        var needsMapping = false;
        for (var i = 0; i < entries.Count && !needsMapping; i++)
        {
            needsMapping = entries[i].Token >= own;
        }
        if (!needsMapping)
        {
            _inner.Decode(batch);
            return;
        }
        _mapped.Clear();
        foreach (var e in entries)
        {
            _mapped.Add(e.Token < own ? e.Token : StandIn, e.Position, e.Sequence, e.WantLogits);
        }
        _inner.Decode(_mapped);
    }

    /// <summary>
    /// The target-sized logits of batch entry <paramref name="handle"/>. When the tier has fewer tokens than the target
    /// the span is a scratch row, valid until the next call (the phases read each row before asking for the next).
    /// </summary>
    public ReadOnlySpan<float> Logits(int handle)
    {
        var logits = _inner.Logits(handle);
        if (logits.Length >= VocabularySize)
        {
            return logits[..VocabularySize];
        }
        logits.CopyTo(_widened);
        return _widened;
    }

    /// <inheritdoc />
    public void Truncate(int sequence, int length) => _inner.Truncate(sequence, length);

    /// <inheritdoc />
    public void CopyPrefix(int source, int destination, int length) => _inner.CopyPrefix(source, destination, length);

    /// <inheritdoc />
    public KvSnapshot SaveSequence(int sequence) => _inner.SaveSequence(sequence);

    /// <inheritdoc />
    public bool RestoreSequence(int sequence, KvSnapshot snapshot) => _inner.RestoreSequence(sequence, snapshot);

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();
}
