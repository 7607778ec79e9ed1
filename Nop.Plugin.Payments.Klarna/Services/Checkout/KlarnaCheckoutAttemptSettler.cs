using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Newtonsoft.Json;
using Nop.Core.Caching;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Services.Localization;
using Nop.Services.Logging;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Settles checkout attempts whose outcome is open: a lost create-order answer is learned by repeating create order with
/// the same token; a Klarna order whose nopCommerce order was never saved is cancelled (never one handed to nopCommerce
/// moments ago, which may still be saving it); what cannot be learned before the authorization expires is logged as a
/// warning with the Klarna session and the reference, for an admin to look up in Klarna's Merchant Portal
/// </summary>
public interface IKlarnaCheckoutAttemptSettler
{
    /// <summary>
    /// Settles a customer's open attempts; the caller holds the customer's checkout lock (<see cref="LockKey"/>)
    /// </summary>
    /// <param name="customerId">Customer identifier</param>
    /// <param name="except">An authorization token to leave alone (the checkout under way)</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task SettleAsync(int customerId, string except = null);

    /// <summary>
    /// Settles a customer's open attempts under the customer's checkout lock (skipped while a checkout holds it)
    /// </summary>
    /// <param name="customerId">Customer identifier</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task SettleCustomerAsync(int customerId);

    /// <summary>
    /// Settles every open attempt, customer by customer under each one's checkout lock (the status synchronization task)
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the number of attempts looked at</returns>
    Task<int> SettleAllAsync();

    /// <summary>
    /// Cancels an attempt's authorization (best effort: logged, never thrown)
    /// </summary>
    Task CancelAuthorizationAsync(KlarnaCredentials credentials, KlarnaCheckoutAttempt attempt);

    /// <summary>
    /// Cancels an attempt's Klarna order (Order Management cancel with an idempotency key) and records it as cancelled;
    /// a failure is logged and leaves the attempt to settle again
    /// </summary>
    Task CancelOrderAsync(KlarnaCredentials credentials, KlarnaCheckoutAttempt attempt);
}

/// <summary>
/// Represents the default <see cref="IKlarnaCheckoutAttemptSettler"/>
/// </summary>
public class KlarnaCheckoutAttemptSettler : IKlarnaCheckoutAttemptSettler
{
    #region Fields

    protected readonly IKlarnaApiClient _klarnaApiClient;
    protected readonly IKlarnaCheckoutAttemptStore _attemptStore;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaPlacedOrderRecorder _recorder;
    protected readonly ILocalizationService _localizationService;
    protected readonly ILocker _locker;
    protected readonly ILogger _logger;
    protected readonly IOrderService _orderService;

    #endregion

    #region Ctor

    public KlarnaCheckoutAttemptSettler(IKlarnaApiClient klarnaApiClient,
        IKlarnaCheckoutAttemptStore attemptStore,
        IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaPlacedOrderRecorder recorder,
        ILocalizationService localizationService,
        ILocker locker,
        ILogger logger,
        IOrderService orderService)
    {
        _klarnaApiClient = klarnaApiClient;
        _attemptStore = attemptStore;
        _credentialsProvider = credentialsProvider;
        _recorder = recorder;
        _localizationService = localizationService;
        _locker = locker;
        _logger = logger;
        _orderService = orderService;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets or sets how long a Klarna order handed to nopCommerce is left alone before it is cancelled for want of a
    /// nopCommerce order (a concurrent request may still be saving it)
    /// </summary>
    public TimeSpan YoungTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets how long an authorization token can create (and repeat) an order: Klarna's 60 minutes
    /// </summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// Gets or sets how long the checkout lock of a customer is held by a settlement
    /// </summary>
    public TimeSpan LockTime { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Gets the key of a customer's checkout lock (one checkout or settlement of a customer at a time)
    /// </summary>
    /// <param name="customerId">Customer identifier</param>
    /// <returns>Key</returns>
    public static string LockKey(int customerId) => $"{KlarnaDefaults.SystemName}.Checkout.{customerId}";

    #endregion

    #region Utilities

    /// <summary>
    /// Records that the outcome can no longer be learned: a warning an admin can act on
    /// </summary>
    protected virtual async Task NeedsAttentionAsync(KlarnaCheckoutAttempt attempt)
    {
        attempt.Status = KlarnaCheckoutAttemptStatus.NeedsAttention;
        attempt.RequestJson = null;
        await _attemptStore.UpdateAsync(attempt);
        var values = new object[] { attempt.OrderGuid, attempt.SessionId,
            KlarnaAmount.FromMinor(attempt.AmountMinor, attempt.CurrencyCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
            attempt.CurrencyCode, attempt.CustomerId, attempt.LastError };
        string warning;
        try
        {
            warning = string.Format(await _localizationService.GetCheckoutTextAsync(KlarnaCheckoutMessage.AttemptNeedsAttention), values);
        }
        catch (FormatException)
        {
            // a translation with broken placeholders: the warning must not be lost, so its key and values are logged as they are
            warning = $"{KlarnaLocalizationExtensions.ResourceKeyOf(KlarnaCheckoutMessage.AttemptNeedsAttention)}: {string.Join(" | ", values)}";
        }

        await _logger.WarningAsync(warning);
    }

    /// <summary>
    /// Learns the outcome of a create order whose answer was lost, by repeating it with the same token
    /// </summary>
    protected virtual async Task SettlePendingAsync(KlarnaCheckoutAttempt attempt, KlarnaCredentials credentials)
    {
        if (DateTime.UtcNow - attempt.CreatedOnUtc > TokenLifetime || string.IsNullOrEmpty(attempt.RequestJson))
        {
            await NeedsAttentionAsync(attempt);
            return;
        }

        try
        {
            var response = await _klarnaApiClient.CreateOrderAsync(credentials, attempt.AuthorizationToken,
                JsonConvert.DeserializeObject<KlarnaSessionRequest>(attempt.RequestJson));
            attempt.KlarnaOrderId = response.OrderId;
            attempt.FraudStatus = response.FraudStatus?.Trim().ToUpperInvariant() ?? KlarnaFraudStatus.Accepted;
            attempt.Status = KlarnaCheckoutAttemptStatus.Created;
            attempt.RequestJson = null;
            await _attemptStore.UpdateAsync(attempt);
        }
        catch (KlarnaApiException exception) when (exception.IsTransient)
        {
            attempt.LastError = exception.Message;
            await _attemptStore.UpdateAsync(attempt);
        }
        catch (KlarnaApiException exception) when (exception.StatusCode == 404)
        {
            // Klarna no longer knows the token: whether the lost call created an order cannot be learned from Klarna
            attempt.LastError = exception.Message;
            await NeedsAttentionAsync(attempt);
        }
        catch (KlarnaApiException exception)
        {
            attempt.Status = KlarnaCheckoutAttemptStatus.Failed;
            attempt.LastError = exception.Message;
            attempt.RequestJson = null;
            await _attemptStore.UpdateAsync(attempt);
            await CancelAuthorizationAsync(credentials, attempt);
        }
    }

    /// <summary>
    /// A Klarna order with no nopCommerce order: recorded when nopCommerce has the order after all, cancelled when it is
    /// old enough that no request can still be saving it
    /// </summary>
    protected virtual async Task SettleCreatedAsync(KlarnaCheckoutAttempt attempt, KlarnaCredentials credentials)
    {
        var order = await _orderService.GetOrderByGuidAsync(attempt.OrderGuid);
        if (order is not null)
        {
            await _recorder.RecordPlacedOrderAsync(order);
            return;
        }

        if (DateTime.UtcNow - attempt.UpdatedOnUtc < YoungTime)
            return;

        await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna order {attempt.KlarnaOrderId} has no nopCommerce order (reference {attempt.OrderGuid}): it is cancelled");
        await CancelOrderAsync(credentials, attempt);
    }

    private async Task<bool> IsClosedAsync(KlarnaCredentials credentials, KlarnaCheckoutAttempt attempt)
    {
        try
        {
            var order = await _klarnaApiClient.GetOrderAsync(credentials, attempt.KlarnaOrderId);
            return order.Status is KlarnaOrderStatus.Cancelled or KlarnaOrderStatus.Expired;
        }
        catch (KlarnaApiException)
        {
            return false;
        }
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task SettleAsync(int customerId, string except = null)
    {
        foreach (var attempt in await _attemptStore.GetUnsettledAsync(customerId, 20))
        {
            if (attempt.AuthorizationToken == except)
                continue;

            var credentials = await _credentialsProvider.GetCredentialsAsync(attempt.StoreId, (KlarnaRegion)attempt.RegionId, (KlarnaEnvironment)attempt.EnvironmentId);
            if (credentials is null)
                continue;

            if (attempt.Status == KlarnaCheckoutAttemptStatus.Pending)
                await SettlePendingAsync(attempt, credentials);

            if (attempt.Status == KlarnaCheckoutAttemptStatus.Created)
                await SettleCreatedAsync(attempt, credentials);
        }
    }

    /// <inheritdoc />
    public virtual async Task SettleCustomerAsync(int customerId)
    {
        await _locker.PerformActionWithLockAsync(LockKey(customerId), LockTime, () => SettleAsync(customerId));
    }

    /// <inheritdoc />
    public virtual async Task<int> SettleAllAsync()
    {
        var attempts = await _attemptStore.GetUnsettledAsync(null, 500);
        foreach (var customerId in attempts.Select(attempt => attempt.CustomerId).Distinct())
        {
            try
            {
                await SettleCustomerAsync(customerId);
            }
            catch (Exception exception)
            {
                await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: the checkout attempts of customer {customerId} could not be settled ({exception.Message})", exception);
            }
        }

        return attempts.Count;
    }

    /// <inheritdoc />
    public virtual async Task CancelAuthorizationAsync(KlarnaCredentials credentials, KlarnaCheckoutAttempt attempt)
    {
        try
        {
            await _klarnaApiClient.CancelAuthorizationAsync(credentials, attempt.AuthorizationToken);
        }
        catch (Exception exception)
        {
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: the authorization of session {attempt.SessionId} could not be cancelled ({exception.Message})", exception);
        }
    }

    /// <inheritdoc />
    public virtual async Task CancelOrderAsync(KlarnaCredentials credentials, KlarnaCheckoutAttempt attempt)
    {
        try
        {
            await _klarnaApiClient.CancelOrderAsync(credentials, attempt.KlarnaOrderId, $"checkout-cancel-{attempt.KlarnaOrderId}");
            attempt.Status = KlarnaCheckoutAttemptStatus.Cancelled;
            await _attemptStore.UpdateAsync(attempt);
            return;
        }
        catch (Exception exception)
        {
            attempt.LastError = exception.Message;
        }

        // refused: cancelled (or expired) already, e.g. by Klarna's fraud decision, or to try again at the next settlement
        if (await IsClosedAsync(credentials, attempt))
        {
            attempt.Status = KlarnaCheckoutAttemptStatus.Cancelled;
            await _attemptStore.UpdateAsync(attempt);
            return;
        }

        await _attemptStore.UpdateAsync(attempt);
        await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: Klarna order {attempt.KlarnaOrderId} has no nopCommerce order and could not be cancelled ({attempt.LastError})");
    }

    #endregion
}
