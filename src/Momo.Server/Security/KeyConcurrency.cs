using System.Runtime.CompilerServices;

namespace Momo.Server.Security;

/// <summary>Requests in flight per API key (by the key's index), bounded by a limit; 0 means unbounded.</summary>
internal sealed class KeyConcurrency(int limit)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, StrongBox<int>> _counts = new();

    /// <summary>Counts one more request for <paramref name="key"/>; false (and nothing counted) when at the limit.</summary>
    public bool TryEnter(int key)
    {
        if (limit <= 0)
        {
            return true;
        }
        var box = _counts.GetOrAdd(key, _ => new StrongBox<int>());
        if (Interlocked.Increment(ref box.Value) <= limit)
        {
            return true;
        }
        Interlocked.Decrement(ref box.Value);
        return false;
    }

    /// <summary>Ends a request counted by <see cref="TryEnter"/>.</summary>
    public void Exit(int key)
    {
        if (limit > 0 && _counts.TryGetValue(key, out var box))
        {
            Interlocked.Decrement(ref box.Value);
        }
    }
}
