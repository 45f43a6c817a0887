namespace Momo.Testing;

/// <summary>Bounded polling for state another thread changes: never an unbounded loop, never a fixed sleep.</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds; throws naming <paramref name="what"/> after <paramref name="timeout"/> (default 30 s).</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
            await Task.Delay(5);
        }
    }

    /// <summary>Waits until the asynchronous <paramref name="condition"/> holds (a scrape, a request); bounded like the synchronous one.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
            await Task.Delay(5);
        }
    }
}
