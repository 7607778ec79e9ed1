using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Newtonsoft.Json;
using Nop.Core.Caching;
using Nop.Core.Domain.Customers;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Localization;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents what create order needs at checkout
/// </summary>
public class KlarnaPlacementRequest
{
    public Customer Customer { get; set; }
    public int StoreId { get; set; }
    public Guid OrderGuid { get; set; }
    public string SessionId { get; set; }
    public string AuthorizationToken { get; set; }
    public KlarnaCredentials Credentials { get; set; }

    /// <summary>
    /// Gets or sets the create-order body (cart, references, merchant URLs, addresses)
    /// </summary>
    public KlarnaSessionRequest Order { get; set; }
}

/// <summary>
/// Represents the outcome of create order at checkout: Klarna's order, or a localized error for the customer
/// </summary>
public class KlarnaPlacementResult
{
    public string KlarnaOrderId { get; init; }
    public string FraudStatus { get; init; }
    public string Error { get; init; }
    public bool Success => Error is null;
}

/// <summary>
/// Creates the Klarna order of a checkout so that nothing is lost: the attempt (session, token, amount, reference) is
/// recorded before the call; a lost answer is settled by repeating create order with the same token (Klarna's create
/// order is idempotent per token: the repeat answers with the same order); one customer's checkouts run one at a time
/// (nopCommerce's ILocker), and an attempt handed to nopCommerce moments ago is never handed to a second request nor
/// cancelled while nopCommerce may still be saving its order
/// </summary>
public interface IKlarnaOrderPlacementService
{
    /// <summary>
    /// Creates (or finds again) the Klarna order of an authorization
    /// </summary>
    /// <param name="request">Request</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the outcome</returns>
    Task<KlarnaPlacementResult> PlaceAsync(KlarnaPlacementRequest request);
}

/// <summary>
/// Represents the default <see cref="IKlarnaOrderPlacementService"/>
/// </summary>
public class KlarnaOrderPlacementService : IKlarnaOrderPlacementService
{
    #region Fields

    protected readonly IKlarnaApiClient _klarnaApiClient;
    protected readonly IKlarnaCheckoutAttemptSettler _settler;
    protected readonly IKlarnaCheckoutAttemptStore _attemptStore;
    protected readonly ILocalizationService _localizationService;
    protected readonly ILocker _locker;
    protected readonly ILogger _logger;

    #endregion

    #region Ctor

    public KlarnaOrderPlacementService(IKlarnaApiClient klarnaApiClient,
        IKlarnaCheckoutAttemptSettler settler,
        IKlarnaCheckoutAttemptStore attemptStore,
        ILocalizationService localizationService,
        ILocker locker,
        ILogger logger)
    {
        _klarnaApiClient = klarnaApiClient;
        _settler = settler;
        _attemptStore = attemptStore;
        _localizationService = localizationService;
        _locker = locker;
        _logger = logger;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets or sets how often create order is sent when no answer arrives (the first call and its repeats)
    /// </summary>
    public int MaxCalls { get; set; } = 3;

    /// <summary>
    /// Gets or sets the pause before a repeat of create order (times the number of the repeat)
    /// </summary>
    public TimeSpan RepeatDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Gets or sets how long a customer's checkout holds the customer's lock at most
    /// </summary>
    public TimeSpan LockTime { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Gets or sets how long a Klarna order handed to nopCommerce is not handed to another request (nopCommerce may still be
    /// saving its order)
    /// </summary>
    public TimeSpan HandOverTime { get; set; } = TimeSpan.FromMinutes(1);

    #endregion

    #region Utilities

    protected virtual async Task<KlarnaPlacementResult> FailAsync(KlarnaCheckoutMessage message) =>
        new() { Error = await _localizationService.GetCheckoutTextAsync(message) };

    protected static KlarnaPlacementResult Placed(KlarnaCheckoutAttempt attempt) =>
        new() { KlarnaOrderId = attempt.KlarnaOrderId, FraudStatus = attempt.FraudStatus };

    /// <summary>
    /// The attempt of an authorization that was seen before (a repeat of the confirm, a second tab, a retry after a lost answer)
    /// </summary>
    protected virtual async Task<KlarnaPlacementResult> ContinueAsync(KlarnaCheckoutAttempt attempt, KlarnaPlacementRequest request)
    {
        switch (attempt.Status)
        {
            case KlarnaCheckoutAttemptStatus.Pending:
                attempt.OrderGuid = request.OrderGuid;
                attempt.RequestJson ??= JsonConvert.SerializeObject(request.Order);
                return await CallAsync(attempt, request.Credentials, JsonConvert.DeserializeObject<KlarnaSessionRequest>(attempt.RequestJson));

            case KlarnaCheckoutAttemptStatus.Created when DateTime.UtcNow - attempt.UpdatedOnUtc >= HandOverTime:
                // nopCommerce did not save the order an earlier request was given: this request gets the same Klarna order
                attempt.OrderGuid = request.OrderGuid;
                await _attemptStore.UpdateAsync(attempt);
                return Placed(attempt);

            case KlarnaCheckoutAttemptStatus.Created:
                return await FailAsync(KlarnaCheckoutMessage.InProgress);

            case KlarnaCheckoutAttemptStatus.Placed:
                return await FailAsync(KlarnaCheckoutMessage.AlreadyPlaced);

            case KlarnaCheckoutAttemptStatus.Failed:
                return await FailAsync(KlarnaCheckoutMessage.CreateOrderFailed);

            default:
                return await FailAsync(KlarnaCheckoutMessage.AuthorizationExpired);
        }
    }

    /// <summary>
    /// Sends create order (and repeats it with the same token while no answer arrives), then records the outcome
    /// </summary>
    protected virtual async Task<KlarnaPlacementResult> CallAsync(KlarnaCheckoutAttempt attempt, KlarnaCredentials credentials, KlarnaSessionRequest order)
    {
        for (var call = 1; call <= MaxCalls; call++)
        {
            if (call > 1)
                await Task.Delay(RepeatDelay * (call - 1));

            KlarnaCreateOrderResponse response;
            try
            {
                response = await _klarnaApiClient.CreateOrderAsync(credentials, attempt.AuthorizationToken, order);
            }
            catch (KlarnaApiException exception) when (exception.IsTransient)
            {
                // no answer: Klarna may have created the order; the repeat tells
                attempt.LastError = exception.Message;
                await _attemptStore.UpdateAsync(attempt);
                continue;
            }
            catch (KlarnaApiException exception) when (exception.StatusCode == 404 && attempt.LastError is not null)
            {
                // the token is no longer known after an unanswered call: Klarna's order may exist; settled later or by an admin
                attempt.LastError = exception.Message;
                await _attemptStore.UpdateAsync(attempt);
                break;
            }
            catch (KlarnaApiException exception)
            {
                await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: Klarna refused to create the order of session {attempt.SessionId} ({exception.Message})", exception);
                attempt.Status = KlarnaCheckoutAttemptStatus.Failed;
                attempt.LastError = exception.Message;
                attempt.RequestJson = null;
                await _attemptStore.UpdateAsync(attempt);
                if (exception.StatusCode != 404)
                    await _settler.CancelAuthorizationAsync(credentials, attempt);

                return exception.StatusCode == 404
                    ? await FailAsync(KlarnaCheckoutMessage.AuthorizationExpired)
                    : await FailAsync(KlarnaCheckoutMessage.CreateOrderFailed);
            }

            return await CreatedAsync(attempt, credentials, response);
        }

        await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna did not answer create order for session {attempt.SessionId} " +
            $"(reference {attempt.OrderGuid}); the attempt stays pending and is settled by repeating it ({attempt.LastError})");
        return await FailAsync(KlarnaCheckoutMessage.NotConfirmed);
    }

    /// <summary>
    /// Records Klarna's order; a fraud rejection cancels it at once
    /// </summary>
    protected virtual async Task<KlarnaPlacementResult> CreatedAsync(KlarnaCheckoutAttempt attempt, KlarnaCredentials credentials, KlarnaCreateOrderResponse response)
    {
        attempt.KlarnaOrderId = response.OrderId;
        attempt.FraudStatus = response.FraudStatus?.Trim().ToUpperInvariant() ?? KlarnaFraudStatus.Accepted;
        attempt.Status = KlarnaCheckoutAttemptStatus.Created;
        attempt.RequestJson = null;
        attempt.LastError = null;
        await _attemptStore.UpdateAsync(attempt);

        if (attempt.FraudStatus is KlarnaFraudStatus.Rejected or KlarnaFraudStatus.Stopped)
        {
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna rejected order {attempt.KlarnaOrderId} (fraud status {attempt.FraudStatus})");
            await _settler.CancelOrderAsync(credentials, attempt);
            return await FailAsync(KlarnaCheckoutMessage.Rejected);
        }

        return Placed(attempt);
    }

    /// <summary>
    /// The checkout under the customer's lock
    /// </summary>
    protected virtual async Task<KlarnaPlacementResult> PlaceInLockAsync(KlarnaPlacementRequest request)
    {
        // the customer's earlier checkouts first (never one handed to nopCommerce moments ago)
        await _settler.SettleAsync(request.Customer.Id, except: request.AuthorizationToken);

        var attempt = await _attemptStore.GetByTokenAsync(request.AuthorizationToken);
        if (attempt is not null)
            return await ContinueAsync(attempt, request);

        attempt = new KlarnaCheckoutAttempt
        {
            OrderGuid = request.OrderGuid,
            CustomerId = request.Customer.Id,
            StoreId = request.StoreId,
            SessionId = request.SessionId,
            AuthorizationToken = request.AuthorizationToken,
            RegionId = (int)request.Credentials.Region,
            EnvironmentId = (int)request.Credentials.Environment,
            AmountMinor = request.Order.OrderAmount,
            CurrencyCode = request.Order.PurchaseCurrency,
            RequestJson = JsonConvert.SerializeObject(request.Order),
            Status = KlarnaCheckoutAttemptStatus.Pending
        };
        await _attemptStore.InsertAsync(attempt);

        return await CallAsync(attempt, request.Credentials, request.Order);
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaPlacementResult> PlaceAsync(KlarnaPlacementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Customer);

        KlarnaPlacementResult result = null;
        var locked = await _locker.PerformActionWithLockAsync(KlarnaCheckoutAttemptSettler.LockKey(request.Customer.Id), LockTime,
            async () => result = await PlaceInLockAsync(request));

        return locked && result is not null
            ? result
            : await FailAsync(KlarnaCheckoutMessage.InProgress);
    }

    #endregion
}
