using Momo.Engine.Runtime;

namespace Momo.Testing;

/// <summary>
/// Holds an engine's decoding while a test acts, so that a generation is still running exactly when the test needs it,
/// however fast or slow the machine. <see cref="Wrap"/> a tier (a fake tier in the engine tests; the server's loaded
/// target through its <c>RuntimeHooks</c> in the server tests): each decode of that tier first passes the gate.
/// <list type="bullet">
/// <item>Open (the default), decodes pass.</item>
/// <item>Closed, each decode waits at the gate: the engine thread parks there, with every sequence, update channel and
/// counter at rest, until the test lets one decode through (<see cref="PassUntilAsync"/>) or opens the gate.</item>
/// <item>Stopping the engine opens it for good (<see cref="ReleaseOn"/> the engine's <c>Stopping</c> token), and so
/// does <see cref="Dispose"/>: no engine thread is left parked.</item>
/// </list>
/// </summary>
public sealed class DecodeGate(bool open = true) : IDisposable
{
    // A decode parked this long fails (its requests end with an error) instead of hanging a test that never released it.
    private static readonly TimeSpan LongestHold = TimeSpan.FromMinutes(2);

    private readonly object _lock = new(); // a monitor, not a Lock: decodes wait on it
    private readonly List<CancellationTokenRegistration> _releases = [];
    private bool _open = open;
    private int _permits;
    private int _passed;
    private int _passedWithLogits;
    private bool _holding;

    /// <summary>Whether a decode waits at the gate now (the engine is parked).</summary>
    public bool IsHolding
    {
        get
        {
            lock (_lock)
            {
                return _holding;
            }
        }
    }

    /// <summary>
    /// Decodes let through that asked for logits. On the target these are verifications: once one has passed and the
    /// engine is parked again, it has emitted at least one token for each sequence the decode verified.
    /// </summary>
    public int PassedWithLogits
    {
        get
        {
            lock (_lock)
            {
                return _passedWithLogits;
            }
        }
    }

    /// <summary>A view of <paramref name="tier"/> whose decodes pass this gate; the caller keeps owning (and disposing) the tier.</summary>
    public ITierModel Wrap(ITierModel tier) => new GatedTierModel(tier, this);

    /// <summary>From now on, each decode waits at the gate until the test lets it through.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _open = false;
            _permits = 0;
        }
    }

    /// <summary>Lets the waiting decode and every later one through.</summary>
    public void Open()
    {
        lock (_lock)
        {
            _open = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Opens the gate when <paramref name="stopping"/> is cancelled: the engine's stop must never wait on a test.</summary>
    public void ReleaseOn(CancellationToken stopping)
    {
        lock (_lock)
        {
            _releases.Add(stopping.Register(Open));
        }
    }

    /// <summary>Waits (bounded) until the engine is parked at the closed gate.</summary>
    public Task HeldAsync(string what = "the engine is parked at the decode gate") => Eventually.HoldsAsync(() => IsHolding, what);

    /// <summary>
    /// With the gate closed: waits until the engine is parked, then lets decodes through one at a time, each time
    /// waiting until the engine is parked again, until <paramref name="condition"/> holds. The condition is only read
    /// while the engine is parked, so what it reads is at rest, and the engine has gone exactly as far as needed.
    /// </summary>
    public async Task PassUntilAsync(Func<bool> condition, string what)
    {
        await HeldAsync($"the engine is parked at the decode gate, before {what}");
        while (!condition())
        {
            int passed;
            lock (_lock)
            {
                passed = _passed;
                _permits++;
                Monitor.PulseAll(_lock);
            }
            await Eventually.HoldsAsync(() => ParkedAfter(passed), $"the engine comes back to the decode gate while waiting until {what}");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Open();
        lock (_lock)
        {
            _releases.ForEach(r => r.Dispose());
            _releases.Clear();
        }
    }

    /// <summary>Called by the engine thread before each decode of a gated tier: returns when the decode may run.</summary>
    internal void Enter(bool wantsLogits)
    {
        lock (_lock)
        {
            var deadline = DateTime.UtcNow + LongestHold;
            while (!_open && _permits == 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    _holding = false;
                    throw new TimeoutException($"A decode waited {LongestHold.TotalMinutes} minutes at a closed decode gate: the test never let it through.");
                }
                _holding = true;
                Monitor.Wait(_lock, left);
            }
            _holding = false;
            if (!_open)
            {
                _permits--;
            }
            _passed++;
            _passedWithLogits += wantsLogits ? 1 : 0;
        }
    }

    // The decode let through after `passed` has run, and the engine waits at the gate again.
    private bool ParkedAfter(int passed)
    {
        lock (_lock)
        {
            return _passed > passed && _holding;
        }
    }
}
