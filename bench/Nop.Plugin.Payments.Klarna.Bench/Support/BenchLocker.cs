using System.Collections.Concurrent;
using Nop.Core.Caching;

namespace Nop.Plugin.Payments.Klarna.Bench.Support;

/// <summary>
/// An ILocker that behaves like nopCommerce's MemoryCacheLocker: PerformActionWithLockAsync returns false at once when the
/// key is held, otherwise runs the action and releases the key (also when it throws)
/// </summary>
public sealed class BenchLocker : ILocker
{
    private readonly ConcurrentDictionary<string, byte> _held = new();

    /// <summary>
    /// Gets the number of locks taken
    /// </summary>
    public long Acquisitions;

    public async Task<bool> PerformActionWithLockAsync(string resource, TimeSpan expirationTime, Func<Task> action)
    {
        if (!_held.TryAdd(resource, 0))
            return false;

        Interlocked.Increment(ref Acquisitions);
        try
        {
            await action();
            return true;
        }
        catch (OperationCanceledException)
        {
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

    public Task<bool> IsTaskRunningAsync(string key) => Task.FromResult(_held.ContainsKey(key));
}
