using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using Nop.Core.Caching;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The time a held order lock has left (measured on the real clock, like the lock's expiration)
/// </summary>
public sealed class KlarnaLockLease
{
    private readonly Stopwatch _held = Stopwatch.StartNew();

    public KlarnaLockLease(int orderId, TimeSpan expiration)
    {
        OrderId = orderId;
        Expiration = expiration;
    }

    public int OrderId { get; }

    /// <summary>
    /// Gets the expiration the lock was taken with
    /// </summary>
    public TimeSpan Expiration { get; }

    /// <summary>
    /// Gets the time left before the lock expires
    /// </summary>
    public TimeSpan Remaining => Expiration - _held.Elapsed;

    /// <summary>
    /// Gets a value indicating whether the lock has at least <paramref name="needed"/> left
    /// </summary>
    public bool HasLeft(TimeSpan needed) => Remaining >= needed;
}

/// <summary>
/// Serializes the work on one order across the web farm with nopCommerce's ILocker (DistributedCacheLocker or
/// MemoryCacheLocker). ILocker answers at once when the key is held; a command waits a bounded time for it, a status sync
/// run or a block read tries once
/// </summary>
public class KlarnaOrderLock
{
    #region Fields

    protected readonly ILocker _locker;
    protected readonly KlarnaEngineOptions _options;

    #endregion

    #region Ctor

    public KlarnaOrderLock(ILocker locker, IOptions<KlarnaEngineOptions> options)
    {
        _locker = locker;
        _options = options?.Value ?? new KlarnaEngineOptions();
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets the lock key of an order
    /// </summary>
    /// <param name="orderId">nopCommerce order identifier</param>
    /// <returns>Key</returns>
    public static string KeyOf(int orderId) => KlarnaDefaults.OrderLockKey(orderId);

    /// <summary>
    /// Runs an action under the order's lock
    /// </summary>
    /// <typeparam name="T">Result type</typeparam>
    /// <param name="orderId">nopCommerce order identifier</param>
    /// <param name="expiration">Lock expiration (<see cref="KlarnaLockBudget.Expiration"/>)</param>
    /// <param name="wait">True to wait for a held lock (up to <see cref="KlarnaEngineOptions.LockWait"/>), false to try once</param>
    /// <param name="action">The work</param>
    /// <param name="cancellationToken">Cancels the waiting (never the work once it runs)</param>
    /// <returns>A task that represents the asynchronous operation; the task result tells whether the lock was taken and the action's result</returns>
    public virtual async Task<(bool Acquired, T Result)> RunAsync<T>(int orderId, TimeSpan expiration, bool wait,
        Func<KlarnaLockLease, Task<T>> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);

        var waited = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            T result = default;
            ExceptionDispatchInfo failure = null;
            var ran = false;
            var acquired = await _locker.PerformActionWithLockAsync(KeyOf(orderId), expiration, async () =>
            {
                ran = true;
                try
                {
                    result = await action(new KlarnaLockLease(orderId, expiration));
                }
                catch (Exception exception)
                {
                    //nopCommerce's MemoryCacheLocker swallows OperationCanceledException: keep every exception for the caller
                    failure = ExceptionDispatchInfo.Capture(exception);
                }
            });

            failure?.Throw();
            if (acquired && ran)
                return (true, result);

            if (!wait || waited.Elapsed + _options.LockPollInterval > _options.LockWait)
                return (false, default);

            await Task.Delay(_options.LockPollInterval, cancellationToken);
        }
    }

    #endregion
}
