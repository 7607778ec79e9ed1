using Newtonsoft.Json;
using Nop.Core.Caching;
using Nop.Core.Domain.Orders;
using Nop.Core.Events;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Services.Catalog;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.Orders;
using Nop.Services.Shipping;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Manages the money of Klarna orders.
/// Exactly once: every operation runs under the order's nopCommerce lock (ILocker: distributed in a web farm), is validated
/// against a fresh read of Klarna's order, is recorded as Pending with its idempotency key BEFORE the call (a retry of the
/// same pending operation reuses that key, so Klarna executes it at most once), and a pending operation whose answer was
/// lost is settled from Klarna's order (its captures/refunds) on the next read. The unique index on the key is the last guard.
/// </summary>
public class KlarnaOrderManagementService : IKlarnaOrderManagementService
{
    #region Constants

    public const string ErrorInProgress = "OPERATION_IN_PROGRESS";
    public const string ErrorNotKlarnaOrder = "NOT_A_KLARNA_ORDER";
    public const string ErrorNoCredentials = "NO_CREDENTIALS";
    public const string ErrorRefused = "REFUSED";
    public const string ErrorNothingToDo = "NOTHING_TO_DO";
    public const string ErrorOutcomeUnknown = "OUTCOME_UNKNOWN";
    public const string ErrorDuplicate = "DUPLICATE";

    #endregion

    #region Fields

    //orders this flow holds the lock of: a nested call (e.g. from an event we publish) must not wait for itself
    private static readonly AsyncLocal<HashSet<int>> _lockedOrders = new();

    protected readonly IKlarnaApiClient _apiClient;
    protected readonly IEventPublisher _eventPublisher;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly IKlarnaOrderStatusService _statusService;
    protected readonly IKlarnaShipmentTrackingService _trackingService;
    protected readonly ILocker _locker;
    protected readonly ILogger _logger;
    protected readonly IOrderService _orderService;
    protected readonly IPriceFormatter _priceFormatter;
    protected readonly ISettingService _settingService;
    protected readonly IShipmentService _shipmentService;

    #endregion

    #region Ctor

    public KlarnaOrderManagementService(IKlarnaApiClient apiClient,
        IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaOrderRecordService recordService,
        IKlarnaOrderStatusService statusService,
        IKlarnaShipmentTrackingService trackingService,
        ILocker locker,
        ILogger logger,
        IOrderService orderService,
        IPriceFormatter priceFormatter,
        ISettingService settingService,
        IShipmentService shipmentService,
        IEventPublisher eventPublisher)
    {
        _eventPublisher = eventPublisher;
        _apiClient = apiClient;
        _credentialsProvider = credentialsProvider;
        _recordService = recordService;
        _statusService = statusService;
        _trackingService = trackingService;
        _locker = locker;
        _logger = logger;
        _orderService = orderService;
        _priceFormatter = priceFormatter;
        _settingService = settingService;
        _shipmentService = shipmentService;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets or sets how many times a request tries to take a busy order lock before it is refused (nopCommerce's
    /// ILocker returns false at once when the lock is held)
    /// </summary>
    public int LockAttempts { get; set; } = 40;

    /// <summary>
    /// Gets or sets the wait between two tries
    /// </summary>
    public TimeSpan LockRetryDelay { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Gets or sets the age after which a pending operation that Klarna has no trace of counts as not executed
    /// </summary>
    public TimeSpan PendingExpiry { get; set; } = KlarnaDefaults.OrderLockExpiration;

    /// <summary>
    /// Gets or sets the tolerated clock difference between the shop and Klarna when a capture/refund is matched to a pending operation
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    #endregion

    #region Nested

    /// <summary>
    /// Everything an operation works on, read under the order's lock
    /// </summary>
    protected class OperationContext
    {
        public Order Order { get; set; }
        public KlarnaOrderRecord Record { get; set; }
        public KlarnaCredentials Credentials { get; set; }
        public KlarnaOrder KlarnaOrder { get; set; }
        public IList<KlarnaOperation> Operations { get; set; }
        public KlarnaSettings Settings { get; set; }
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets a value indicating whether this flow runs a Klarna operation on the order right now
    /// </summary>
    /// <param name="orderId">Order identifier</param>
    /// <returns>True inside the operation (and the events it publishes)</returns>
    public static bool IsOperationInProgress(int orderId) => _lockedOrders.Value?.Contains(orderId) == true;

    /// <summary>
    /// Runs an action under the order's lock. nopCommerce's ILocker answers false at once when the lock is held, so a
    /// concurrent request waits and tries again a bounded number of times, then gets a clear refusal
    /// </summary>
    protected virtual async Task<KlarnaOperationResult> WithOrderLockAsync(int orderId, Func<Task<KlarnaOperationResult>> action)
    {
        if (IsOperationInProgress(orderId))
            return KlarnaOperationResult.Fail("Another Klarna operation on this order is in progress.", ErrorInProgress);

        for (var attempt = 0; attempt < Math.Max(1, LockAttempts); attempt++)
        {
            if (attempt > 0)
                await Task.Delay(LockRetryDelay);

            KlarnaOperationResult result = null;
            var acquired = await _locker.PerformActionWithLockAsync(KlarnaDefaults.OrderLockKey(orderId), KlarnaDefaults.OrderLockExpiration, async () =>
            {
                var locked = _lockedOrders.Value ??= new HashSet<int>();
                locked.Add(orderId);
                try
                {
                    result = await action();
                }
                catch (Exception exception)
                {
                    //never let an exception out: MemoryCacheLocker swallows OperationCanceledException, and callers expect a result
                    await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: unexpected error in an operation on order {orderId}", exception);
                    result = KlarnaOperationResult.Fail($"Unexpected error: {exception.Message}", "UNEXPECTED");
                }
                finally
                {
                    locked.Remove(orderId);
                }
            });

            if (acquired)
                return result ?? KlarnaOperationResult.Fail("The operation was interrupted.", "UNEXPECTED");
        }

        return KlarnaOperationResult.Fail("Another Klarna operation on this order is in progress. Please try again in a moment.", ErrorInProgress);
    }

    /// <summary>
    /// Formats an amount in minor units with its currency
    /// </summary>
    protected virtual async Task<string> FormatAsync(long minor, string currencyCode, Order order)
    {
        var amount = KlarnaAmount.FromMinor(minor, currencyCode);
        try
        {
            var formatted = await _priceFormatter.FormatPriceAsync(amount, true, currencyCode, false, order?.CustomerLanguageId ?? 0);
            if (!string.IsNullOrEmpty(formatted))
                return formatted;
        }
        catch
        {
            //fall back below
        }

        return $"{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} {currencyCode}";
    }

    protected virtual Task AddNoteAsync(Order order, string note) => _orderService.InsertOrderNoteAsync(new OrderNote
    {
        OrderId = order.Id,
        Note = note,
        DisplayToCustomer = false,
        CreatedOnUtc = DateTime.UtcNow
    });

    /// <summary>
    /// Loads the order, its record, the credentials and a fresh read of Klarna's order; settles pending operations
    /// </summary>
    protected virtual async Task<(OperationContext Context, KlarnaOperationResult Failure)> LoadContextAsync(int orderId, Order order,
        KlarnaOperationKind kind, KlarnaInitiator initiator, bool recordFailure = true)
    {
        order ??= await _orderService.GetOrderByIdAsync(orderId);
        var record = order is null ? null : await _recordService.GetByOrderIdAsync(order.Id);
        if (order is null || record is null || string.IsNullOrEmpty(record.KlarnaOrderId))
            return (null, KlarnaOperationResult.Fail("This order was not paid with Klarna.", ErrorNotKlarnaOrder));

        var context = new OperationContext
        {
            Order = order,
            Record = record,
            Settings = await _settingService.LoadSettingAsync<KlarnaSettings>(record.StoreId)
        };

        //from the settings just loaded: no second settings load
        context.Credentials = _credentialsProvider.GetCredentials(context.Settings, record.Region, record.Environment);
        if (context.Credentials is null)
        {
            if (!recordFailure)
                return (null, KlarnaOperationResult.Fail($"Klarna credentials for {record.Region} {record.Environment} are missing in the plugin settings.", ErrorNoCredentials));
            return (null, await RecordFailureAsync(context, kind, initiator,
                $"Klarna credentials for {record.Region} {record.Environment} are missing in the plugin settings.", ErrorNoCredentials, null));
        }

        try
        {
            context.KlarnaOrder = await _apiClient.GetOrderAsync(context.Credentials, record.KlarnaOrderId);
        }
        catch (Exception exception)
        {
            var apiException = exception as KlarnaApiException;
            var error = $"Klarna's order could not be read: {exception.Message}";
            if (recordFailure)
            {
                return (null, await RecordFailureAsync(context, kind, initiator, error,
                    apiException?.ErrorCode ?? "READ_FAILED", apiException?.CorrelationId, exception));
            }

            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: order {order.Id} (Klarna order {record.KlarnaOrderId}) could not be read " +
                $"(correlation id {apiException?.CorrelationId ?? "none"})", exception);
            return (null, KlarnaOperationResult.Fail(error, apiException?.ErrorCode ?? "READ_FAILED", apiException?.CorrelationId));
        }

        context.Operations = await _recordService.GetOperationsAsync(order.Id);
        var settled = await SettlePendingAsync(context);
        SyncRecord(context.Record, context.KlarnaOrder);
        await _recordService.UpdateAsync(context.Record);
        if (settled)
            await ApplyOrderStateAsync(context, DeriveStatusEvent(context.KlarnaOrder), initiator);

        return (context, null);
    }

    /// <summary>
    /// Records a failure that happened before Klarna was asked to change anything: Failed operation, order note, log
    /// </summary>
    protected virtual async Task<KlarnaOperationResult> RecordFailureAsync(OperationContext context, KlarnaOperationKind kind,
        KlarnaInitiator initiator, string error, string errorCode, string correlationId, Exception exception = null)
    {
        var operation = new KlarnaOperation
        {
            OrderId = context.Order.Id,
            KlarnaOrderId = context.Record.KlarnaOrderId,
            Kind = kind,
            Status = KlarnaOperationStatus.Failed,
            CurrencyCode = context.Record.CurrencyCode,
            IdempotencyKey = Guid.NewGuid().ToString(),
            ErrorCode = errorCode,
            ErrorMessage = Truncate(error, 2000),
            CorrelationId = correlationId,
            Initiator = initiator
        };
        await _recordService.InsertOperationAsync(operation);
        await AddNoteAsync(context.Order, $"Klarna: {kind} failed. {error}");
        await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: {kind} failed for order {context.Order.Id} (Klarna order {context.Record.KlarnaOrderId}, " +
            $"error {errorCode}, correlation id {correlationId ?? "none"}): {error}", exception);

        var result = KlarnaOperationResult.Fail(error, errorCode, correlationId);
        result.Operation = operation;
        return result;
    }

    /// <summary>
    /// A refusal before anything was recorded; logged and noted only for automatic initiators (nobody sees the result)
    /// </summary>
    protected virtual async Task<KlarnaOperationResult> RefuseAsync(OperationContext context, KlarnaOperationKind kind, KlarnaInitiator initiator,
        string error, string errorCode = ErrorRefused, bool nothingToDo = false)
    {
        var result = KlarnaOperationResult.Fail(error, nothingToDo ? ErrorNothingToDo : errorCode);
        result.NothingToDo = nothingToDo;
        if (!nothingToDo && context is not null && initiator is KlarnaInitiator.CaptureUponFulfillment or KlarnaInitiator.StatusSync or KlarnaInitiator.Notification)
        {
            await AddNoteAsync(context.Order, $"Klarna: {kind} not done. {error}");
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: {kind} refused for order {context.Order.Id}: {error}");
        }

        return result;
    }

    private static string Truncate(string value, int length) => value is null || value.Length <= length ? value : value[..length];

    private static IList<KlarnaOrderLine> ReadLines(string json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonConvert.DeserializeObject<List<KlarnaOrderLine>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsCapturable(KlarnaOrder order) =>
        order.Status is KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured;

    /// <summary>
    /// Copies Klarna's state of the order into the record
    /// </summary>
    protected static void SyncRecord(KlarnaOrderRecord record, KlarnaOrder order)
    {
        if (order is null)
            return;

        record.KlarnaStatus = order.Status;
        record.FraudStatus = order.FraudStatus;
        record.OrderAmountMinor = order.OrderAmount;
        record.CapturedAmountMinor = order.CapturedAmount;
        record.RefundedAmountMinor = order.RefundedAmount;
        record.RemainingAuthorizedAmountMinor = order.RemainingAuthorizedAmount;
        record.ExpiresAtUtc = order.ExpiresAt?.UtcDateTime ?? record.ExpiresAtUtc;
        record.KlarnaReference = order.KlarnaReference ?? record.KlarnaReference;
        if (!string.IsNullOrEmpty(order.PurchaseCurrency))
            record.CurrencyCode = order.PurchaseCurrency.ToUpperInvariant();
        record.InitialPaymentMethod = order.InitialPaymentMethod?.Description ?? order.InitialPaymentMethod?.Type ?? record.InitialPaymentMethod;
        record.LastSyncedOnUtc = DateTime.UtcNow;
    }

    /// <summary>
    /// Gets the status event that describes Klarna's order
    /// </summary>
    /// <param name="order">Klarna's order</param>
    /// <returns>Event</returns>
    public static KlarnaStatusEvent DeriveStatusEvent(KlarnaOrder order)
    {
        if (order.Status == KlarnaOrderStatus.Cancelled)
            return KlarnaStatusEvent.Cancelled;
        if (order.Status == KlarnaOrderStatus.Expired && order.CapturedAmount == 0)
            return KlarnaStatusEvent.Expired;
        if (order.RefundedAmount > 0)
            return order.RefundedAmount >= order.CapturedAmount ? KlarnaStatusEvent.Refunded : KlarnaStatusEvent.PartiallyRefunded;
        if (order.CapturedAmount > 0)
            return order.RemainingAuthorizedAmount == 0 ? KlarnaStatusEvent.Captured : KlarnaStatusEvent.PartiallyCaptured;
        if (order.FraudStatus == KlarnaFraudStatus.Pending)
            return KlarnaStatusEvent.FraudPending;

        return KlarnaStatusEvent.Authorized;
    }

    /// <summary>
    /// Gets the status event of a successful operation (the status mapping applies after capture, partial capture,
    /// cancel, refund and partial refund; release counts as the end of the capture)
    /// </summary>
    /// <param name="kind">Operation kind</param>
    /// <param name="order">Klarna's order after the operation</param>
    /// <returns>Event, or null when the operation does not change the order status</returns>
    public static KlarnaStatusEvent? StatusEventOf(KlarnaOperationKind kind, KlarnaOrder order) => kind switch
    {
        KlarnaOperationKind.Capture => order.RemainingAuthorizedAmount == 0 ? KlarnaStatusEvent.Captured : KlarnaStatusEvent.PartiallyCaptured,
        KlarnaOperationKind.Release => KlarnaStatusEvent.Captured,
        KlarnaOperationKind.Cancel => KlarnaStatusEvent.Cancelled,
        KlarnaOperationKind.Refund => order.RefundedAmount >= order.CapturedAmount ? KlarnaStatusEvent.Refunded : KlarnaStatusEvent.PartiallyRefunded,
        _ => null
    };

    /// <summary>
    /// Gets the payment status that follows the money: Authorized until everything is captured or the rest released,
    /// then Paid; PartiallyRefunded / Refunded after refunds; Voided when cancelled (or expired without captures)
    /// </summary>
    /// <param name="record">Record (synced with Klarna)</param>
    /// <param name="current">Current payment status</param>
    /// <returns>Payment status</returns>
    public static PaymentStatus ComputePaymentStatus(KlarnaOrderRecord record, PaymentStatus current)
    {
        //one rule for the whole plugin (operations, notifications and the status sync): see KlarnaOrderReconciler.GetPaymentStatus
        return KlarnaOrderReconciler.GetPaymentStatus(record.KlarnaStatus, record.FraudStatus,
            record.CapturedAmountMinor, record.RefundedAmountMinor, record.RemainingAuthorizedAmountMinor);
    }

    /// <summary>
    /// Brings the nopCommerce order in step with the record: payment status, refunded amount (not for nopCommerce's own
    /// buttons: nopCommerce adds the refunded amount and sets the payment status from our result itself), mapped order status
    /// </summary>
    protected virtual async Task<PaymentStatus> ApplyOrderStateAsync(OperationContext context, KlarnaStatusEvent? statusEvent, KlarnaInitiator initiator)
    {
        var order = context.Order;
        var paymentStatus = ComputePaymentStatus(context.Record, (PaymentStatus)order.PaymentStatusId);
        var changed = false;
        var becamePaid = false;
        if (order.PaymentStatusId != (int)paymentStatus)
        {
            becamePaid = paymentStatus == PaymentStatus.Paid && order.PaymentStatusId != (int)PaymentStatus.Paid;
            order.PaymentStatusId = (int)paymentStatus;
            if (paymentStatus == PaymentStatus.Paid && order.PaidDateUtc is null)
                order.PaidDateUtc = DateTime.UtcNow;
            changed = true;
        }

        if (initiator != KlarnaInitiator.NopButton)
        {
            var refunded = KlarnaOrderAmounts.ToPrimaryAmount(context.Record.RefundedAmountMinor, order, context.Record.CurrencyCode);
            if (order.RefundedAmount != refunded)
            {
                order.RefundedAmount = refunded;
                changed = true;
            }
        }

        if (changed)
            await _orderService.UpdateOrderAsync(order);

        //nopCommerce publishes OrderPaidEvent itself after its own Capture button; the plugin's screens and triggers do it here
        if (becamePaid && initiator != KlarnaInitiator.NopButton)
            await _eventPublisher.PublishAsync(new OrderPaidEvent(order));

        if (statusEvent is { } value)
            await _statusService.ApplyEventAsync(order, value);

        return paymentStatus;
    }

    /// <summary>
    /// Settles pending operations from Klarna's order: a capture/refund Klarna has that no operation claims, of the same
    /// amount and lines, made after the operation was recorded, is that operation's (the answer was lost). Klarna's
    /// captures/refunds that no operation claims afterwards were made elsewhere (Merchant Portal) and are recorded as such.
    /// </summary>
    /// <returns>True when anything was settled or recorded</returns>
    protected virtual async Task<bool> SettlePendingAsync(OperationContext context)
    {
        var klarnaOrder = context.KlarnaOrder;
        var operations = context.Operations;
        var changed = false;
        var claimed = new HashSet<string>(operations.Where(op => !string.IsNullOrEmpty(op.KlarnaId)).Select(op => op.KlarnaId), StringComparer.Ordinal);

        foreach (var operation in operations.Where(op => op.Status == KlarnaOperationStatus.Pending).OrderBy(op => op.CreatedOnUtc).ToList())
        {
            var since = operation.CreatedOnUtc - ClockSkew;
            var lines = ReadLines(operation.LinesJson);
            string klarnaId = null, klarnaReference = null;
            var settled = false;

            switch (operation.Kind)
            {
                case KlarnaOperationKind.Capture:
                    var capture = (klarnaOrder.Captures ?? new List<KlarnaCapture>())
                        .Where(c => !claimed.Contains(c.CaptureId ?? string.Empty) && c.CapturedAmount == operation.AmountMinor)
                        .Where(c => c.CapturedAt is null || c.CapturedAt.Value.UtcDateTime >= since)
                        .Where(c => lines is null || lines.Count == 0 || KlarnaOrderLineMath.SameLines(lines, c.OrderLines))
                        .OrderBy(c => c.CapturedAt)
                        .FirstOrDefault();
                    if (capture is not null)
                        (settled, klarnaId, klarnaReference) = (true, capture.CaptureId, capture.KlarnaReference);
                    break;

                case KlarnaOperationKind.Refund:
                    var refund = (klarnaOrder.Refunds ?? new List<KlarnaRefund>())
                        .Where(r => !claimed.Contains(r.RefundId ?? string.Empty) && r.RefundedAmount == operation.AmountMinor)
                        .Where(r => r.RefundedAt is null || r.RefundedAt.Value.UtcDateTime >= since)
                        .Where(r => lines is null || lines.Count == 0 || KlarnaOrderLineMath.SameLines(lines, r.OrderLines))
                        .OrderBy(r => r.RefundedAt)
                        .FirstOrDefault();
                    if (refund is not null)
                        (settled, klarnaId) = (true, refund.RefundId);
                    break;

                case KlarnaOperationKind.Cancel:
                    settled = klarnaOrder.Status == KlarnaOrderStatus.Cancelled;
                    break;

                case KlarnaOperationKind.Release:
                    settled = klarnaOrder.Status is KlarnaOrderStatus.Captured or KlarnaOrderStatus.Closed &&
                        klarnaOrder.RemainingAuthorizedAmount == 0 && klarnaOrder.CapturedAmount < klarnaOrder.OrderAmount;
                    break;

                case KlarnaOperationKind.ShippingInfo:
                    var target = klarnaOrder.Captures?.FirstOrDefault(c => c.CaptureId == operation.KlarnaId);
                    var sent = string.IsNullOrEmpty(operation.ShippingInfoJson) ? null
                        : JsonConvert.DeserializeObject<List<KlarnaShippingInfo>>(operation.ShippingInfoJson);
                    settled = target?.ShippingInfo?.Any(info => sent?.Any(s => s.TrackingNumber == info.TrackingNumber) == true) == true;
                    klarnaId = operation.KlarnaId;
                    break;

                case KlarnaOperationKind.Authorize:
                    continue;
            }

            if (settled)
            {
                operation.Status = KlarnaOperationStatus.Succeeded;
                operation.KlarnaId = klarnaId ?? operation.KlarnaId;
                operation.KlarnaReference = klarnaReference ?? operation.KlarnaReference;
                if (klarnaId is not null)
                    claimed.Add(klarnaId);
                await _recordService.UpdateOperationAsync(operation);
                await AddNoteAsync(context.Order, $"Klarna: the {operation.Kind} of {await FormatAsync(operation.AmountMinor, operation.CurrencyCode, context.Order)} " +
                    $"whose answer was lost was found in Klarna's order and settled{(klarnaId is null ? "" : $" (Klarna id {klarnaId})")}.");
                changed = true;
            }
            else if (DateTime.UtcNow - operation.CreatedOnUtc > PendingExpiry)
            {
                operation.Status = KlarnaOperationStatus.Failed;
                operation.ErrorCode ??= ErrorOutcomeUnknown;
                operation.ErrorMessage = "Klarna's order has no trace of this operation: it was not executed.";
                await _recordService.UpdateOperationAsync(operation);
                changed = true;
            }
        }

        //captures and refunds made outside the plugin (Merchant Portal)
        foreach (var capture in (klarnaOrder.Captures ?? new List<KlarnaCapture>()).Where(c => !string.IsNullOrEmpty(c.CaptureId) && !claimed.Contains(c.CaptureId)))
        {
            if (operations.Any(op => op.Status == KlarnaOperationStatus.Pending && op.Kind == KlarnaOperationKind.Capture))
                break; //a pending capture may still claim it
            await InsertExternalAsync(context, KlarnaOperationKind.Capture, capture.CaptureId, capture.KlarnaReference, capture.CapturedAmount, capture.OrderLines);
            claimed.Add(capture.CaptureId);
            changed = true;
        }

        foreach (var refund in (klarnaOrder.Refunds ?? new List<KlarnaRefund>()).Where(r => !string.IsNullOrEmpty(r.RefundId) && !claimed.Contains(r.RefundId)))
        {
            if (operations.Any(op => op.Status == KlarnaOperationStatus.Pending && op.Kind == KlarnaOperationKind.Refund))
                break;
            await InsertExternalAsync(context, KlarnaOperationKind.Refund, refund.RefundId, null, refund.RefundedAmount, refund.OrderLines);
            claimed.Add(refund.RefundId);
            changed = true;
        }

        if (changed)
            context.Operations = await _recordService.GetOperationsAsync(context.Order.Id);

        return changed;
    }

    protected virtual async Task InsertExternalAsync(OperationContext context, KlarnaOperationKind kind, string klarnaId, string klarnaReference,
        long amount, IList<KlarnaOrderLine> lines)
    {
        var operation = new KlarnaOperation
        {
            OrderId = context.Order.Id,
            KlarnaOrderId = context.Record.KlarnaOrderId,
            Kind = kind,
            Status = KlarnaOperationStatus.Succeeded,
            AmountMinor = amount,
            CurrencyCode = context.Record.CurrencyCode,
            LinesJson = lines?.Any() == true ? JsonConvert.SerializeObject(lines) : null,
            IdempotencyKey = $"external-{klarnaId}",
            KlarnaId = klarnaId,
            KlarnaReference = klarnaReference,
            Initiator = KlarnaInitiator.MerchantPortal,
            InitiatedBy = "Found in Klarna's order"
        };
        if (await _recordService.GetOperationByIdempotencyKeyAsync(operation.IdempotencyKey) is not null)
            return;

        await _recordService.InsertOperationAsync(operation);
        await AddNoteAsync(context.Order, $"Klarna: a {kind} of {await FormatAsync(amount, operation.CurrencyCode, context.Order)} made outside nopCommerce " +
            $"(Klarna id {klarnaId}) was found in Klarna's order.");
    }

    /// <summary>
    /// Builds the lines of a partial capture or refund from selections; null lines with an error when a selection does not hold
    /// </summary>
    protected virtual (List<KlarnaOrderLine> Lines, string Error) BuildLines(KlarnaOrder klarnaOrder, IList<KlarnaLineSelection> selections,
        bool refund, bool clamp)
    {
        var totals = KlarnaOrderLineMath.GetLineTotals(klarnaOrder).ToDictionary(t => KlarnaOrderLineMath.Key(t.Line), StringComparer.Ordinal);
        var lines = new List<KlarnaOrderLine>();
        foreach (var group in selections.GroupBy(s => s.Reference ?? string.Empty, StringComparer.Ordinal))
        {
            if (!totals.TryGetValue(group.Key, out var line))
                return (null, $"The order has no Klarna line with reference \"{group.Key}\".");

            var quantity = group.Sum(s => s.Quantity);
            if (quantity <= 0)
            {
                if (clamp)
                    continue;
                return (null, $"The quantity of \"{line.Line.Name}\" must be greater than zero.");
            }

            var left = refund ? line.CapturedQuantity - line.RefundedQuantity : line.Line.Quantity - line.CapturedQuantity;
            if (quantity > left)
            {
                if (!clamp)
                {
                    return (null, refund
                        ? $"Only {left} of \"{line.Line.Name}\" can be refunded (captured {line.CapturedQuantity}, refunded {line.RefundedQuantity}); {quantity} asked."
                        : $"Only {left} of \"{line.Line.Name}\" is left to capture (ordered {line.Line.Quantity}, captured {line.CapturedQuantity}); {quantity} asked.");
                }

                quantity = left;
                if (quantity <= 0)
                    continue;
            }

            lines.Add(refund
                ? KlarnaOrderLineMath.Part(line.Line, quantity, quantity == left,
                    line.CapturedAmount - line.RefundedAmount, line.CapturedDiscount - line.RefundedDiscount, line.CapturedTax - line.RefundedTax)
                : KlarnaOrderLineMath.Part(line.Line, quantity, quantity == left,
                    line.Line.TotalAmount - line.CapturedAmount, line.Line.TotalDiscountAmount - line.CapturedDiscount, line.Line.TotalTaxAmount - line.CapturedTax));
        }

        return (lines, null);
    }

    /// <summary>
    /// Builds the lines of everything left (to capture or to refund); null when they do not add up to the amount left
    /// (e.g. after a capture by amount), so that lines always add up to the amount Klarna is asked for
    /// </summary>
    protected virtual List<KlarnaOrderLine> BuildRemainingLines(KlarnaOrder klarnaOrder, bool refund, long expectedAmount)
    {
        var selections = KlarnaOrderLineMath.GetLineTotals(klarnaOrder)
            .Select(t => new KlarnaLineSelection
            {
                Reference = KlarnaOrderLineMath.Key(t.Line),
                Quantity = refund ? t.CapturedQuantity - t.RefundedQuantity : t.Line.Quantity - t.CapturedQuantity
            })
            .Where(s => s.Quantity > 0)
            .ToList();
        if (!selections.Any())
            return null;

        var (lines, error) = BuildLines(klarnaOrder, selections, refund, false);
        return error is null && lines.Sum(l => l.TotalAmount) == expectedAmount ? lines : null;
    }

    /// <summary>
    /// Finds the operation a request continues: the caller's key, or a pending operation of the same kind, amount and lines
    /// </summary>
    protected virtual async Task<(KlarnaOperation Existing, KlarnaOperationResult Result)> FindExistingAsync(OperationContext context,
        KlarnaOperationKind kind, string callerKey, long amount, IList<KlarnaOrderLine> lines)
    {
        if (!string.IsNullOrEmpty(callerKey))
        {
            var byKey = await _recordService.GetOperationByIdempotencyKeyAsync(callerKey);
            if (byKey is not null)
            {
                if (byKey.OrderId != context.Order.Id || byKey.Kind != kind)
                    return (null, KlarnaOperationResult.Fail("This idempotency key belongs to another operation.", ErrorDuplicate));
                if (byKey.Status == KlarnaOperationStatus.Succeeded)
                {
                    var replay = KlarnaOperationResult.Ok(byKey);
                    replay.PaymentStatus = (PaymentStatus)context.Order.PaymentStatusId;
                    return (null, replay);
                }
                if (byKey.Status == KlarnaOperationStatus.Failed)
                {
                    var failed = KlarnaOperationResult.Fail(byKey.ErrorMessage, byKey.ErrorCode, byKey.CorrelationId);
                    failed.Operation = byKey;
                    return (null, failed);
                }

                return (byKey, null);
            }
        }

        var pending = context.Operations.Where(op => op.Kind == kind && op.Status == KlarnaOperationStatus.Pending).ToList();
        var same = pending.FirstOrDefault(op => op.AmountMinor == amount &&
            KlarnaOrderLineMath.SameLines(ReadLines(op.LinesJson), lines));
        if (same is not null)
            return (same, null);

        if (pending.Any())
        {
            return (null, KlarnaOperationResult.Fail($"The outcome of an earlier {kind} is not known yet. Please refresh the order in a moment.",
                ErrorOutcomeUnknown));
        }

        return (null, null);
    }

    /// <summary>
    /// Runs one Klarna write: the operation is recorded as Pending before the call (unless it continues a pending one,
    /// whose idempotency key it reuses), then its outcome is recorded. When Klarna's answer is lost, Klarna's order is read
    /// again at once to settle it; if it still cannot be settled it stays Pending for the next read.
    /// </summary>
    protected virtual async Task<KlarnaOperationResult> ExecuteAsync(OperationContext context, KlarnaOperation operation, bool isNew,
        Func<string, Task<string>> call)
    {
        if (isNew)
        {
            try
            {
                await _recordService.InsertOperationAsync(operation);
            }
            catch (Exception exception)
            {
                //the unique index on the idempotency key: another request recorded the same operation
                await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: {operation.Kind} of order {context.Order.Id} not recorded: {exception.Message}");
                return KlarnaOperationResult.Fail("This operation was already requested.", ErrorDuplicate);
            }

            //last guard when the lock did not hold (nopCommerce's DistributedCacheLocker checks and sets in two steps): of two
            //operations of the same kind recorded side by side, only the one recorded first goes to Klarna
            var rival = (await _recordService.GetOperationsAsync(context.Order.Id)).FirstOrDefault(op => op.Id < operation.Id &&
                op.Kind == operation.Kind && op.Status == KlarnaOperationStatus.Pending && DateTime.UtcNow - op.CreatedOnUtc <= PendingExpiry);
            if (rival is not null)
            {
                operation.Status = KlarnaOperationStatus.Failed;
                operation.ErrorCode = ErrorInProgress;
                operation.ErrorMessage = $"Not sent to Klarna: operation {rival.Id} of the same kind was recorded first and is in progress.";
                await _recordService.UpdateOperationAsync(operation);
                var refused = KlarnaOperationResult.Fail("Another Klarna operation on this order is in progress.", ErrorInProgress);
                refused.Operation = operation;
                return refused;
            }
        }

        try
        {
            var klarnaId = await call(operation.IdempotencyKey);
            operation.Status = KlarnaOperationStatus.Succeeded;
            operation.KlarnaId = klarnaId ?? operation.KlarnaId;
            operation.ErrorCode = null;
            operation.ErrorMessage = null;
            await _recordService.UpdateOperationAsync(operation);
            return KlarnaOperationResult.Ok(operation);
        }
        catch (Exception exception)
        {
            var apiException = exception as KlarnaApiException;
            operation.ErrorCode = Truncate(apiException?.ErrorCode ?? (apiException is null ? "NO_ANSWER" : null), 100);
            operation.ErrorMessage = Truncate(exception.Message, 2000);
            operation.CorrelationId = Truncate(apiException?.CorrelationId, 100);

            //no answer (transport failure, timeout, 5xx after retries): Klarna may have executed it
            var outcomeUnknown = apiException is null || apiException.IsTransient || apiException.StatusCode == 409;
            if (outcomeUnknown)
            {
                await _recordService.UpdateOperationAsync(operation);
                try
                {
                    context.KlarnaOrder = await _apiClient.GetOrderAsync(context.Credentials, context.Record.KlarnaOrderId);
                    context.Operations = await _recordService.GetOperationsAsync(context.Order.Id);
                    await SettlePendingAsync(context);
                    SyncRecord(context.Record, context.KlarnaOrder);
                    await _recordService.UpdateAsync(context.Record);
                }
                catch (Exception readException)
                {
                    await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: order {context.Order.Id} could not be re-read after a lost answer", readException);
                }

                var current = await _recordService.GetOperationByIdempotencyKeyAsync(operation.IdempotencyKey) ?? operation;
                if (current.Status == KlarnaOperationStatus.Succeeded)
                    return KlarnaOperationResult.Ok(current);
            }
            else
            {
                operation.Status = KlarnaOperationStatus.Failed;
                await _recordService.UpdateOperationAsync(operation);
            }

            var error = outcomeUnknown
                ? $"Klarna did not answer the {operation.Kind} ({exception.Message}). Its outcome is checked against Klarna's order on the next read; a retry reuses the same idempotency key."
                : $"Klarna refused the {operation.Kind}: {exception.Message}";
            await AddNoteAsync(context.Order, $"Klarna: {operation.Kind} of {await FormatAsync(operation.AmountMinor, operation.CurrencyCode, context.Order)} failed. " +
                $"Error code {operation.ErrorCode ?? "none"}, message: {string.Join("; ", apiException?.ErrorMessages ?? new[] { exception.Message })}, " +
                $"correlation id {operation.CorrelationId ?? "none"}.");
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: {operation.Kind} failed for order {context.Order.Id} (Klarna order {context.Record.KlarnaOrderId}, " +
                $"amount {operation.AmountMinor} {operation.CurrencyCode}, error {operation.ErrorCode}, correlation id {operation.CorrelationId ?? "none"})", exception);

            var result = KlarnaOperationResult.Fail(error, outcomeUnknown ? operation.ErrorCode ?? ErrorOutcomeUnknown : operation.ErrorCode, operation.CorrelationId);
            result.Operation = operation;
            return result;
        }
    }

    protected virtual KlarnaOperation NewOperation(OperationContext context, KlarnaOperationKind kind, long amount, IList<KlarnaOrderLine> lines,
        KlarnaInitiator initiator, string initiatedBy, string callerKey)
    {
        return new KlarnaOperation
        {
            OrderId = context.Order.Id,
            KlarnaOrderId = context.Record.KlarnaOrderId,
            Kind = kind,
            Status = KlarnaOperationStatus.Pending,
            AmountMinor = amount,
            CurrencyCode = context.Record.CurrencyCode,
            LinesJson = lines?.Any() == true ? JsonConvert.SerializeObject(lines) : null,
            IdempotencyKey = string.IsNullOrEmpty(callerKey) ? Guid.NewGuid().ToString() : Truncate(callerKey, 100),
            Initiator = initiator,
            InitiatedBy = Truncate(initiatedBy, 255)
        };
    }

    /// <summary>
    /// Validates a capture against Klarna's order
    /// </summary>
    protected virtual async Task<(long Amount, List<KlarnaOrderLine> Lines, KlarnaOperationResult Refusal)> ValidateCaptureAsync(
        OperationContext context, KlarnaCaptureCommand command)
    {
        var klarnaOrder = context.KlarnaOrder;
        var initiator = command.Initiator;
        const KlarnaOperationKind kind = KlarnaOperationKind.Capture;

        if (klarnaOrder.Status == KlarnaOrderStatus.Captured || (IsCapturable(klarnaOrder) && klarnaOrder.RemainingAuthorizedAmount <= 0))
            return (0, null, await RefuseAsync(context, kind, initiator, "Nothing is left to capture.", nothingToDo: true));
        if (!IsCapturable(klarnaOrder))
            return (0, null, await RefuseAsync(context, kind, initiator, $"The Klarna order is {klarnaOrder.Status}: it cannot be captured.", "CAPTURE_NOT_ALLOWED"));
        if (klarnaOrder.FraudStatus is KlarnaFraudStatus.Pending)
            return (0, null, await RefuseAsync(context, kind, initiator, "Klarna's fraud review of this order is still pending: do not ship or capture yet.", "FRAUD_PENDING"));
        if (klarnaOrder.FraudStatus is KlarnaFraudStatus.Rejected or KlarnaFraudStatus.Stopped)
            return (0, null, await RefuseAsync(context, kind, initiator, $"Klarna's fraud status of this order is {klarnaOrder.FraudStatus}: do not ship or capture.", "FRAUD_REJECTED"));
        if (klarnaOrder.ExpiresAt is { } expiresAt && expiresAt <= DateTimeOffset.UtcNow)
            return (0, null, await RefuseAsync(context, kind, initiator, $"The authorization expired on {expiresAt:u}.", "EXPIRED"));

        var remaining = klarnaOrder.RemainingAuthorizedAmount;
        var currency = context.Record.CurrencyCode;
        var hasLines = command.Lines?.Any() == true;

        if (hasLines && command.AmountMinor.HasValue)
            return (0, null, await RefuseAsync(context, kind, initiator, "Give either lines or an amount to capture, not both."));

        if (command.AmountMinor is { } amount)
        {
            if (amount <= 0)
                return (0, null, await RefuseAsync(context, kind, initiator, "The amount to capture must be greater than zero."));
            if (amount > remaining)
            {
                return (0, null, await RefuseAsync(context, kind, initiator,
                    $"The amount {await FormatAsync(amount, currency, context.Order)} is more than the {await FormatAsync(remaining, currency, context.Order)} left to capture."));
            }

            return (amount, null, null);
        }

        if (hasLines)
        {
            var clamp = initiator == KlarnaInitiator.CaptureUponFulfillment;
            var (lines, error) = BuildLines(klarnaOrder, command.Lines, false, clamp);
            if (error is not null)
                return (0, null, await RefuseAsync(context, kind, initiator, error));
            if (!lines.Any())
                return (0, null, await RefuseAsync(context, kind, initiator, "Nothing of these lines is left to capture.", nothingToDo: clamp));

            var linesAmount = lines.Sum(line => line.TotalAmount);
            if (linesAmount <= 0)
                return (0, null, await RefuseAsync(context, kind, initiator, "The selected lines add up to nothing to capture."));
            if (linesAmount > remaining)
            {
                return (0, null, await RefuseAsync(context, kind, initiator,
                    $"The selected lines ({await FormatAsync(linesAmount, currency, context.Order)}) are more than the {await FormatAsync(remaining, currency, context.Order)} left to capture."));
            }

            return (linesAmount, lines, null);
        }

        return (remaining, BuildRemainingLines(klarnaOrder, false, remaining), null);
    }

    /// <summary>
    /// Validates a refund against Klarna's order
    /// </summary>
    protected virtual async Task<(long Amount, List<KlarnaOrderLine> Lines, KlarnaOperationResult Refusal)> ValidateRefundAsync(
        OperationContext context, KlarnaRefundCommand command)
    {
        var klarnaOrder = context.KlarnaOrder;
        var initiator = command.Initiator;
        const KlarnaOperationKind kind = KlarnaOperationKind.Refund;
        var currency = context.Record.CurrencyCode;
        var refundable = klarnaOrder.CapturedAmount - klarnaOrder.RefundedAmount;

        if (klarnaOrder.Status == KlarnaOrderStatus.Cancelled)
            return (0, null, await RefuseAsync(context, kind, initiator, "The Klarna order is cancelled: nothing can be refunded.", "REFUND_NOT_ALLOWED"));
        if (klarnaOrder.CapturedAmount <= 0)
            return (0, null, await RefuseAsync(context, kind, initiator, "Nothing was captured: there is nothing to refund (cancel the order instead).", "REFUND_NOT_ALLOWED"));
        if (refundable <= 0)
            return (0, null, await RefuseAsync(context, kind, initiator, "Everything captured was already refunded.", nothingToDo: true));

        var hasLines = command.Lines?.Any() == true;
        if (hasLines && command.AmountMinor.HasValue)
            return (0, null, await RefuseAsync(context, kind, initiator, "Give either lines or an amount to refund, not both."));

        if (command.AmountMinor is { } amount)
        {
            if (amount <= 0)
                return (0, null, await RefuseAsync(context, kind, initiator, "The amount to refund must be greater than zero."));
            if (amount > refundable)
            {
                return (0, null, await RefuseAsync(context, kind, initiator,
                    $"The amount {await FormatAsync(amount, currency, context.Order)} is more than the {await FormatAsync(refundable, currency, context.Order)} " +
                    $"that can be refunded (captured {await FormatAsync(klarnaOrder.CapturedAmount, currency, context.Order)}, " +
                    $"refunded {await FormatAsync(klarnaOrder.RefundedAmount, currency, context.Order)})."));
            }

            return (amount, null, null);
        }

        if (hasLines)
        {
            var (lines, error) = BuildLines(klarnaOrder, command.Lines, true, false);
            if (error is not null)
                return (0, null, await RefuseAsync(context, kind, initiator, error));

            var linesAmount = lines.Sum(line => line.TotalAmount);
            if (linesAmount <= 0)
                return (0, null, await RefuseAsync(context, kind, initiator, "The selected lines add up to nothing to refund."));
            if (linesAmount > refundable)
            {
                return (0, null, await RefuseAsync(context, kind, initiator,
                    $"The selected lines ({await FormatAsync(linesAmount, currency, context.Order)}) are more than the {await FormatAsync(refundable, currency, context.Order)} that can be refunded."));
            }

            return (linesAmount, lines, null);
        }

        return (refundable, BuildRemainingLines(klarnaOrder, true, refundable), null);
    }

    protected virtual async Task<KlarnaOperationResult> CaptureInLockAsync(KlarnaCaptureCommand command)
    {
        var (context, failure) = await LoadContextAsync(command.OrderId, command.Order, KlarnaOperationKind.Capture, command.Initiator);
        if (failure is not null)
            return failure;

        return await CaptureWithContextAsync(context, command);
    }

    /// <summary>
    /// After a successful write: the record follows Klarna's order, then the order note, the payment status and the mapped
    /// order status. The write is applied to the order read (under the lock) just before it, so the operation costs one read
    /// and one write at Klarna; only an operation whose outcome cannot be computed (extension: Klarna sets the new expiry)
    /// reads Klarna's order again (computed locally when that read fails)
    /// </summary>
    protected virtual async Task<KlarnaOperationResult> AfterSuccessAsync(OperationContext context, KlarnaOperationResult result,
        KlarnaInitiator initiator, string noteText, bool readAgain = false)
    {
        var operation = result.Operation;
        if (!readAgain)
        {
            //captures and refunds with an id are applied below unless the order already has them (read after a lost answer)
            if (operation.Kind is not (KlarnaOperationKind.Capture or KlarnaOperationKind.Refund) || operation.KlarnaId is null)
                ApplyLocally(context.KlarnaOrder, operation);
        }
        else
        {
            try
            {
                context.KlarnaOrder = await _apiClient.GetOrderAsync(context.Credentials, context.Record.KlarnaOrderId);
            }
            catch (Exception exception)
            {
                await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: order {context.Order.Id} could not be re-read after its {operation.Kind}; computed locally", exception);
                ApplyLocally(context.KlarnaOrder, operation);
            }
        }

        //Klarna's read may lag behind its write: never let the record show less than what was just done
        if (context.KlarnaOrder is { } ko && operation.Kind == KlarnaOperationKind.Capture && operation.KlarnaId is not null &&
            ko.Captures?.Any(c => c.CaptureId == operation.KlarnaId) == false)
            ApplyLocally(ko, operation);
        if (context.KlarnaOrder is { } kr && operation.Kind == KlarnaOperationKind.Refund && operation.KlarnaId is not null &&
            kr.Refunds?.Any(r => r.RefundId == operation.KlarnaId) == false)
            ApplyLocally(kr, operation);

        SyncRecord(context.Record, context.KlarnaOrder);
        await _recordService.UpdateAsync(context.Record);
        await AddNoteAsync(context.Order, $"Klarna: {noteText}.");
        result.PaymentStatus = await ApplyOrderStateAsync(context, StatusEventOf(operation.Kind, context.KlarnaOrder), initiator);
        return result;
    }

    /// <summary>
    /// Applies a successful operation to our copy of Klarna's order (when it cannot be read again)
    /// </summary>
    protected static void ApplyLocally(KlarnaOrder order, KlarnaOperation operation)
    {
        switch (operation.Kind)
        {
            case KlarnaOperationKind.Capture:
                order.CapturedAmount += operation.AmountMinor;
                order.RemainingAuthorizedAmount = Math.Max(0, order.RemainingAuthorizedAmount - operation.AmountMinor);
                order.Status = order.RemainingAuthorizedAmount == 0 ? KlarnaOrderStatus.Captured : KlarnaOrderStatus.PartCaptured;
                (order.Captures ??= new List<KlarnaCapture>()).Add(new KlarnaCapture
                {
                    CaptureId = operation.KlarnaId,
                    CapturedAmount = operation.AmountMinor,
                    CapturedAt = DateTimeOffset.UtcNow,
                    OrderLines = ReadLines(operation.LinesJson)?.ToList()
                });
                break;
            case KlarnaOperationKind.Refund:
                order.RefundedAmount += operation.AmountMinor;
                (order.Refunds ??= new List<KlarnaRefund>()).Add(new KlarnaRefund
                {
                    RefundId = operation.KlarnaId,
                    RefundedAmount = operation.AmountMinor,
                    RefundedAt = DateTimeOffset.UtcNow,
                    OrderLines = ReadLines(operation.LinesJson)?.ToList()
                });
                break;
            case KlarnaOperationKind.Cancel:
                order.Status = KlarnaOrderStatus.Cancelled;
                order.RemainingAuthorizedAmount = 0;
                break;
            case KlarnaOperationKind.Release:
                order.Status = KlarnaOrderStatus.Captured;
                order.RemainingAuthorizedAmount = 0;
                break;
        }
    }

    protected virtual async Task<KlarnaOperationResult> RefundInLockAsync(KlarnaRefundCommand command)
    {
        var (context, failure) = await LoadContextAsync(command.OrderId, command.Order, KlarnaOperationKind.Refund, command.Initiator);
        if (failure is not null)
            return failure;

        var (amount, lines, refusal) = await ValidateRefundAsync(context, command);
        if (refusal is not null)
            return refusal;

        var (existing, replay) = await FindExistingAsync(context, KlarnaOperationKind.Refund, command.IdempotencyKey, amount, lines);
        if (replay is not null)
            return replay;

        var operation = existing ?? NewOperation(context, KlarnaOperationKind.Refund, amount, lines, command.Initiator, command.InitiatedBy, command.IdempotencyKey);
        operation.Description = Truncate(command.Description, 255) ?? operation.Description;
        operation.Reference = Truncate(command.Reference, 255) ?? operation.Reference;

        var request = new KlarnaRefundRequest
        {
            RefundedAmount = operation.AmountMinor,
            Description = operation.Description,
            Reference = operation.Reference,
            OrderLines = existing is null ? (lines?.Count > 0 ? lines : null) : ReadLines(operation.LinesJson)?.ToList()
        };

        var result = await ExecuteAsync(context, operation, existing is null,
            key => _apiClient.RefundAsync(context.Credentials, context.Record.KlarnaOrderId, request, key));
        if (!result.Success)
            return result;

        return await AfterSuccessAsync(context, result, command.Initiator,
            $"refunded {await FormatAsync(result.Operation.AmountMinor, result.Operation.CurrencyCode, context.Order)} (refund id {result.Operation.KlarnaId})");
    }

    protected virtual async Task<KlarnaOperationResult> CancelOrReleaseInLockAsync(int orderId, Order order, KlarnaOperationKind? kind,
        KlarnaInitiator initiator, string initiatedBy)
    {
        var (context, failure) = await LoadContextAsync(orderId, order, kind ?? KlarnaOperationKind.Cancel, initiator);
        if (failure is not null)
            return failure;

        var klarnaOrder = context.KlarnaOrder;
        var hasCaptures = klarnaOrder.CapturedAmount > 0 || klarnaOrder.Captures?.Any() == true;

        //void = cancel before any capture, release after a partial capture
        kind ??= hasCaptures ? KlarnaOperationKind.Release : KlarnaOperationKind.Cancel;

        if (kind == KlarnaOperationKind.Cancel)
        {
            if (klarnaOrder.Status == KlarnaOrderStatus.Cancelled)
                return await RefuseAsync(context, kind.Value, initiator, "The Klarna order is already cancelled.", nothingToDo: true);
            if (hasCaptures)
                return await RefuseAsync(context, kind.Value, initiator, "The order has captures: it cannot be cancelled. Release the remaining authorization instead.", "CANCEL_NOT_ALLOWED");
            if (klarnaOrder.Status != KlarnaOrderStatus.Authorized)
                return await RefuseAsync(context, kind.Value, initiator, $"The Klarna order is {klarnaOrder.Status}: it cannot be cancelled.", "CANCEL_NOT_ALLOWED");
        }
        else
        {
            if (!hasCaptures)
                return await RefuseAsync(context, kind.Value, initiator, "Nothing was captured: cancel the order instead of releasing the authorization.", "NOT_ALLOWED");
            if (klarnaOrder.Status != KlarnaOrderStatus.PartCaptured || klarnaOrder.RemainingAuthorizedAmount <= 0)
                return await RefuseAsync(context, kind.Value, initiator, "Nothing is left to release.", nothingToDo: true);
        }

        var amount = kind == KlarnaOperationKind.Cancel ? klarnaOrder.OrderAmount : klarnaOrder.RemainingAuthorizedAmount;
        var (existing, replay) = await FindExistingAsync(context, kind.Value, null, amount, null);
        if (replay is not null)
            return replay;

        var operation = existing ?? NewOperation(context, kind.Value, amount, null, initiator, initiatedBy, null);
        var result = await ExecuteAsync(context, operation, existing is null, async key =>
        {
            if (kind == KlarnaOperationKind.Cancel)
                await _apiClient.CancelOrderAsync(context.Credentials, context.Record.KlarnaOrderId, key);
            else
                await _apiClient.ReleaseRemainingAuthorizationAsync(context.Credentials, context.Record.KlarnaOrderId, key);
            return null;
        });
        if (!result.Success)
            return result;

        return await AfterSuccessAsync(context, result, initiator, kind == KlarnaOperationKind.Cancel
            ? $"order cancelled, authorization of {await FormatAsync(amount, operation.CurrencyCode, context.Order)} released (Klarna order {context.Record.KlarnaOrderId})"
            : $"remaining authorization of {await FormatAsync(amount, operation.CurrencyCode, context.Order)} released (Klarna order {context.Record.KlarnaOrderId})");
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderOverview> GetOrderOverviewAsync(int orderId)
    {
        var record = await _recordService.GetByOrderIdAsync(orderId);
        if (record is null)
            return null;

        var overview = new KlarnaOrderOverview { Record = record, CurrencyCode = record.CurrencyCode };
        OperationContext context = null;
        var lockResult = await WithOrderLockAsync(orderId, async () =>
        {
            var (loaded, failure) = await LoadContextAsync(orderId, null, KlarnaOperationKind.Capture, KlarnaInitiator.Admin, false);
            context = loaded;
            return failure ?? KlarnaOperationResult.Ok(null);
        });

        if (context is null && lockResult.ErrorCode == ErrorInProgress)
        {
            //another operation holds the lock: show Klarna's order without settling
            try
            {
                var credentials = await _credentialsProvider.GetCredentialsAsync(record.StoreId, record.Region, record.Environment);
                if (credentials is not null)
                    overview.KlarnaOrder = await _apiClient.GetOrderAsync(credentials, record.KlarnaOrderId);
            }
            catch (Exception exception)
            {
                overview.ReadError = exception.Message;
            }
        }
        else if (context is null)
            overview.ReadError = lockResult.Error;
        else
            overview.KlarnaOrder = context.KlarnaOrder;

        overview.Record = await _recordService.GetByOrderIdAsync(orderId) ?? record;
        overview.Operations = await _recordService.GetOperationsAsync(orderId);

        var klarnaOrder = overview.KlarnaOrder;
        if (klarnaOrder is null)
        {
            overview.OrderAmountMinor = record.OrderAmountMinor;
            overview.CapturedAmountMinor = record.CapturedAmountMinor;
            overview.RefundedAmountMinor = record.RefundedAmountMinor;
            overview.RemainingAuthorizedAmountMinor = record.RemainingAuthorizedAmountMinor;
            overview.RefundableAmountMinor = Math.Max(0, record.CapturedAmountMinor - record.RefundedAmountMinor);
            return overview;
        }

        var capturable = IsCapturable(klarnaOrder) && klarnaOrder.RemainingAuthorizedAmount > 0;
        overview.CurrencyCode = string.IsNullOrEmpty(klarnaOrder.PurchaseCurrency) ? record.CurrencyCode : klarnaOrder.PurchaseCurrency.ToUpperInvariant();
        overview.OrderAmountMinor = klarnaOrder.OrderAmount;
        overview.CapturedAmountMinor = klarnaOrder.CapturedAmount;
        overview.RefundedAmountMinor = klarnaOrder.RefundedAmount;
        overview.RemainingAuthorizedAmountMinor = klarnaOrder.RemainingAuthorizedAmount;
        overview.RefundableAmountMinor = Math.Max(0, klarnaOrder.CapturedAmount - klarnaOrder.RefundedAmount);
        overview.Lines = KlarnaOrderLineMath.GetLineTotals(klarnaOrder).Select(t => new KlarnaLineState
        {
            Reference = KlarnaOrderLineMath.Key(t.Line),
            Name = t.Line.Name,
            Type = t.Line.Type,
            Quantity = t.Line.Quantity,
            UnitPrice = t.Line.UnitPrice,
            TotalAmount = t.Line.TotalAmount,
            TotalDiscountAmount = t.Line.TotalDiscountAmount,
            CapturedQuantity = t.CapturedQuantity,
            RefundedQuantity = t.RefundedQuantity,
            CapturableQuantity = capturable ? Math.Max(0, t.Line.Quantity - t.CapturedQuantity) : 0,
            RefundableQuantity = Math.Max(0, t.CapturedQuantity - t.RefundedQuantity)
        }).ToList();

        var hasCaptures = klarnaOrder.CapturedAmount > 0 || klarnaOrder.Captures?.Any() == true;
        var notExpired = klarnaOrder.ExpiresAt is null || klarnaOrder.ExpiresAt > DateTimeOffset.UtcNow;
        var fraudOk = klarnaOrder.FraudStatus is not (KlarnaFraudStatus.Pending or KlarnaFraudStatus.Rejected or KlarnaFraudStatus.Stopped);
        overview.CanCapture = capturable && notExpired && fraudOk;
        overview.CanCancel = klarnaOrder.Status == KlarnaOrderStatus.Authorized && !hasCaptures;
        overview.CanRelease = klarnaOrder.Status == KlarnaOrderStatus.PartCaptured && hasCaptures && klarnaOrder.RemainingAuthorizedAmount > 0;
        overview.CanRefund = klarnaOrder.Status != KlarnaOrderStatus.Cancelled && overview.RefundableAmountMinor > 0;
        overview.CanExtendAuthorization = IsCapturable(klarnaOrder) && notExpired;

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(record.StoreId);
        overview.ExpiresSoon = overview.CanExtendAuthorization && klarnaOrder.ExpiresAt is { } expires &&
            expires - DateTimeOffset.UtcNow <= TimeSpan.FromDays(Math.Max(0, settings.ExpiryWarningDays));

        return overview;
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaOperationResult> CaptureAsync(KlarnaCaptureCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var orderId = command.Order?.Id ?? command.OrderId;
        command.OrderId = orderId;
        return await WithOrderLockAsync(orderId, () => CaptureInLockAsync(command));
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaOperationResult> RefundAsync(KlarnaRefundCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var orderId = command.Order?.Id ?? command.OrderId;
        command.OrderId = orderId;
        return await WithOrderLockAsync(orderId, () => RefundInLockAsync(command));
    }

    /// <inheritdoc />
    public virtual Task<KlarnaOperationResult> CancelAsync(int orderId, KlarnaInitiator initiator, string initiatedBy) =>
        WithOrderLockAsync(orderId, () => CancelOrReleaseInLockAsync(orderId, null, KlarnaOperationKind.Cancel, initiator, initiatedBy));

    /// <inheritdoc />
    public virtual Task<KlarnaOperationResult> ReleaseRemainingAuthorizationAsync(int orderId, KlarnaInitiator initiator, string initiatedBy) =>
        WithOrderLockAsync(orderId, () => CancelOrReleaseInLockAsync(orderId, null, KlarnaOperationKind.Release, initiator, initiatedBy));

    /// <inheritdoc />
    public virtual Task<KlarnaOperationResult> VoidAsync(Order order, KlarnaInitiator initiator, string initiatedBy)
    {
        ArgumentNullException.ThrowIfNull(order);
        return WithOrderLockAsync(order.Id, () => CancelOrReleaseInLockAsync(order.Id, order, null, initiator, initiatedBy));
    }

    /// <inheritdoc />
    public virtual Task<KlarnaOperationResult> ExtendAuthorizationAsync(int orderId, KlarnaInitiator initiator, string initiatedBy) =>
        WithOrderLockAsync(orderId, async () =>
        {
            const KlarnaOperationKind kind = KlarnaOperationKind.ExtendAuthorization;
            var (context, failure) = await LoadContextAsync(orderId, null, kind, initiator);
            if (failure is not null)
                return failure;

            var klarnaOrder = context.KlarnaOrder;
            if (!IsCapturable(klarnaOrder))
                return await RefuseAsync(context, kind, initiator, $"The Klarna order is {klarnaOrder.Status}: its authorization cannot be extended.", "NOT_ALLOWED");
            if (klarnaOrder.ExpiresAt is { } expiresAt && expiresAt <= DateTimeOffset.UtcNow)
                return await RefuseAsync(context, kind, initiator, $"The authorization expired on {expiresAt:u}: it cannot be extended.", "NOT_ALLOWED");

            var (existing, replay) = await FindExistingAsync(context, kind, null, 0, null);
            if (replay is not null && replay.ErrorCode != ErrorOutcomeUnknown)
                return replay;

            var operation = existing ?? NewOperation(context, kind, 0, null, initiator, initiatedBy, null);
            var result = await ExecuteAsync(context, operation, existing is null, async key =>
            {
                await _apiClient.ExtendAuthorizationTimeAsync(context.Credentials, context.Record.KlarnaOrderId, key);
                return null;
            });
            if (!result.Success)
                return result;

            var before = klarnaOrder.ExpiresAt;
            result = await AfterSuccessAsync(context, result, initiator, "authorization extended", readAgain: true);
            if (context.KlarnaOrder.ExpiresAt is { } after && after != before)
                await AddNoteAsync(context.Order, $"Klarna: the authorization now expires on {after:u}.");
            return result;
        });

    /// <inheritdoc />
    public virtual Task<KlarnaOperationResult> AddShippingInfoAsync(int orderId, int shipmentId, KlarnaInitiator initiator) =>
        WithOrderLockAsync(orderId, async () =>
        {
            const KlarnaOperationKind kind = KlarnaOperationKind.ShippingInfo;
            var (context, failure) = await LoadContextAsync(orderId, null, kind, initiator);
            if (failure is not null)
                return failure;

            var captures = context.Operations
                .Where(op => op.Kind == KlarnaOperationKind.Capture && op.Status == KlarnaOperationStatus.Succeeded && !string.IsNullOrEmpty(op.KlarnaId))
                .ToList();
            var capture = captures.LastOrDefault(op => op.ShipmentId == shipmentId) ?? captures.LastOrDefault(op => op.ShipmentId is null);
            if (capture is null)
                return await RefuseAsync(context, kind, initiator, "No capture covers this shipment yet: its tracking goes with the capture.", nothingToDo: true);

            var shipment = await _shipmentService.GetShipmentByIdAsync(shipmentId);
            if (shipment is null || shipment.OrderId != context.Order.Id)
                return await RefuseAsync(context, kind, initiator, "The shipment does not belong to this order.");

            var info = await _trackingService.GetShippingInfoAsync(context.Order, shipment);
            if (string.IsNullOrEmpty(info?.TrackingNumber))
                return await RefuseAsync(context, kind, initiator, "The shipment has no tracking number.", nothingToDo: true);

            var klarnaCapture = context.KlarnaOrder.Captures?.FirstOrDefault(c => c.CaptureId == capture.KlarnaId);
            if (klarnaCapture?.ShippingInfo?.Any(s => s.TrackingNumber == info.TrackingNumber) == true)
                return await RefuseAsync(context, kind, initiator, "Klarna's capture already has this tracking number.", nothingToDo: true);

            //a retry of a pending shipping info call (its answer was lost, and Klarna has no trace of it) reuses its idempotency key
            var existing = context.Operations.FirstOrDefault(op => op.Kind == kind && op.Status == KlarnaOperationStatus.Pending &&
                op.ShipmentId == shipmentId && op.KlarnaId == capture.KlarnaId);
            var operation = existing ?? NewOperation(context, kind, capture.AmountMinor, null, initiator, $"Shipment {shipmentId}", null);
            operation.KlarnaId = capture.KlarnaId;
            operation.ShipmentId = shipmentId;
            operation.ShippingInfoJson = JsonConvert.SerializeObject(new[] { info });

            var result = await ExecuteAsync(context, operation, existing is null, async key =>
            {
                await _apiClient.AddShippingInfoAsync(context.Credentials, context.Record.KlarnaOrderId, capture.KlarnaId, new List<KlarnaShippingInfo> { info }, key);
                return capture.KlarnaId;
            });
            if (!result.Success)
                return result;

            await AddNoteAsync(context.Order, $"Klarna: tracking number {info.TrackingNumber} ({info.ShippingCompany}) added to capture {capture.KlarnaId}.");
            result.PaymentStatus = (PaymentStatus)context.Order.PaymentStatusId;
            return result;
        });

    /// <inheritdoc />
    public virtual Task<KlarnaOperationResult> CaptureShipmentAsync(Order order, int shipmentId, KlarnaInitiator initiator)
    {
        ArgumentNullException.ThrowIfNull(order);
        return WithOrderLockAsync(order.Id, async () =>
        {
            var (context, failure) = await LoadContextAsync(order.Id, order, KlarnaOperationKind.Capture, initiator);
            if (failure is not null)
                return failure;

            var captures = context.Operations.Where(op => op.Kind == KlarnaOperationKind.Capture).ToList();
            if (captures.Any(op => op.ShipmentId == shipmentId && op.Status == KlarnaOperationStatus.Succeeded))
                return await RefuseAsync(context, KlarnaOperationKind.Capture, initiator, "This shipment was already captured.", nothingToDo: true);

            var shipment = await _shipmentService.GetShipmentByIdAsync(shipmentId);
            if (shipment is null || shipment.OrderId != order.Id)
                return await RefuseAsync(context, KlarnaOperationKind.Capture, initiator, "The shipment does not belong to this order.");

            var firstShipment = !captures.Any(op => op.ShipmentId is not null && op.Status == KlarnaOperationStatus.Succeeded);
            var (lines, unmatched) = await _trackingService.GetShipmentLinesAsync(order, context.KlarnaOrder, shipment, firstShipment);
            if (unmatched.Any())
            {
                return await RefuseAsync(context, KlarnaOperationKind.Capture, initiator,
                    $"Shipment {shipmentId}: {string.Join(", ", unmatched)} match no Klarna order line; capture it from the Klarna block.");
            }

            if (!lines.Any())
                return await RefuseAsync(context, KlarnaOperationKind.Capture, initiator, "Nothing of this shipment is left to capture.", nothingToDo: true);

            return await CaptureWithContextAsync(context, new KlarnaCaptureCommand
            {
                OrderId = order.Id,
                Order = order,
                Lines = lines,
                Initiator = initiator,
                InitiatedBy = $"Shipment {shipmentId} shipped",
                ShipmentIds = new List<int> { shipmentId },
                Description = $"Shipment {shipmentId}"
            });
        });
    }

    /// <summary>
    /// Captures with an already loaded context (inside the lock)
    /// </summary>
    protected virtual async Task<KlarnaOperationResult> CaptureWithContextAsync(OperationContext context, KlarnaCaptureCommand command)
    {
        var (amount, lines, refusal) = await ValidateCaptureAsync(context, command);
        if (refusal is not null)
            return refusal;

        var (existing, replay) = await FindExistingAsync(context, KlarnaOperationKind.Capture, command.IdempotencyKey, amount, lines);
        if (replay is not null)
            return replay;

        var shippingInfo = await _trackingService.GetShippingInfoAsync(context.Order, command.ShipmentIds);
        var operation = existing ?? NewOperation(context, KlarnaOperationKind.Capture, amount, lines, command.Initiator, command.InitiatedBy, command.IdempotencyKey);
        operation.Description = Truncate(command.Description, 255) ?? operation.Description;
        operation.ShipmentId ??= command.ShipmentIds?.Count == 1 ? command.ShipmentIds[0] : null;
        operation.ShippingInfoJson = shippingInfo.Any() ? JsonConvert.SerializeObject(shippingInfo) : null;

        var request = new KlarnaCaptureRequest
        {
            CapturedAmount = operation.AmountMinor,
            Description = operation.Description,
            Reference = Truncate(context.Order.CustomOrderNumber, 255),
            //a new operation sends the lines it recorded; a continued one the lines recorded the first time
            OrderLines = existing is null ? (lines?.Count > 0 ? lines : null) : ReadLines(operation.LinesJson)?.ToList(),
            ShippingInfo = shippingInfo.Any() ? shippingInfo : null
        };

        var result = await ExecuteAsync(context, operation, existing is null,
            key => _apiClient.CaptureAsync(context.Credentials, context.Record.KlarnaOrderId, request, key));
        if (!result.Success)
            return result;

        return await AfterSuccessAsync(context, result, command.Initiator,
            $"captured {await FormatAsync(result.Operation.AmountMinor, result.Operation.CurrencyCode, context.Order)} (capture id {result.Operation.KlarnaId})" +
            (shippingInfo.Any(s => s.TrackingNumber is not null) ? $" with tracking number {string.Join(", ", shippingInfo.Select(s => s.TrackingNumber).Where(t => t is not null))}" : string.Empty));
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaOrder> RefreshAsync(int orderId, KlarnaInitiator initiator)
    {
        KlarnaOrder klarnaOrder = null;
        await WithOrderLockAsync(orderId, async () =>
        {
            var (context, failure) = await LoadContextAsync(orderId, null, KlarnaOperationKind.Capture, initiator, false);
            if (failure is not null)
                return failure;

            klarnaOrder = context.KlarnaOrder;
            context.Record.SyncRequested = false;
            await _recordService.UpdateAsync(context.Record);
            var result = KlarnaOperationResult.Ok(null);
            result.PaymentStatus = await ApplyOrderStateAsync(context, DeriveStatusEvent(klarnaOrder), initiator);
            return result;
        });

        return klarnaOrder;
    }

    #endregion
}
