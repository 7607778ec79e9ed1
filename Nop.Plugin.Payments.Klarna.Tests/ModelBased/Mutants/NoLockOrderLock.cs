using Microsoft.Extensions.Options;
using Nop.Core.Caching;
using Nop.Services.Logging;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

/// <summary>
/// The mutant <see cref="EngineMutant.NoLock"/>: runs the work at once, never taking nopCommerce's lock nor the order's claim
/// </summary>
public sealed class NoLockOrderLock : KlarnaOrderLock
{
    public NoLockOrderLock(KlarnaOrderClaims claims, ILocker locker, ILogger logger, IOptions<KlarnaEngineOptions> options)
        : base(claims, locker, logger, options)
    {
    }

    /// <inheritdoc />
    public override async Task<(bool Acquired, T Result)> RunAsync<T>(int orderId, TimeSpan expiration, bool wait,
        Func<KlarnaLockLease, Task<T>> action, CancellationToken cancellationToken = default) =>
        (true, await action(new KlarnaLockLease(orderId, expiration)));
}
