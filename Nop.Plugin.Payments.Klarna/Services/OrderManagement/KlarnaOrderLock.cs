using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using Nop.Core.Caching;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The time a held order lock has left, measured on the real clock (like the lock's expiration) from before the lock was
/// asked for: the cache and the database start their expiry later, so the time left is never overstated
/// </summary>
public sealed class KlarnaLockLease
{
    private readonly long _askedAt;

    public KlarnaLockLease(int orderId, TimeSpan expiration) : this(orderId, expiration, Stopwatch.GetTimestamp())
    {
    }

    /// <param name="orderId">nopCommerce order identifier</param>
    /// <param name="expiration">The expiration the lock was asked for with</param>
    /// <param name="askedAt">When the lock was asked for (<see cref="Stopwatch.GetTimestamp"/>)</param>
    public KlarnaLockLease(int orderId, TimeSpan expiration, long askedAt)
    {
        OrderId = orderId;
        Expiration = expiration;
        _askedAt = askedAt;
    }

    public int OrderId { get; }

    /// <summary>
    /// Gets the expiration the lock was taken with
    /// </summary>
    public TimeSpan Expiration { get; }

    /// <summary>
    /// Gets the time left before the lock expires
    /// </summary>
    public TimeSpan Remaining => Expiration - Stopwatch.GetElapsedTime(_askedAt);

    /// <summary>
    /// Gets a value indicating whether the lock has at least <paramref name="needed"/> left
    /// </summary>
    public bool HasLeft(TimeSpan needed) => Remaining >= needed;
}

/// <summary>
/// Serializes the work on one order across the web farm: nopCommerce's ILocker (DistributedCacheLocker or
/// MemoryCacheLocker), then the order's claim in the database (<see cref="KlarnaOrderClaims"/>), because ILocker reads and
/// sets its key in two steps and so may let two flows in at once. ILocker answers at once when the key is held; a command
/// waits a bounded time for the order, a status sync run or a block read tries once
/// </summary>
public class KlarnaOrderLock
{
    #region Fields

    protected readonly KlarnaOrderClaims _claims;
    protected readonly ILocker _locker;
    protected readonly ILogger _logger;
    protected readonly KlarnaEngineOptions _options;

    #endregion

    #region Ctor

    public KlarnaOrderLock(KlarnaOrderClaims claims, ILocker locker, ILogger logger, IOptions<KlarnaEngineOptions> options)
    {
        _claims = claims;
        _locker = locker;
        _logger = logger;
        _options = options?.Value ?? new KlarnaEngineOptions();
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gives the order's claim back; when that fails, the work's outcome stands and the claim expires by itself
    /// </summary>
    protected virtual async Task ReleaseAsync(int orderId, string token)
    {
        try
        {
            await _claims.ReleaseAsync(orderId, token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: the claim of order {orderId} was not given back; it expires by itself", exception);
        }
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
            var askedAt = Stopwatch.GetTimestamp();
            var acquired = await _locker.PerformActionWithLockAsync(KeyOf(orderId), expiration, async () =>
            {
                try
                {
                    //ILocker may have let another flow in as well: the order's claim decides
                    var token = await _claims.TryTakeAsync(orderId, expiration);
                    if (token is null)
                        return;

                    ran = true;
                    try
                    {
                        result = await action(new KlarnaLockLease(orderId, expiration, askedAt));
                    }
                    finally
                    {
                        await ReleaseAsync(orderId, token);
                    }
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
