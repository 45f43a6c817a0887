using System.Text;
using Momo.Engine.Runtime;

namespace Momo.Engine.Tests.Engine;

/// <summary>
/// A deterministic stand-in for a llama tier: logits are a pure function of the tokens the tier has CACHED for the
/// sequence (the last two), so a KV rollback bug changes the output and the identity tests catch it. Each tier adds
/// its own perturbation of the shared base, so tiers disagree by a tunable amount. It enforces llama.cpp's rules the
/// engine relies on: positions must extend the cache contiguously, and the cache has a fixed number of cells.
/// </summary>
/// A tier may have more tokens than another (padding, as real families have): ids from
/// <paramref name="paddingFrom"/> up get <paramref name="paddingBias"/> added, so a tier that could propose them would.
internal sealed class FakeTierModel(
    string name, int vocabulary, double disagreement, int kvCapacity = 1 << 20, int maxBatchTokens = 4096, float endBias = FakeTierModel.DefaultEndBias,
    int paddingFrom = int.MaxValue, float paddingBias = 0f)
    : ITierModel
{
    /// <summary>Keeps the end token rare so generations have some length.</summary>
    public const float DefaultEndBias = -2.5f;

    private readonly Dictionary<int, List<int>> _cache = [];
    private readonly List<float[]> _logits = [];
    // Stable across runs (string.GetHashCode is randomised per process).
    private readonly int _salt = name.Aggregate(17, (h, c) => (h * 31) + c);

    public string Name => name;
    public int VocabularySize => vocabulary;
    public int KvCapacity => kvCapacity;
    public int MaxBatchTokens => maxBatchTokens;

    /// <summary>Decode calls so far, the largest number of sequences and of tokens one call carried.</summary>
    public int DecodeCalls { get; private set; }
    public int MaxSequencesInOneDecode { get; private set; }
    public int LargestBatch { get; private set; }

    /// <summary>
    /// Decodes in which some sequence's run of tokens went on past the end token: speculation past the end of the
    /// text, which the engine must never send to a tier.
    /// </summary>
    public int DecodesPastTheEnd { get; private set; }

    public int UsedCells => _cache.Values.Sum(c => c.Count);

    /// <summary>Decodes refused because the cache was full.</summary>
    public int FullRefusals { get; private set; }

    /// <summary>A prompt starting with this token makes every decode that carries it fail (a fault in one sequence).</summary>
    public int? PoisonFirstToken { get; set; }

    public void Decode(DecodeBatch batch)
    {
        LargestBatch = Math.Max(LargestBatch, batch.Count);
        if (PoisonFirstToken is { } poison && batch.Entries.Any(e => e.Position == 0 && e.Token == poison))
        {
            throw new InvalidOperationException($"{name}: a poisoned sequence reached the decode");
        }
        if (batch.Count > maxBatchTokens)
        {
            throw new BatchTooLargeException(name, batch.Count, maxBatchTokens); // as llama.cpp's n_batch assert would
        }
        if (UsedCells + batch.Count > kvCapacity)
        {
            FullRefusals++;
            throw new KvCacheFullException(name, batch.Count);
        }
        DecodeCalls++;
        MaxSequencesInOneDecode = Math.Max(MaxSequencesInOneDecode, batch.Entries.Select(e => e.Sequence).Distinct().Count());
        _logits.Clear();
        var ended = new HashSet<int>();
        var pastTheEnd = false;
        foreach (var entry in batch.Entries)
        {
            var cache = CacheOf(entry.Sequence);
            if (entry.Position != cache.Count)
            {
                throw new InvalidOperationException(
                    $"{name}: sequence {entry.Sequence} decodes position {entry.Position} but caches {cache.Count} tokens.");
            }
            if (entry.Token < 0 || entry.Token >= vocabulary)
            {
                // llama_decode refuses a batch holding an id outside the model's vocabulary.
                throw new InvalidOperationException($"{name}: token {entry.Token} is outside its vocabulary of {vocabulary}.");
            }
            cache.Add(entry.Token);
            _logits.Add(entry.WantLogits ? LogitsFor(cache) : []);
            pastTheEnd |= ended.Contains(entry.Sequence);
            if (entry.Token == FakeVocabulary.EndOfText)
            {
                ended.Add(entry.Sequence);
            }
        }
        DecodesPastTheEnd += pastTheEnd ? 1 : 0;
    }

    public ReadOnlySpan<float> Logits(int handle) =>
        _logits[handle].Length > 0 ? _logits[handle] : throw new InvalidOperationException("no logits were asked for this entry");

    public void Truncate(int sequence, int length)
    {
        var cache = CacheOf(sequence);
        if (cache.Count > length)
        {
            cache.RemoveRange(length, cache.Count - length);
        }
    }


    /// <summary>When set, sharing a prefix between sequences fails, as a native error while setting up a slot would.</summary>
    public bool FailCopies { get; set; }

    public void CopyPrefix(int source, int destination, int length)
    {
        if (FailCopies)
        {
            throw new InvalidOperationException($"{name}: copying a prefix failed");
        }
        var target = CacheOf(destination);
        if (target.Count != 0)
        {
            throw new InvalidOperationException($"{name}: copying into sequence {destination}, which still caches {target.Count} tokens.");
        }
        target.AddRange(CacheOf(source).Take(length));
    }

    /// <summary>Bytes a saved token takes (a real tier's KV per token), so host cache limits can be tested.</summary>
    public long SnapshotBytesPerToken { get; set; } = 1024;

    /// <summary>When set, restoring a snapshot fails as llama.cpp's does when no contiguous cells are free.</summary>
    public bool RefuseRestores { get; set; }

    /// <summary>When set, saving a snapshot fails as an allocation with no host memory left would.</summary>
    public bool FailSaves { get; set; }

    /// <summary>Snapshots taken and written back so far.</summary>
    public int Saves { get; private set; }
    public int Restores { get; private set; }

    public KvSnapshot SaveSequence(int sequence)
    {
        if (FailSaves)
        {
            throw new InsufficientMemoryException($"{name}: no host memory for a snapshot");
        }
        Saves++;
        return new FakeKvSnapshot(name, [.. CacheOf(sequence)], SnapshotBytesPerToken);
    }

    public bool RestoreSequence(int sequence, KvSnapshot snapshot)
    {
        var saved = (FakeKvSnapshot)snapshot;
        if (saved.Tier != name)
        {
            throw new InvalidOperationException($"{name}: restoring a snapshot of the {saved.Tier} tier.");
        }
        var cache = CacheOf(sequence);
        cache.Clear(); // llama.cpp empties the sequence first, and leaves it empty when the restore fails
        if (RefuseRestores || UsedCells + saved.Tokens.Length > kvCapacity)
        {
            return false;
        }
        Restores++;
        cache.AddRange(saved.Tokens);
        return true;
    }

    public void Dispose()
    {
    }

    private List<int> CacheOf(int sequence)
    {
        if (!_cache.TryGetValue(sequence, out var cache))
        {
            _cache[sequence] = cache = [];
        }
        return cache;
    }

    private float[] LogitsFor(List<int> context)
    {
        var last = context[^1];
        var previous = context.Count > 1 ? context[^2] : -1;
        var row = new float[vocabulary];
        for (var token = 0; token < vocabulary; token++)
        {
            var shared = Noise(last, previous, token, salt: 0) * 3.0;
            var own = Noise(last, previous, token, _salt) * disagreement;
            row[token] = (float)(shared + own);
        }
        row[FakeVocabulary.EndOfText] += endBias;
        for (var token = paddingFrom; token < vocabulary; token++)
        {
            row[token] += paddingBias;
        }
        return row;
    }

    // A stable hash of (a, b, c, salt) in [-1, 1].
    private static double Noise(int a, int b, int c, int salt)
    {
        var h = (uint)(a * 73856093) ^ (uint)(b * 19349663) ^ (uint)(c * 83492791) ^ (uint)salt;
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        return (h / (double)uint.MaxValue * 2.0) - 1.0;
    }
}

/// <summary>Token text for the fake tiers: token t reads "t{t} "; token 1 ends the text.</summary>
internal sealed class FakeVocabulary : ITokenText
{
    public const int EndOfText = 1;

    public ReadOnlySpan<byte> Piece(int token) => Encoding.UTF8.GetBytes($"t{token} ");

    public bool IsEndOfGeneration(int token) => token == EndOfText;
}
