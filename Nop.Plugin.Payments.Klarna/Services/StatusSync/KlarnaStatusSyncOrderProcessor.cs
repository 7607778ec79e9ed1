using Nop.Core.Caching;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Synchronizes one order with Klarna: read under the order's lock, reconcile, flag (and extend) a close expiry
/// </summary>
public class KlarnaStatusSyncOrderProcessor : IKlarnaStatusSyncOrderProcessor
{
    #region Constants

    /// <summary>
    /// Gets the InitiatedBy value of the operations the synchronization starts
    /// </summary>
    public static string InitiatedBy => "Klarna status synchronization";

    /// <summary>
    /// Gets how long after order creation Klarna still extends an authorization
    /// </summary>
    public static TimeSpan MaxAuthorizationAge => TimeSpan.FromDays(180);

    /// <summary>
    /// Gets how often an automatic extension is tried per order
    /// </summary>
    public static TimeSpan ExtendRetryInterval => TimeSpan.FromHours(24);

    #endregion

    #region Fields

    protected readonly IKlarnaApiClient _apiClient;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaOrderManagementService _orderManagementService;
    protected readonly IKlarnaOrderReconciler _reconciler;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly ILocker _locker;
    protected readonly ILogger _logger;
    protected readonly IOrderService _orderService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public KlarnaStatusSyncOrderProcessor(IKlarnaApiClient apiClient,
        IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaOrderManagementService orderManagementService,
        IKlarnaOrderReconciler reconciler,
        IKlarnaOrderRecordService recordService,
        ILocker locker,
        ILogger logger,
        IOrderService orderService,
        ISettingService settingService)
    {
        _apiClient = apiClient;
        _credentialsProvider = credentialsProvider;
        _orderManagementService = orderManagementService;
        _reconciler = reconciler;
        _recordService = recordService;
        _locker = locker;
        _logger = logger;
        _orderService = orderService;
        _settingService = settingService;
    }

    #endregion

    #region Utilities

    protected static KlarnaSyncFailure Failure(KlarnaOrderRecord record, int orderId, int statusCode, string errorCode, string message, string correlationId = null) => new()
    {
        OrderId = orderId,
        KlarnaOrderId = record?.KlarnaOrderId,
        StatusCode = statusCode,
        ErrorCode = errorCode,
        Message = message,
        CorrelationId = correlationId,
        OccurredOnUtc = DateTime.UtcNow
    };

    /// <summary>
    /// Gets a value indicating whether the authorization can still be captured and expires within the warning period
    /// </summary>
    public static bool IsExpiringSoon(KlarnaOrderRecord record, int expiryWarningDays, DateTime nowUtc)
    {
        if (record?.ExpiresAtUtc is not DateTime expiresAt || record.RemainingAuthorizedAmountMinor <= 0)
            return false;

        var status = record.KlarnaStatus?.ToUpperInvariant();
        if (status is not (KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured))
            return false;

        return expiresAt > nowUtc && expiresAt <= nowUtc.AddDays(Math.Max(0, expiryWarningDays));
    }

    /// <summary>
    /// Reads and reconciles the order; runs under the order's lock
    /// </summary>
    protected virtual async Task SyncLockedAsync(int orderId, KlarnaOrderRecord record, KlarnaSyncRunContext runContext,
        KlarnaOrderSyncResult result, CancellationToken cancellationToken)
    {
        record ??= await _recordService.GetByOrderIdAsync(orderId);
        if (record is null)
        {
            result.Outcome = KlarnaOrderSyncOutcome.NotFound;
            return;
        }

        var order = await _orderService.GetOrderByIdAsync(orderId);
        if (order is null || order.Deleted)
        {
            result.Outcome = KlarnaOrderSyncOutcome.Failed;
            result.Failure = Failure(record, orderId, -1, "ORDER_NOT_FOUND", "The nopCommerce order does not exist or is deleted.");
            return;
        }

        var credentials = await runContext.GetCredentialsAsync(record.StoreId, record.Region, record.Environment,
            key => _credentialsProvider.GetCredentialsAsync(key.StoreId, key.Region, key.Environment));
        if (credentials is null)
        {
            result.Outcome = KlarnaOrderSyncOutcome.Failed;
            result.Failure = Failure(record, orderId, -1, "NO_CREDENTIALS",
                $"No Klarna credentials for store {record.StoreId}, {record.Region} {record.Environment}.");
            return;
        }

        KlarnaOrder klarnaOrder;
        try
        {
            klarnaOrder = await _apiClient.GetOrderAsync(credentials, record.KlarnaOrderId, cancellationToken);
        }
        catch (KlarnaApiException exception) when (exception.StatusCode == 429)
        {
            result.Outcome = KlarnaOrderSyncOutcome.RateLimited;
            result.Failure = Failure(record, orderId, exception.StatusCode, exception.ErrorCode, exception.Message, exception.CorrelationId);
            return;
        }
        catch (KlarnaApiException exception)
        {
            result.Outcome = KlarnaOrderSyncOutcome.Failed;
            result.Failure = Failure(record, orderId, exception.StatusCode, exception.ErrorCode, exception.Message, exception.CorrelationId);
            return;
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            result.Outcome = KlarnaOrderSyncOutcome.Failed;
            result.Failure = Failure(record, orderId, 0, "NO_ANSWER", $"Klarna did not answer: {exception.Message}");
            return;
        }

        if (klarnaOrder is null)
        {
            result.Outcome = KlarnaOrderSyncOutcome.Failed;
            result.Failure = Failure(record, orderId, -1, "EMPTY_ANSWER", "Klarna returned no order.");
            return;
        }

        var settings = await runContext.GetSettingsAsync(record.StoreId, storeId => _settingService.LoadSettingAsync<KlarnaSettings>(storeId));
        result.Reconcile = await _reconciler.ReconcileAsync(order, record, klarnaOrder, settings);
        result.Outcome = result.Reconcile.Changed ? KlarnaOrderSyncOutcome.Changed : KlarnaOrderSyncOutcome.Unchanged;

        if (IsExpiringSoon(record, settings.ExpiryWarningDays, DateTime.UtcNow))
        {
            result.Expiring = new KlarnaExpiringAuthorization
            {
                OrderId = orderId,
                KlarnaOrderId = record.KlarnaOrderId,
                ExpiresAtUtc = record.ExpiresAtUtc!.Value,
                RemainingAuthorizedAmountMinor = record.RemainingAuthorizedAmountMinor,
                CurrencyCode = record.CurrencyCode
            };
        }
    }

    /// <summary>
    /// Extends an authorization close to expiry where Klarna allows it (not after 180 days, at most one try a day);
    /// outside the lock: the order management service takes the order's lock itself
    /// </summary>
    protected virtual async Task TryExtendAsync(int orderId, KlarnaExpiringAuthorization expiring, KlarnaSyncRunContext runContext)
    {
        var record = await _recordService.GetByOrderIdAsync(orderId);
        if (record is null)
            return;

        var settings = await runContext.GetSettingsAsync(record.StoreId, storeId => _settingService.LoadSettingAsync<KlarnaSettings>(storeId));
        if (!settings.AutoExtendAuthorization)
            return;

        var now = DateTime.UtcNow;
        if (record.CreatedOnUtc != default && record.CreatedOnUtc.Add(MaxAuthorizationAge) <= now)
        {
            expiring.ExtendError = "Klarna extends an authorization only up to 180 days after the purchase.";
            return;
        }

        var operations = await _recordService.GetOperationsAsync(orderId) ?? new List<KlarnaOperation>();
        if (operations.Any(operation => operation.Kind == KlarnaOperationKind.ExtendAuthorization && operation.CreatedOnUtc > now - ExtendRetryInterval))
            return;

        var extension = await _orderManagementService.ExtendAuthorizationAsync(orderId, KlarnaInitiator.StatusSync, InitiatedBy);
        if (extension?.Success != true)
        {
            expiring.ExtendError = extension?.Error ?? "The authorization could not be extended.";
            return;
        }

        expiring.Extended = true;
        if ((await _recordService.GetByOrderIdAsync(orderId))?.ExpiresAtUtc is DateTime expiresAt)
            expiring.ExpiresAtUtc = expiresAt;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual Task<KlarnaOrderSyncResult> SyncOrderAsync(int orderId, CancellationToken cancellationToken = default) =>
        SyncOrderAsync(orderId, null, new KlarnaSyncRunContext(), cancellationToken);

    /// <inheritdoc />
    public virtual Task<KlarnaOrderSyncResult> SyncOrderAsync(KlarnaOrderRecord record, KlarnaSyncRunContext runContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return SyncOrderAsync(record.OrderId, record, runContext ?? new KlarnaSyncRunContext(), cancellationToken);
    }

    /// <summary>
    /// Synchronizes one order under its lock, with its record when the caller has it (read under the lock otherwise)
    /// </summary>
    protected virtual async Task<KlarnaOrderSyncResult> SyncOrderAsync(int orderId, KlarnaOrderRecord record, KlarnaSyncRunContext runContext,
        CancellationToken cancellationToken)
    {
        var result = new KlarnaOrderSyncResult();
        bool locked;
        try
        {
            locked = await _locker.PerformActionWithLockAsync(KlarnaDefaults.OrderLockKey(orderId), KlarnaDefaults.OrderLockExpiration,
                () => SyncLockedAsync(orderId, record, runContext, result, cancellationToken));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: status synchronization of order {orderId} failed", exception);
            result.Outcome = KlarnaOrderSyncOutcome.Failed;
            result.Failure = Failure(null, orderId, -1, exception.GetType().Name, exception.Message);
            return result;
        }

        if (!locked)
        {
            result.Outcome = KlarnaOrderSyncOutcome.Skipped;
            return result;
        }

        //Klarna's failures are recorded in the run (settings page) and logged once per run, not once per order

        if (result.Expiring is not null)
        {
            try
            {
                await TryExtendAsync(orderId, result.Expiring, runContext);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result.Expiring.ExtendError = exception.Message;
                await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: automatic extension of the authorization of order {orderId} failed", exception);
            }
        }

        return result;
    }

    #endregion
}
