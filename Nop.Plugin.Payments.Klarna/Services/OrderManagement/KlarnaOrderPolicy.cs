using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The one place that decides what a Klarna order means for nopCommerce. Pure: no I/O, no clock of its own.
/// From Klarna's order and the plugin's operation records it decides the payment status, the status event of the order
/// status mapping, which operations are allowed and up to which amounts (per line: <see cref="KlarnaLinePolicy"/>), and
/// whether the plugin must cancel a fraud-rejected order. What pending operations and Klarna-side changes mean is decided
/// by <see cref="KlarnaSettlementPolicy"/>.
/// </summary>
public static class KlarnaOrderPolicy
{
    #region Constants

    /// <summary>
    /// Gets how long after the purchase Klarna still extends an authorization
    /// </summary>
    public static TimeSpan MaxAuthorizationAge => TimeSpan.FromDays(180);

    #endregion

    #region Utilities

    private static string Upper(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant();

    private static bool IsOpen(string status) => status is KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured;

    private static KlarnaFraudHold HoldOf(string fraudStatus) => fraudStatus switch
    {
        KlarnaFraudStatus.Pending => KlarnaFraudHold.Pending,
        KlarnaFraudStatus.Rejected => KlarnaFraudHold.Rejected,
        KlarnaFraudStatus.Stopped => KlarnaFraudHold.Stopped,
        _ => KlarnaFraudHold.None
    };

    private static KlarnaOperation PendingOf(IEnumerable<KlarnaOperation> operations, KlarnaOperationFamily family) =>
        operations.FirstOrDefault(op => op.Status == KlarnaOperationStatus.Pending && KlarnaOperationFamilies.Of(op.Kind) == family);

    private static KlarnaAllowance PendingRefusal(KlarnaOperation pending) =>
        KlarnaAllowance.Refuse(KlarnaRefusalCode.OperationPending, pending.Kind, new KlarnaMoney(pending.AmountMinor, pending.CurrencyCode), pending.CreatedOnUtc);

    private static KlarnaAllowance CaptureAllowance(string status, KlarnaFraudHold hold, long remaining, long captured, DateTimeOffset? expiresAt,
        DateTime nowUtc, KlarnaOperation pending)
    {
        if (status == KlarnaOrderStatus.Captured || (IsOpen(status) && remaining <= 0))
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingToCapture);
        if (!IsOpen(status))
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.CaptureNotAllowed, status ?? "-");
        if (pending is not null)
            return PendingRefusal(pending);

        switch (hold)
        {
            case KlarnaFraudHold.Pending:
                return KlarnaAllowance.Refuse(KlarnaRefusalCode.FraudPending);
            case KlarnaFraudHold.Rejected:
                return KlarnaAllowance.Refuse(KlarnaRefusalCode.FraudRejected);
            case KlarnaFraudHold.Stopped:
                return KlarnaAllowance.Refuse(KlarnaRefusalCode.FraudStopped);
        }

        if (expiresAt is { } expires && expires.UtcDateTime <= nowUtc)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.AuthorizationExpired, expires.UtcDateTime);

        return KlarnaAllowance.Allow(remaining);
    }

    private static KlarnaAllowance RefundAllowance(string status, long captured, long refundable, KlarnaOperation pending)
    {
        if (status == KlarnaOrderStatus.Cancelled)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.RefundNotAllowed, status);
        if (captured <= 0)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingCaptured);
        if (refundable <= 0)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingToRefund);
        if (pending is not null)
            return PendingRefusal(pending);

        return KlarnaAllowance.Allow(refundable);
    }

    private static KlarnaAllowance CancelAllowance(string status, bool hasCaptures, long orderAmount, KlarnaOperation pending)
    {
        if (status == KlarnaOrderStatus.Cancelled)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.AlreadyCancelled);
        if (hasCaptures)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.CancelNotAllowedAfterCapture);
        if (status != KlarnaOrderStatus.Authorized)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.CancelNotAllowed, status ?? "-");
        if (pending is not null)
            return PendingRefusal(pending);

        return KlarnaAllowance.Allow(orderAmount);
    }

    private static KlarnaAllowance ReleaseAllowance(string status, bool hasCaptures, long remaining, KlarnaOperation pending)
    {
        if (!hasCaptures)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.ReleaseWithoutCapture);
        if (status != KlarnaOrderStatus.PartCaptured || remaining <= 0)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingToRelease);
        if (pending is not null)
            return PendingRefusal(pending);

        return KlarnaAllowance.Allow(remaining);
    }

    private static KlarnaAllowance ExtendAllowance(string status, DateTimeOffset? expiresAt, DateTimeOffset? createdAt, DateTime nowUtc, KlarnaOperation pending)
    {
        if (!IsOpen(status))
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.ExtendNotAllowed, status ?? "-");
        if (expiresAt is { } expires && expires.UtcDateTime <= nowUtc)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.AuthorizationExpired, expires.UtcDateTime);
        if (createdAt is { } created && created.UtcDateTime + MaxAuthorizationAge <= nowUtc)
            return KlarnaAllowance.Refuse(KlarnaRefusalCode.ExtendTooLate, created.UtcDateTime + MaxAuthorizationAge);
        if (pending is not null)
            return PendingRefusal(pending);

        return KlarnaAllowance.Allow(0);
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets nopCommerce's payment status that follows Klarna's money: refunded (everything captured refunded and nothing
    /// more to capture) or partially refunded; paid once nothing more can be captured; authorized while something can still
    /// be captured; voided when the authorization ended without a capture; pending while the fraud review is
    /// </summary>
    public static PaymentStatus PaymentStatusOf(string status, string fraudStatus, long captured, long refunded, long remaining)
    {
        status = Upper(status);
        var stillCapturable = IsOpen(status) && remaining > 0;
        if (refunded > 0)
            return refunded >= captured && !stillCapturable ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
        if (captured > 0)
            return stillCapturable ? PaymentStatus.Authorized : PaymentStatus.Paid;
        if (status is KlarnaOrderStatus.Cancelled or KlarnaOrderStatus.Expired or KlarnaOrderStatus.Closed)
            return PaymentStatus.Voided;

        return HoldOf(Upper(fraudStatus)) == KlarnaFraudHold.Pending ? PaymentStatus.Pending : PaymentStatus.Authorized;
    }

    /// <summary>
    /// Gets the event of the order status mapping that describes the order. While the authorization is open, a rejected
    /// or stopped fraud decision comes first (do not ship); after that the money decides
    /// </summary>
    public static KlarnaStatusEvent? EventFor(string status, string fraudStatus, long captured, long refunded)
    {
        status = Upper(status);
        var hold = HoldOf(Upper(fraudStatus));
        if (IsOpen(status) && hold == KlarnaFraudHold.Rejected)
            return KlarnaStatusEvent.FraudRejected;
        if (IsOpen(status) && hold == KlarnaFraudHold.Stopped)
            return KlarnaStatusEvent.FraudStopped;

        KlarnaStatusEvent money() => refunded <= 0 ? KlarnaStatusEvent.Captured
            : refunded >= captured ? KlarnaStatusEvent.Refunded
            : KlarnaStatusEvent.PartiallyRefunded;

        return status switch
        {
            KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured when captured > 0 => refunded > 0 ? KlarnaStatusEvent.PartiallyRefunded : KlarnaStatusEvent.PartiallyCaptured,
            KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured => hold == KlarnaFraudHold.Pending ? KlarnaStatusEvent.FraudPending : KlarnaStatusEvent.Authorized,
            KlarnaOrderStatus.Captured => money(),
            KlarnaOrderStatus.Cancelled => KlarnaStatusEvent.Cancelled,
            KlarnaOrderStatus.Expired or KlarnaOrderStatus.Closed => captured > 0 ? money() : KlarnaStatusEvent.Expired,
            _ => null
        };
    }

    /// <summary>
    /// Gets the events of the order status mapping the order went through, oldest first, ending with <see cref="EventFor"/>:
    /// a refund of an order whose authorization is captured in full follows its capture (so capturing the rest after a
    /// partial refund still applies the "after capture" status once)
    /// </summary>
    public static IReadOnlyList<KlarnaStatusEvent> EventsFor(string status, string fraudStatus, long captured, long refunded)
    {
        if (EventFor(status, fraudStatus, captured, refunded) is not { } last)
            return Array.Empty<KlarnaStatusEvent>();

        return last is KlarnaStatusEvent.PartiallyRefunded or KlarnaStatusEvent.Refunded && !IsOpen(Upper(status))
            ? new[] { KlarnaStatusEvent.Captured, last }
            : new[] { last };
    }

    /// <summary>
    /// Gets a value indicating whether a status the plugin's mapping set for an event starts capture upon fulfillment
    /// (mode "on order status"): only the events of an order that is ready to ship (authorized, also after a fraud review),
    /// never a status set because of a capture, a refund, a cancellation, an expiry or a fraud hold
    /// </summary>
    public static bool MappedStatusTriggersCapture(KlarnaStatusEvent statusEvent) => statusEvent == KlarnaStatusEvent.Authorized;

    /// <summary>
    /// Decides everything about a Klarna order
    /// </summary>
    /// <param name="order">Klarna's order, as read (with the plugin's own writes of this request applied)</param>
    /// <param name="operations">The plugin's operations of the order</param>
    /// <param name="nowUtc">Now</param>
    /// <param name="expiryWarningDays">Days before the expiry from which the block warns</param>
    /// <returns>The decision</returns>
    public static KlarnaOrderDecision Decide(KlarnaOrder order, IReadOnlyCollection<KlarnaOperation> operations, DateTime nowUtc, int expiryWarningDays = 0)
    {
        ArgumentNullException.ThrowIfNull(order);
        operations ??= Array.Empty<KlarnaOperation>();

        var status = Upper(order.Status);
        var fraudStatus = Upper(order.FraudStatus);
        var hold = HoldOf(fraudStatus);
        var captured = order.CapturedAmount;
        var refunded = order.RefundedAmount;
        var remaining = IsOpen(status) ? Math.Max(0, order.RemainingAuthorizedAmount) : 0;
        var refundable = Math.Max(0, captured - refunded);
        var hasCaptures = captured > 0 || order.Captures?.Count > 0;
        var authorizationPending = PendingOf(operations, KlarnaOperationFamily.Authorization);

        var capture = CaptureAllowance(status, hold, remaining, captured, order.ExpiresAt, nowUtc, authorizationPending);
        var refund = RefundAllowance(status, captured, refundable, PendingOf(operations, KlarnaOperationFamily.Refund));
        var extend = ExtendAllowance(status, order.ExpiresAt, order.CreatedAt, nowUtc, PendingOf(operations, KlarnaOperationFamily.Extension));

        return new KlarnaOrderDecision
        {
            CurrencyCode = Upper(order.PurchaseCurrency),
            KlarnaStatus = status,
            FraudStatus = fraudStatus,
            FraudHold = hold,
            PaymentStatus = PaymentStatusOf(status, fraudStatus, captured, refunded, remaining),
            StatusEvents = EventsFor(status, fraudStatus, captured, refunded),
            OrderAmountMinor = order.OrderAmount,
            CapturedAmountMinor = captured,
            RefundedAmountMinor = refunded,
            RemainingAuthorizedAmountMinor = remaining,
            RefundableAmountMinor = refundable,
            Capture = capture,
            Refund = refund,
            Cancel = CancelAllowance(status, hasCaptures, order.OrderAmount, authorizationPending),
            Release = ReleaseAllowance(status, hasCaptures, remaining, authorizationPending),
            Extend = extend,
            Lines = KlarnaLinePolicy.Allowances(order, capture, refund),
            ExpiresSoon = remaining > 0 && order.ExpiresAt is { } expires && expires.UtcDateTime > nowUtc
                && expires.UtcDateTime <= nowUtc.AddDays(Math.Max(0, expiryWarningDays)),
            FraudCancelDue = hold == KlarnaFraudHold.Rejected && status == KlarnaOrderStatus.Authorized && !hasCaptures && authorizationPending is null,
            Pending = operations.Where(op => op.Status == KlarnaOperationStatus.Pending).ToList(),
            NeedsAttention = operations.Where(op => op.Status == KlarnaOperationStatus.NeedsAttention).ToList()
        };
    }

    #endregion
}
