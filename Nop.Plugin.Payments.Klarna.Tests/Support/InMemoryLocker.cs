using System.Collections.Concurrent;
using Nop.Core.Caching;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// An ILocker that behaves like nopCommerce's MemoryCacheLocker / DistributedCacheLocker: PerformActionWithLockAsync
/// returns false at once when the key is held, otherwise runs the action and releases the key even when it throws
/// </summary>
public class InMemoryLocker : ILocker, ICallerAwareLocker
{
    private readonly ConcurrentDictionary<string, byte> _held = new();
    private readonly AsyncLocal<LockHolding> _holding = new();

    public int Refusals;

    /// <summary>
    /// Gets the number of times a lock was taken
    /// </summary>
    public int Acquisitions;

    /// <summary>
    /// Gets the expirations the locks were asked for
    /// </summary>
    public ConcurrentQueue<TimeSpan> Expirations { get; } = new();

    public ISet<string> HeldKeys => _held.Keys.ToHashSet();

    /// <summary>
    /// Holds a key from outside (another instance of a web farm)
    /// </summary>
    public void Hold(string key) => _held.TryAdd(key, 0);

    public void Release(string key) => _held.TryRemove(key, out _);

    public async Task<bool> PerformActionWithLockAsync(string resource, TimeSpan expirationTime, Func<Task> action)
    {
        if (!_held.TryAdd(resource, 0))
        {
            Interlocked.Increment(ref Refusals);
            return false;
        }

        Interlocked.Increment(ref Acquisitions);
        Expirations.Enqueue(expirationTime);
        _holding.Value = new LockHolding(resource, DateTime.MaxValue, _holding.Value);

        try
        {
            await action();
            return true;
        }
        catch (OperationCanceledException)
        {
            //like MemoryCacheLocker
            return true;
        }
        finally
        {
            _held.TryRemove(resource, out _);
        }
    }

    public Task RunWithHeartbeatAsync(string key, TimeSpan expirationTime, TimeSpan heartbeatInterval, Func<CancellationToken, Task> action, CancellationTokenSource cancellationTokenSource = default) =>
        PerformActionWithLockAsync(key, expirationTime, () => action(CancellationToken.None));

    public Task CancelTaskAsync(string key, TimeSpan expirationTime) => Task.CompletedTask;

    /// <inheritdoc />
    public bool IsHeldByCaller(string key) => LockHolding.Find(_holding.Value, key) is not null && _held.ContainsKey(key);

    public Task<bool> IsTaskRunningAsync(string key) => Task.FromResult(_held.ContainsKey(key));
}
