using System.Collections.Concurrent;
using System.Diagnostics;
using Nop.Core.Caching;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// An ILocker that behaves like nopCommerce's DistributedCacheLocker: a held key that has not expired refuses at once
/// (false, no wait); the key is read and set in two steps with a round trip between them (two flows may both find it free
/// and both take it); the key expires at its expiration whether or not its holder is done; and the holder removes the key
/// when it finishes, even when the key meanwhile belongs to someone else. Optionally every lock lives at most
/// <see cref="MaxLifetime"/> (a lock that does not hold as long as it was asked for)
/// </summary>
public sealed class ExpiringLocker : ILocker, ICallerAwareLocker
{
    private readonly ConcurrentDictionary<string, DateTime> _keys = new();
    private readonly AsyncLocal<LockHolding> _holding = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>
    /// Gets or sets the longest a lock lives whatever it was asked for (null: as asked)
    /// </summary>
    public TimeSpan? MaxLifetime { get; set; }

    /// <summary>
    /// Gets the expirations the locks were asked for
    /// </summary>
    public ConcurrentQueue<TimeSpan> Requested { get; } = new();

    /// <summary>
    /// Gets the number of times a lock was taken
    /// </summary>
    public int Acquisitions;

    /// <summary>
    /// Gets the number of times a holder was still working when its lock expired
    /// </summary>
    public int ExpiredWhileHeld;

    private DateTime Now => DateTime.MinValue + _clock.Elapsed;

    public async Task<bool> PerformActionWithLockAsync(string resource, TimeSpan expirationTime, Func<Task> action)
    {
        Requested.Enqueue(expirationTime);
        var lifetime = MaxLifetime is { } max && max < expirationTime ? max : expirationTime;

        //the check and the set are two steps, as in DistributedCacheLocker (GetStringAsync, then SetStringAsync)
        if (_keys.TryGetValue(resource, out var expiresAt) && expiresAt > Now)
            return false;

        //the cache's round trip between the two steps
        await Task.Yield();

        var mine = Now + lifetime;
        _keys[resource] = mine;
        Interlocked.Increment(ref Acquisitions);
        _holding.Value = new LockHolding(resource, mine, _holding.Value);
        try
        {
            await action();
            return true;
        }
        finally
        {
            if (Now > mine)
                Interlocked.Increment(ref ExpiredWhileHeld);
            _keys.TryRemove(resource, out _);
        }
    }

    public Task RunWithHeartbeatAsync(string key, TimeSpan expirationTime, TimeSpan heartbeatInterval, Func<CancellationToken, Task> action, CancellationTokenSource cancellationTokenSource = default) =>
        PerformActionWithLockAsync(key, expirationTime, () => action(CancellationToken.None));

    public Task CancelTaskAsync(string key, TimeSpan expirationTime) => Task.CompletedTask;

    /// <inheritdoc />
    public bool IsHeldByCaller(string key) => LockHolding.Find(_holding.Value, key) is { } holding && holding.ExpiresAt > Now;

    public Task<bool> IsTaskRunningAsync(string key) => Task.FromResult(_keys.TryGetValue(key, out var expiresAt) && expiresAt > Now);
}
