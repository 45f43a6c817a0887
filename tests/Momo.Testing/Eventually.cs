namespace Momo.Testing;

/// <summary>
/// The one way tests wait: bounded polling for state another thread changes, or a bounded wait for a task. Never an
/// unbounded loop, never a fixed sleep; a wait that runs out throws naming what it waited for.
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait lasts unless told otherwise: far beyond what any awaited state needs on a loaded machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    /// <summary>Waits until <paramref name="condition"/> holds; throws naming <paramref name="what"/> after <paramref name="timeout"/> (default 30 s).</summary>
    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Waits until the asynchronous <paramref name="condition"/> (an HTTP read, a query) holds; throws naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
            await Task.Delay(Poll);
        }
    }

    /// <summary>Waits for <paramref name="task"/> and returns its result; throws naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> CompletesAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        await CompletesAsync((Task)task, what, timeout);
        return await task;
    }

    /// <summary>Waits for <paramref name="task"/>; throws naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task CompletesAsync(Task task, string what, TimeSpan? timeout = null)
    {
        try
        {
            await task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Timed out waiting until {what}.");
        }
    }
}
