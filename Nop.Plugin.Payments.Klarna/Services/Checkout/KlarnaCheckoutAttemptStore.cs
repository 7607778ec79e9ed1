using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// The table of checkout attempts (Klarna order creations recorded before the call)
/// </summary>
public interface IKlarnaCheckoutAttemptStore
{
    /// <summary>
    /// Gets the attempt of an authorization token
    /// </summary>
    /// <param name="authorizationToken">Authorization token</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the attempt or null</returns>
    Task<KlarnaCheckoutAttempt> GetByTokenAsync(string authorizationToken);

    /// <summary>
    /// Gets the attempt that created a Klarna order
    /// </summary>
    /// <param name="klarnaOrderId">Klarna order id</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the attempt or null</returns>
    Task<KlarnaCheckoutAttempt> GetByKlarnaOrderIdAsync(string klarnaOrderId);

    /// <summary>
    /// Gets the attempts still to settle (pending, or created with no nopCommerce order), oldest first
    /// </summary>
    /// <param name="customerId">The customer's only; null for every customer</param>
    /// <param name="count">At most this many</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the attempts</returns>
    Task<IList<KlarnaCheckoutAttempt>> GetUnsettledAsync(int? customerId, int count);

    /// <summary>
    /// Inserts an attempt
    /// </summary>
    /// <param name="attempt">Attempt</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task InsertAsync(KlarnaCheckoutAttempt attempt);

    /// <summary>
    /// Updates an attempt (its UpdatedOnUtc is set)
    /// </summary>
    /// <param name="attempt">Attempt</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task UpdateAsync(KlarnaCheckoutAttempt attempt);
}

/// <summary>
/// Represents the default <see cref="IKlarnaCheckoutAttemptStore"/> (IRepository, no cache)
/// </summary>
public class KlarnaCheckoutAttemptStore : IKlarnaCheckoutAttemptStore
{
    #region Fields

    protected readonly IRepository<KlarnaCheckoutAttempt> _attemptRepository;

    #endregion

    #region Ctor

    public KlarnaCheckoutAttemptStore(IRepository<KlarnaCheckoutAttempt> attemptRepository)
    {
        _attemptRepository = attemptRepository;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaCheckoutAttempt> GetByTokenAsync(string authorizationToken)
    {
        if (string.IsNullOrWhiteSpace(authorizationToken))
            return null;

        return (await _attemptRepository.GetAllAsync(query => query.Where(a => a.AuthorizationToken == authorizationToken))).FirstOrDefault();
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaCheckoutAttempt> GetByKlarnaOrderIdAsync(string klarnaOrderId)
    {
        if (string.IsNullOrWhiteSpace(klarnaOrderId))
            return null;

        return (await _attemptRepository.GetAllAsync(query => query.Where(a => a.KlarnaOrderId == klarnaOrderId))).FirstOrDefault();
    }

    /// <inheritdoc />
    public virtual async Task<IList<KlarnaCheckoutAttempt>> GetUnsettledAsync(int? customerId, int count)
    {
        var pending = (int)KlarnaCheckoutAttemptStatus.Pending;
        var created = (int)KlarnaCheckoutAttemptStatus.Created;
        var attempts = await _attemptRepository.GetAllAsync(query => query
            .Where(a => (a.StatusId == pending || a.StatusId == created) && (customerId == null || a.CustomerId == customerId))
            .OrderBy(a => a.Id)
            .Take(count));
        return attempts;
    }

    /// <inheritdoc />
    public virtual async Task InsertAsync(KlarnaCheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        attempt.UpdatedOnUtc = attempt.CreatedOnUtc = attempt.CreatedOnUtc == default ? DateTime.UtcNow : attempt.CreatedOnUtc;
        await _attemptRepository.InsertAsync(attempt, false);
    }

    /// <inheritdoc />
    public virtual async Task UpdateAsync(KlarnaCheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        attempt.UpdatedOnUtc = DateTime.UtcNow;
        await _attemptRepository.UpdateAsync(attempt, false);
    }

    #endregion
}
