using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The database's part of the order lock. nopCommerce's DistributedCacheLocker reads its key and sets it in two round trips,
/// so two web servers (or two requests of one) can both find an order free and both take it; MemoryCacheLocker's
/// GetOrCreate may run its factory twice as well. A unique index is the one atomic step every web server shares: the insert
/// of an order's claim either takes the order or fails. A claim is removed by the flow that holds it (its token), or by a
/// later flow once it expired (its holder stopped); its expiry is on the real clock, like the cache's (the web servers'
/// clocks are taken to agree within the lock's margin, <see cref="KlarnaEngineOptions.LockMargin"/>)
/// </summary>
public class KlarnaOrderClaims
{
    #region Fields

    protected readonly IRepository<KlarnaOrderClaim> _claimRepository;

    #endregion

    #region Ctor

    public KlarnaOrderClaims(IRepository<KlarnaOrderClaim> claimRepository)
    {
        _claimRepository = claimRepository;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets how many times an insert that failed while no claim of the order was found is tried
    /// </summary>
    public static int MaxAttempts => 3;

    #endregion

    #region Methods

    /// <summary>
    /// Takes an order's claim unless another flow holds it
    /// </summary>
    /// <param name="orderId">nopCommerce order identifier</param>
    /// <param name="expiration">How long the claim holds (the lock's expiration)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the claim's token, or null when another flow holds the order</returns>
    public virtual async Task<string> TryTakeAsync(int orderId, TimeSpan expiration)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = DateTime.UtcNow;

            //a claim whose time is over (its holder stopped): removed in one statement, so never one that was just renewed
            await _claimRepository.DeleteAsync(claim => claim.OrderId == orderId && claim.ExpiresOnUtc <= now);

            var mine = new KlarnaOrderClaim { OrderId = orderId, Token = Guid.NewGuid().ToString("N"), ExpiresOnUtc = now + expiration };
            try
            {
                await _claimRepository.InsertAsync(mine, false);
                return mine.Token;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                //the unique index: another flow holds the order
                var held = await _claimRepository.GetAllAsync(query => query.Where(claim => claim.OrderId == orderId));
                if (held.Count > 0)
                    return null;

                //no claim now: its holder gave it back meanwhile, so the order is tried again; an insert that keeps failing
                //without any claim of the order failed for another reason (the table missing, the database down)
                if (attempt >= MaxAttempts)
                    throw;
            }
        }
    }

    /// <summary>
    /// Gives an order's claim back (only the flow's own: a claim that expired and was taken by another flow stays theirs)
    /// </summary>
    /// <param name="orderId">nopCommerce order identifier</param>
    /// <param name="token">The token <see cref="TryTakeAsync"/> gave</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public virtual async Task ReleaseAsync(int orderId, string token)
    {
        await _claimRepository.DeleteAsync(claim => claim.OrderId == orderId && claim.Token == token);
    }

    #endregion
}
