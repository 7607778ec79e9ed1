using System.Globalization;
using Newtonsoft.Json;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Brings the plugin's records and the nopCommerce order in step with a fresh read of the Klarna order.
/// Idempotent: every change is detected against the records, which are updated in the same pass, so a second pass
/// over the same Klarna order finds nothing to do. Operations inserted for captures and refunds made outside the plugin
/// carry a key derived from Klarna's id (unique index), so even a racing second writer cannot insert them twice.
/// </summary>
public class KlarnaOrderReconciler : IKlarnaOrderReconciler
{
    #region Constants

    /// <summary>
    /// Gets how old a pending capture or refund must be before the reconciler may decide that Klarna never carried it out
    /// </summary>
    public static TimeSpan PendingOperationGracePeriod => TimeSpan.FromHours(1);

    /// <summary>
    /// Gets the clock skew tolerated between the shop and Klarna when a pending operation is matched to Klarna's capture or refund
    /// </summary>
    public static TimeSpan ClockSkew => TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets the InitiatedBy value of operations made in Klarna's Merchant Portal
    /// </summary>
    public static string MerchantPortalInitiatedBy => "Klarna Merchant Portal";

    #endregion

    #region Fields

    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly IKlarnaOrderStatusService _orderStatusService;
    protected readonly IOrderService _orderService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public KlarnaOrderReconciler(IKlarnaOrderRecordService recordService,
        IKlarnaOrderStatusService orderStatusService,
        IOrderService orderService,
        ISettingService settingService)
    {
        _recordService = recordService;
        _orderStatusService = orderStatusService;
        _orderService = orderService;
        _settingService = settingService;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Formats an amount in minor units for an order note
    /// </summary>
    protected static string FormatAmount(long amountMinor, string currencyCode) =>
        string.Create(CultureInfo.InvariantCulture, $"{KlarnaAmount.FromMinor(amountMinor, currencyCode)} {currencyCode}");

    protected static bool SameText(string first, string second) =>
        string.Equals(first ?? string.Empty, second ?? string.Empty, StringComparison.OrdinalIgnoreCase);

    protected static string Truncate(string value, int maxLength) =>
        value is null || value.Length <= maxLength ? value : value[..maxLength];

    protected static bool IsStatus(string status, params string[] statuses) =>
        statuses.Any(value => SameText(status, value));

    /// <summary>
    /// Gets the idempotency key of an operation the plugin records for something Klarna did without it
    /// </summary>
    public static string GetExternalOperationKey(string klarnaOrderId, string what) => $"sync:{klarnaOrderId}:{what}";

    /// <summary>
    /// Maps a Klarna order status to the event of the order status mapping
    /// </summary>
    /// <param name="status">Klarna order status</param>
    /// <param name="fraudStatus">Klarna fraud status</param>
    /// <param name="capturedAmountMinor">Captured amount in minor units</param>
    /// <returns>The event; null when the status maps to none</returns>
    public static KlarnaStatusEvent? MapStatusEvent(string status, string fraudStatus, long capturedAmountMinor)
    {
        return status?.ToUpperInvariant() switch
        {
            KlarnaOrderStatus.Authorized => SameText(fraudStatus, KlarnaFraudStatus.Pending)
                ? KlarnaStatusEvent.FraudPending
                : SameText(fraudStatus, KlarnaFraudStatus.Rejected) || SameText(fraudStatus, KlarnaFraudStatus.Stopped)
                    ? KlarnaStatusEvent.Cancelled
                    : KlarnaStatusEvent.Authorized,
            KlarnaOrderStatus.PartCaptured => KlarnaStatusEvent.PartiallyCaptured,
            KlarnaOrderStatus.Captured => KlarnaStatusEvent.Captured,
            KlarnaOrderStatus.Cancelled => KlarnaStatusEvent.Cancelled,
            KlarnaOrderStatus.Expired => KlarnaStatusEvent.Expired,
            //closed: what was captured stays captured, an order closed without captures is as good as cancelled
            KlarnaOrderStatus.Closed => capturedAmountMinor > 0 ? KlarnaStatusEvent.Captured : KlarnaStatusEvent.Cancelled,
            _ => null
        };
    }

    /// <summary>
    /// Gets the nopCommerce payment status that follows Klarna's money
    /// </summary>
    /// <param name="status">Klarna order status</param>
    /// <param name="fraudStatus">Klarna fraud status</param>
    /// <param name="capturedAmountMinor">Captured amount in minor units</param>
    /// <param name="refundedAmountMinor">Refunded amount in minor units</param>
    /// <param name="remainingAuthorizedAmountMinor">Remaining authorized amount in minor units</param>
    /// <returns>Payment status</returns>
    public static PaymentStatus GetPaymentStatus(string status, string fraudStatus,
        long capturedAmountMinor, long refundedAmountMinor, long remainingAuthorizedAmountMinor)
    {
        if (refundedAmountMinor > 0)
            return refundedAmountMinor >= capturedAmountMinor ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;

        if (capturedAmountMinor > 0)
        {
            //part captured and more may still be captured: the payment is still (partly) an authorization
            return IsStatus(status, KlarnaOrderStatus.PartCaptured, KlarnaOrderStatus.Authorized) && remainingAuthorizedAmountMinor > 0
                ? PaymentStatus.Authorized
                : PaymentStatus.Paid;
        }

        if (IsStatus(status, KlarnaOrderStatus.Cancelled, KlarnaOrderStatus.Expired, KlarnaOrderStatus.Closed))
            return PaymentStatus.Voided;

        if (IsStatus(fraudStatus, KlarnaFraudStatus.Rejected, KlarnaFraudStatus.Stopped))
            return PaymentStatus.Voided;

        return SameText(fraudStatus, KlarnaFraudStatus.Pending) ? PaymentStatus.Pending : PaymentStatus.Authorized;
    }

    /// <summary>
    /// Converts Klarna's refunded amount (customer currency, minor units) to nopCommerce's refunded amount (primary store currency)
    /// </summary>
    /// <param name="order">nopCommerce order</param>
    /// <param name="refundedAmountMinor">Refunded amount in minor units</param>
    /// <param name="orderAmountMinor">Klarna's order amount in minor units</param>
    /// <param name="currencyCode">Klarna order currency</param>
    /// <returns>Refunded amount in the primary store currency</returns>
    public static decimal GetRefundedAmount(Order order, long refundedAmountMinor, long orderAmountMinor, string currencyCode)
    {
        if (refundedAmountMinor <= 0)
            return decimal.Zero;

        //everything refunded: exactly the order total, no rounding drift through the exchange rate
        if (orderAmountMinor > 0 && refundedAmountMinor >= orderAmountMinor)
            return order.OrderTotal;

        var rate = order.CurrencyRate > decimal.Zero ? order.CurrencyRate : decimal.One;
        var refunded = KlarnaAmount.FromMinor(refundedAmountMinor, currencyCode);

        return Math.Round(refunded / rate, 2, MidpointRounding.AwayFromZero);
    }

    protected virtual async Task SettleAsync(KlarnaOperation operation, string klarnaId, string klarnaReference, DateTime now)
    {
        operation.Status = KlarnaOperationStatus.Succeeded;
        if (!string.IsNullOrEmpty(klarnaId))
            operation.KlarnaId = klarnaId;
        if (!string.IsNullOrEmpty(klarnaReference))
            operation.KlarnaReference = klarnaReference;
        operation.ErrorCode = null;
        operation.ErrorMessage = null;
        operation.UpdatedOnUtc = now;
        await _recordService.UpdateOperationAsync(operation);
    }

    /// <summary>
    /// Inserts an operation made outside the plugin; returns null when another writer already recorded it
    /// </summary>
    protected virtual async Task<KlarnaOperation> InsertExternalAsync(KlarnaOrderRecord record, KlarnaOperationKind kind, string what,
        long amountMinor, string currencyCode, string klarnaId, string klarnaReference, string description, string reference,
        object lines, DateTime createdOnUtc, DateTime now)
    {
        var key = GetExternalOperationKey(record.KlarnaOrderId, what);
        if (await _recordService.GetOperationByIdempotencyKeyAsync(key) is not null)
            return null;

        var operation = new KlarnaOperation
        {
            OrderId = record.OrderId,
            KlarnaOrderId = record.KlarnaOrderId,
            Kind = kind,
            Status = KlarnaOperationStatus.Succeeded,
            AmountMinor = amountMinor,
            CurrencyCode = currencyCode,
            LinesJson = lines is null ? null : JsonConvert.SerializeObject(lines),
            IdempotencyKey = key,
            KlarnaId = klarnaId,
            KlarnaReference = klarnaReference,
            Description = Truncate(description, 255),
            Reference = Truncate(reference, 255),
            Initiator = KlarnaInitiator.MerchantPortal,
            InitiatedBy = MerchantPortalInitiatedBy,
            CreatedOnUtc = createdOnUtc,
            UpdatedOnUtc = now
        };
        await _recordService.InsertOperationAsync(operation);

        return operation;
    }

    /// <summary>
    /// Finds the plugin's pending operation that Klarna's capture or refund answers (its answer was lost)
    /// </summary>
    protected static KlarnaOperation FindPending(IEnumerable<KlarnaOperation> operations, KlarnaOperationKind kind, long amountMinor, string reference,
        DateTimeOffset? madeAt)
    {
        //an operation can only be answered by something Klarna did after it was recorded (give or take clock skew)
        var pending = operations
            .Where(operation => operation.Kind == kind && operation.Status == KlarnaOperationStatus.Pending && string.IsNullOrEmpty(operation.KlarnaId))
            .Where(operation => madeAt is null || operation.CreatedOnUtc == default || operation.CreatedOnUtc - ClockSkew <= madeAt.Value.UtcDateTime)
            .OrderBy(operation => operation.CreatedOnUtc)
            .ThenBy(operation => operation.Id)
            .ToList();

        return pending.FirstOrDefault(operation => !string.IsNullOrEmpty(reference) && SameText(operation.Reference, reference))
            ?? pending.FirstOrDefault(operation => operation.AmountMinor == amountMinor);
    }

    #endregion

    #region Methods

    /// <summary>
    /// Copies a record as stored into the instance the caller holds
    /// </summary>
    protected static void CopyRecord(KlarnaOrderRecord from, KlarnaOrderRecord to)
    {
        to.KlarnaReference = from.KlarnaReference;
        to.SessionId = from.SessionId;
        to.CurrencyCode = from.CurrencyCode;
        to.FraudStatus = from.FraudStatus;
        to.KlarnaStatus = from.KlarnaStatus;
        to.OrderAmountMinor = from.OrderAmountMinor;
        to.CapturedAmountMinor = from.CapturedAmountMinor;
        to.RefundedAmountMinor = from.RefundedAmountMinor;
        to.RemainingAuthorizedAmountMinor = from.RemainingAuthorizedAmountMinor;
        to.ExpiresAtUtc = from.ExpiresAtUtc;
        to.InitialPaymentMethod = from.InitialPaymentMethod;
        to.AppliedStatusEvents = from.AppliedStatusEvents;
        to.SyncRequested = from.SyncRequested;
        to.UpdatedOnUtc = from.UpdatedOnUtc;
        to.LastSyncedOnUtc = from.LastSyncedOnUtc;
    }

    /// <inheritdoc />
    public virtual Task<KlarnaReconcileResult> ReconcileAsync(Order order, KlarnaOrderRecord record, KlarnaOrder klarnaOrder) =>
        ReconcileAsync(order, record, klarnaOrder, null);

    /// <inheritdoc />
    public virtual async Task<KlarnaReconcileResult> ReconcileAsync(Order order, KlarnaOrderRecord record, KlarnaOrder klarnaOrder, KlarnaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(klarnaOrder);

        var result = new KlarnaReconcileResult();
        var now = DateTime.UtcNow;
        var operations = (await _recordService.GetOperationsAsync(order.Id))?.ToList() ?? new List<KlarnaOperation>();

        //a record read before the lock (a page of a sync run) is stale when an operation was recorded after its last write
        if (operations.Any(operation => operation.UpdatedOnUtc > record.UpdatedOnUtc) && await _recordService.GetByOrderIdAsync(order.Id) is { } stored)
            CopyRecord(stored, record);

        var currency = !string.IsNullOrEmpty(record.CurrencyCode) ? record.CurrencyCode : klarnaOrder.PurchaseCurrency?.ToUpperInvariant() ?? string.Empty;
        var matched = new HashSet<KlarnaOperation>();

        var previousStatus = record.KlarnaStatus;
        var previousFraudStatus = record.FraudStatus;
        var previousRefunded = record.RefundedAmountMinor;
        var previousRemaining = record.RemainingAuthorizedAmountMinor;
        var previousExpiresAt = record.ExpiresAtUtc;
        var newStatus = klarnaOrder.Status?.ToUpperInvariant();
        var newExpiresAt = klarnaOrder.ExpiresAt?.UtcDateTime;
        var statusChanged = !string.IsNullOrEmpty(newStatus) && !SameText(previousStatus, newStatus);

        //1. captures Klarna has: known, answering a pending operation of the plugin, or made in the Merchant Portal
        foreach (var capture in (klarnaOrder.Captures ?? new()).Where(capture => !string.IsNullOrEmpty(capture.CaptureId))
            .OrderBy(capture => capture.CapturedAt ?? DateTimeOffset.MinValue))
        {
            var known = operations.FirstOrDefault(operation => operation.Kind == KlarnaOperationKind.Capture && SameText(operation.KlarnaId, capture.CaptureId));
            if (known is not null)
            {
                matched.Add(known);
                if (known.Status == KlarnaOperationStatus.Succeeded)
                    continue;

                await SettleAsync(known, capture.CaptureId, capture.KlarnaReference, now);
                result.Operations.Add(known);
                result.Notes.Add($"Klarna: the capture of {FormatAmount(capture.CapturedAmount, currency)} was confirmed by Klarna (capture {capture.CaptureId}).");
                continue;
            }

            var pending = FindPending(operations.Except(matched), KlarnaOperationKind.Capture, capture.CapturedAmount, capture.Reference, capture.CapturedAt);
            if (pending is not null)
            {
                matched.Add(pending);
                await SettleAsync(pending, capture.CaptureId, capture.KlarnaReference, now);
                result.Operations.Add(pending);
                result.Notes.Add($"Klarna: the pending capture of {FormatAmount(capture.CapturedAmount, currency)} was confirmed by Klarna (capture {capture.CaptureId}).");
                continue;
            }

            var inserted = await InsertExternalAsync(record, KlarnaOperationKind.Capture, $"capture:{capture.CaptureId}", capture.CapturedAmount, currency,
                capture.CaptureId, capture.KlarnaReference, capture.Description, capture.Reference, capture.OrderLines,
                capture.CapturedAt?.UtcDateTime ?? now, now);
            if (inserted is null)
                continue;

            operations.Add(inserted);
            matched.Add(inserted);
            result.Operations.Add(inserted);
            result.Notes.Add($"Klarna: {FormatAmount(capture.CapturedAmount, currency)} captured in the Klarna Merchant Portal (capture {capture.CaptureId}{(string.IsNullOrEmpty(capture.KlarnaReference) ? string.Empty : $", {capture.KlarnaReference}")}).");
        }

        //2. refunds, likewise
        foreach (var refund in (klarnaOrder.Refunds ?? new()).Where(refund => !string.IsNullOrEmpty(refund.RefundId))
            .OrderBy(refund => refund.RefundedAt ?? DateTimeOffset.MinValue))
        {
            var known = operations.FirstOrDefault(operation => operation.Kind == KlarnaOperationKind.Refund && SameText(operation.KlarnaId, refund.RefundId));
            if (known is not null)
            {
                matched.Add(known);
                if (known.Status == KlarnaOperationStatus.Succeeded)
                    continue;

                await SettleAsync(known, refund.RefundId, null, now);
                result.Operations.Add(known);
                result.Notes.Add($"Klarna: the refund of {FormatAmount(refund.RefundedAmount, currency)} was confirmed by Klarna (refund {refund.RefundId}).");
                continue;
            }

            var pending = FindPending(operations.Except(matched), KlarnaOperationKind.Refund, refund.RefundedAmount, refund.Reference, refund.RefundedAt);
            if (pending is not null)
            {
                matched.Add(pending);
                await SettleAsync(pending, refund.RefundId, null, now);
                result.Operations.Add(pending);
                result.Notes.Add($"Klarna: the pending refund of {FormatAmount(refund.RefundedAmount, currency)} was confirmed by Klarna (refund {refund.RefundId}).");
                continue;
            }

            var inserted = await InsertExternalAsync(record, KlarnaOperationKind.Refund, $"refund:{refund.RefundId}", refund.RefundedAmount, currency,
                refund.RefundId, null, refund.Description, refund.Reference, refund.OrderLines, refund.RefundedAt?.UtcDateTime ?? now, now);
            if (inserted is null)
                continue;

            operations.Add(inserted);
            matched.Add(inserted);
            result.Operations.Add(inserted);
            result.Notes.Add($"Klarna: {FormatAmount(refund.RefundedAmount, currency)} refunded in the Klarna Merchant Portal (refund {refund.RefundId}).");
        }

        //3. pending captures and refunds Klarna has no trace of, long after their call ended: Klarna never carried them out
        foreach (var stale in operations.Except(matched)
            .Where(operation => operation.Kind is KlarnaOperationKind.Capture or KlarnaOperationKind.Refund
                && operation.Status == KlarnaOperationStatus.Pending
                && string.IsNullOrEmpty(operation.KlarnaId)
                && operation.CreatedOnUtc < now - PendingOperationGracePeriod)
            .ToList())
        {
            stale.Status = KlarnaOperationStatus.Failed;
            stale.ErrorCode = "NOT_FOUND_AT_KLARNA";
            stale.ErrorMessage = "Klarna has no matching " + (stale.Kind == KlarnaOperationKind.Capture ? "capture" : "refund") + ": the request was not carried out.";
            stale.UpdatedOnUtc = now;
            await _recordService.UpdateOperationAsync(stale);
            result.Operations.Add(stale);
            result.Notes.Add($"Klarna: the pending {(stale.Kind == KlarnaOperationKind.Capture ? "capture" : "refund")} of {FormatAmount(stale.AmountMinor, currency)} was not carried out by Klarna.");
        }

        //4. status changes that are not money movements: cancel, release, expiry, close, fraud decision, extension
        if (statusChanged && newStatus == KlarnaOrderStatus.Cancelled)
        {
            var pendingCancel = operations.FirstOrDefault(operation => operation.Kind == KlarnaOperationKind.Cancel && operation.Status == KlarnaOperationStatus.Pending);
            if (pendingCancel is not null)
            {
                await SettleAsync(pendingCancel, null, null, now);
                result.Operations.Add(pendingCancel);
                result.Notes.Add("Klarna: the pending cancellation was confirmed by Klarna; the authorization is released.");
            }
            else if (!operations.Any(operation => operation.Kind == KlarnaOperationKind.Cancel && operation.Status == KlarnaOperationStatus.Succeeded))
            {
                var inserted = await InsertExternalAsync(record, KlarnaOperationKind.Cancel, "cancel", record.RemainingAuthorizedAmountMinor, currency,
                    null, null, null, null, null, now, now);
                if (inserted is not null)
                {
                    result.Operations.Add(inserted);
                    result.Notes.Add("Klarna: the order was cancelled in the Klarna Merchant Portal; the authorization is released.");
                }
            }
        }
        else if (previousRemaining > 0 && klarnaOrder.RemainingAuthorizedAmount == 0 && klarnaOrder.CapturedAmount > 0
            && klarnaOrder.CapturedAmount < klarnaOrder.OrderAmount
            && IsStatus(newStatus, KlarnaOrderStatus.Captured, KlarnaOrderStatus.Closed, KlarnaOrderStatus.PartCaptured))
        {
            var pendingRelease = operations.FirstOrDefault(operation => operation.Kind == KlarnaOperationKind.Release && operation.Status == KlarnaOperationStatus.Pending);
            if (pendingRelease is not null)
            {
                await SettleAsync(pendingRelease, null, null, now);
                result.Operations.Add(pendingRelease);
                result.Notes.Add($"Klarna: the pending release of the remaining authorization ({FormatAmount(previousRemaining, currency)}) was confirmed by Klarna.");
            }
            else if (!operations.Any(operation => operation.Kind == KlarnaOperationKind.Release && operation.Status == KlarnaOperationStatus.Succeeded))
            {
                var inserted = await InsertExternalAsync(record, KlarnaOperationKind.Release, "release", previousRemaining, currency,
                    null, null, null, null, null, now, now);
                if (inserted is not null)
                {
                    result.Operations.Add(inserted);
                    result.Notes.Add($"Klarna: the remaining authorization of {FormatAmount(previousRemaining, currency)} was released in the Klarna Merchant Portal.");
                }
            }
        }

        if (statusChanged && newStatus == KlarnaOrderStatus.Expired)
            result.Notes.Add($"Klarna: the authorization expired{(newExpiresAt.HasValue ? string.Create(CultureInfo.InvariantCulture, $" on {newExpiresAt.Value:yyyy-MM-dd HH:mm} UTC") : string.Empty)}; nothing more can be captured.");

        if (!string.IsNullOrEmpty(klarnaOrder.FraudStatus) && !string.IsNullOrEmpty(previousFraudStatus) && !SameText(previousFraudStatus, klarnaOrder.FraudStatus))
            result.Notes.Add($"Klarna: fraud status changed from {previousFraudStatus} to {klarnaOrder.FraudStatus.ToUpperInvariant()}.");

        if (previousExpiresAt.HasValue && newExpiresAt.HasValue && newExpiresAt.Value > previousExpiresAt.Value.AddMinutes(1)
            && IsStatus(newStatus, KlarnaOrderStatus.Authorized, KlarnaOrderStatus.PartCaptured))
        {
            var pendingExtend = operations.FirstOrDefault(operation => operation.Kind == KlarnaOperationKind.ExtendAuthorization && operation.Status == KlarnaOperationStatus.Pending);
            var extendedByPlugin = operations.Any(operation => operation.Kind == KlarnaOperationKind.ExtendAuthorization
                && operation.Status == KlarnaOperationStatus.Succeeded
                && operation.UpdatedOnUtc >= (record.LastSyncedOnUtc ?? DateTime.MinValue));
            var expiresText = string.Create(CultureInfo.InvariantCulture, $"{newExpiresAt.Value:yyyy-MM-dd HH:mm} UTC");
            if (pendingExtend is not null)
            {
                await SettleAsync(pendingExtend, null, null, now);
                result.Operations.Add(pendingExtend);
                result.Notes.Add($"Klarna: the pending extension of the authorization was confirmed by Klarna; it now expires on {expiresText}.");
            }
            else if (!extendedByPlugin)
                result.Notes.Add($"Klarna: the authorization was extended; it now expires on {expiresText}.");
        }

        //5. the record follows Klarna
        var recordChanged = statusChanged
            || !SameText(record.FraudStatus, klarnaOrder.FraudStatus ?? record.FraudStatus)
            || record.OrderAmountMinor != klarnaOrder.OrderAmount
            || record.CapturedAmountMinor != klarnaOrder.CapturedAmount
            || record.RefundedAmountMinor != klarnaOrder.RefundedAmount
            || record.RemainingAuthorizedAmountMinor != klarnaOrder.RemainingAuthorizedAmount
            || record.ExpiresAtUtc != (newExpiresAt ?? record.ExpiresAtUtc);

        if (!string.IsNullOrEmpty(newStatus))
            record.KlarnaStatus = newStatus;
        if (!string.IsNullOrEmpty(klarnaOrder.FraudStatus))
            record.FraudStatus = klarnaOrder.FraudStatus.ToUpperInvariant();
        record.OrderAmountMinor = klarnaOrder.OrderAmount;
        record.CapturedAmountMinor = klarnaOrder.CapturedAmount;
        record.RefundedAmountMinor = klarnaOrder.RefundedAmount;
        record.RemainingAuthorizedAmountMinor = klarnaOrder.RemainingAuthorizedAmount;
        if (newExpiresAt.HasValue)
            record.ExpiresAtUtc = newExpiresAt;
        if (string.IsNullOrEmpty(record.KlarnaReference) && !string.IsNullOrEmpty(klarnaOrder.KlarnaReference))
            record.KlarnaReference = klarnaOrder.KlarnaReference;
        if (string.IsNullOrEmpty(record.InitialPaymentMethod) && klarnaOrder.InitialPaymentMethod is not null)
            record.InitialPaymentMethod = klarnaOrder.InitialPaymentMethod.Description ?? klarnaOrder.InitialPaymentMethod.Type;
        if (string.IsNullOrEmpty(record.CurrencyCode))
            record.CurrencyCode = currency;
        record.SyncRequested = false;
        record.LastSyncedOnUtc = now;
        if (recordChanged)
            record.UpdatedOnUtc = now;
        await _recordService.UpdateAsync(record);
        result.RecordChanged = recordChanged;

        //6. nopCommerce's payment status and refunded amount follow the money
        //status ids: the persisted columns (nopCommerce's enum properties are views of them)
        var previousPaymentStatus = (PaymentStatus)order.PaymentStatusId;
        var paymentStatus = GetPaymentStatus(record.KlarnaStatus, record.FraudStatus, record.CapturedAmountMinor,
            record.RefundedAmountMinor, record.RemainingAuthorizedAmountMinor);
        var refundedAmount = GetRefundedAmount(order, record.RefundedAmountMinor, record.OrderAmountMinor, currency);
        if (paymentStatus != previousPaymentStatus || refundedAmount != order.RefundedAmount)
        {
            order.PaymentStatusId = (int)paymentStatus;
            order.RefundedAmount = refundedAmount;
            if (paymentStatus == PaymentStatus.Paid && !order.PaidDateUtc.HasValue)
                order.PaidDateUtc = now;
            await _orderService.UpdateOrderAsync(order);
            result.OrderChanged = true;
        }

        //7. one note per change; a status or payment status change that comes with one is told in that same note
        var consequences = new List<string>();
        if (statusChanged && !string.IsNullOrEmpty(previousStatus))
            consequences.Add($"Klarna order status: {previousStatus} → {newStatus}.");
        if (paymentStatus != previousPaymentStatus)
            consequences.Add($"Payment status: {previousPaymentStatus} → {paymentStatus}.");

        if (result.Notes.Count == 0 && consequences.Count > 0)
        {
            result.Notes.Add(statusChanged
                ? $"Klarna: order status changed to {newStatus}."
                : $"Klarna: payment status set to match Klarna (captured {FormatAmount(record.CapturedAmountMinor, currency)}, refunded {FormatAmount(record.RefundedAmountMinor, currency)}).");
        }
        if (result.Notes.Count > 0 && consequences.Count > 0)
            result.Notes[^1] = $"{result.Notes[^1]} {string.Join(" ", consequences)}";

        foreach (var note in result.Notes)
        {
            await _orderService.InsertOrderNoteAsync(new OrderNote
            {
                OrderId = order.Id,
                Note = note,
                DisplayToCustomer = false,
                CreatedOnUtc = now
            });
        }

        //8. the mapped order status, for each Klarna status change (each event is applied at most once per order by the status service)
        settings ??= await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);
        if (settings.EnableAutomaticOrderStatusChange)
        {
            if (statusChanged && MapStatusEvent(newStatus, record.FraudStatus, record.CapturedAmountMinor) is KlarnaStatusEvent statusEvent)
                result.StatusEvents.Add(statusEvent);

            if (!statusChanged && !SameText(previousFraudStatus, record.FraudStatus) && !string.IsNullOrEmpty(previousFraudStatus)
                && MapStatusEvent(newStatus, record.FraudStatus, record.CapturedAmountMinor) is KlarnaStatusEvent fraudEvent)
            {
                result.StatusEvents.Add(fraudEvent);
            }

            if (record.RefundedAmountMinor != previousRefunded && record.RefundedAmountMinor > 0)
                result.StatusEvents.Add(record.RefundedAmountMinor >= record.CapturedAmountMinor ? KlarnaStatusEvent.Refunded : KlarnaStatusEvent.PartiallyRefunded);

            foreach (var mappedEvent in result.StatusEvents.Distinct().ToList())
                await _orderStatusService.ApplyEventAsync(order, mappedEvent);
        }

        return result;
    }

    #endregion
}
