using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Events;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Brings the record and the nopCommerce order in step with Klarna's order through the policy: the record follows Klarna,
/// the payment status and the refunded amount follow the money, the mapped order status applies once per event, and
/// Klarna-side changes (status, fraud decision, expiry) leave one note each. nopCommerce's events are queued for after
/// the lock
/// </summary>
public class KlarnaOrderStateWriter
{
    #region Fields

    protected readonly IEventPublisher _eventPublisher;
    protected readonly KlarnaOrderNotes _notes;
    protected readonly IOrderService _orderService;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly IKlarnaOrderStatusService _statusService;
    protected readonly TimeProvider _timeProvider;

    #endregion

    #region Ctor

    public KlarnaOrderStateWriter(IEventPublisher eventPublisher,
        KlarnaOrderNotes notes,
        IOrderService orderService,
        IKlarnaOrderRecordService recordService,
        IKlarnaOrderStatusService statusService,
        TimeProvider timeProvider)
    {
        _eventPublisher = eventPublisher;
        _notes = notes;
        _orderService = orderService;
        _recordService = recordService;
        _statusService = statusService;
        _timeProvider = timeProvider;
    }

    #endregion

    #region Utilities

    private static bool Same(string first, string second) => string.Equals(first ?? string.Empty, second ?? string.Empty, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the note parts of what changed at Klarna: a fraud decision, an extension, an expiry, and a status change that no
    /// operation of this execution explains (a change that comes with an operation is told by that operation's note)
    /// </summary>
    protected virtual List<(KlarnaNoteCode Code, object[] Args)> KlarnaChanges(KlarnaOrderSession session, KlarnaOrderDecision decision, bool explained)
    {
        var record = session.Record;
        var parts = new List<(KlarnaNoteCode Code, object[] Args)>();

        if (!string.IsNullOrEmpty(record.FraudStatus) && !string.IsNullOrEmpty(decision.FraudStatus) && !Same(record.FraudStatus, decision.FraudStatus))
        {
            var code = decision.FraudHold switch
            {
                KlarnaFraudHold.Stopped => KlarnaNoteCode.FraudStopped,
                KlarnaFraudHold.Rejected => KlarnaNoteCode.FraudRejected,
                _ => KlarnaNoteCode.FraudStatusChanged
            };
            parts.Add((code, new object[] { record.FraudStatus, decision.FraudStatus }));
        }

        var expiresAt = session.KlarnaOrder.ExpiresAt?.UtcDateTime;
        var later = record.ExpiresAtUtc is { } before ? expiresAt > before.AddMinutes(1) : session.ExtendedHere && expiresAt is not null;
        if (later && decision.KlarnaStatus is KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured)
            parts.Add((KlarnaNoteCode.Extended, new object[] { expiresAt }));

        if (string.IsNullOrEmpty(record.KlarnaStatus) || string.IsNullOrEmpty(decision.KlarnaStatus) || Same(record.KlarnaStatus, decision.KlarnaStatus))
            return parts;

        var expired = decision.KlarnaStatus == KlarnaOrderStatus.Expired
            || (decision.KlarnaStatus == KlarnaOrderStatus.Closed && expiresAt <= _timeProvider.GetUtcNow().UtcDateTime);
        if (expired)
            parts.Add((KlarnaNoteCode.AuthorizationExpired, new object[] { expiresAt }));
        else if (!explained)
            parts.Add((KlarnaNoteCode.KlarnaStatusChanged, new object[] { record.KlarnaStatus, decision.KlarnaStatus }));
        return parts;
    }

    /// <summary>
    /// Gets what the record keeps of Klarna's order and of the status mapping (the synchronization time aside)
    /// </summary>
    protected static string Stored(KlarnaOrderRecord record) => string.Join("|", record.KlarnaStatus, record.FraudStatus, record.OrderAmountMinor,
        record.CapturedAmountMinor, record.RefundedAmountMinor, record.RemainingAuthorizedAmountMinor, record.ExpiresAtUtc?.Ticks, record.KlarnaReference,
        record.CurrencyCode, record.InitialPaymentMethod, record.AppliedStatusEvents, record.SyncRequested);

    /// <summary>
    /// Copies Klarna's state of the order into the record
    /// </summary>
    protected virtual bool SyncRecord(KlarnaOrderRecord record, KlarnaOrder order, KlarnaOrderDecision decision, DateTime nowUtc)
    {
        var changed = !Same(record.KlarnaStatus, decision.KlarnaStatus) || !Same(record.FraudStatus, decision.FraudStatus ?? record.FraudStatus)
            || record.OrderAmountMinor != order.OrderAmount || record.CapturedAmountMinor != order.CapturedAmount
            || record.RefundedAmountMinor != order.RefundedAmount || record.RemainingAuthorizedAmountMinor != order.RemainingAuthorizedAmount
            || record.ExpiresAtUtc != (order.ExpiresAt?.UtcDateTime ?? record.ExpiresAtUtc);

        record.KlarnaStatus = decision.KlarnaStatus ?? record.KlarnaStatus;
        record.FraudStatus = decision.FraudStatus ?? record.FraudStatus;
        record.OrderAmountMinor = order.OrderAmount;
        record.CapturedAmountMinor = order.CapturedAmount;
        record.RefundedAmountMinor = order.RefundedAmount;
        record.RemainingAuthorizedAmountMinor = order.RemainingAuthorizedAmount;
        record.ExpiresAtUtc = order.ExpiresAt?.UtcDateTime ?? record.ExpiresAtUtc;
        record.KlarnaReference = order.KlarnaReference ?? record.KlarnaReference;
        if (!string.IsNullOrEmpty(decision.CurrencyCode))
            record.CurrencyCode = decision.CurrencyCode;
        record.InitialPaymentMethod = order.InitialPaymentMethod?.Description ?? order.InitialPaymentMethod?.Type ?? record.InitialPaymentMethod;
        record.SyncRequested = decision.Pending.Count > 0;
        record.LastSyncedOnUtc = nowUtc;
        return changed;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Applies Klarna's order (as read, with the execution's writes) to the record and the nopCommerce order
    /// </summary>
    /// <param name="session">Session, under the lock</param>
    /// <param name="decision">The policy's decision on the session's Klarna order and operations</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public virtual async Task ApplyAsync(KlarnaOrderSession session, KlarnaOrderDecision decision)
    {
        var order = session.Order;
        var record = session.Record;
        var now = _timeProvider.GetUtcNow().UtcDateTime;

        var explained = session.Changed;
        var notes = KlarnaChanges(session, decision, explained);
        var stored = Stored(record);
        session.Changed |= SyncRecord(record, session.KlarnaOrder, decision, now) || notes.Count > 0;

        //the mapped status is claimed on the record and saved with it, before the order changes; a record Klarna did not
        //change is not written (a refused request changes nothing)
        var change = KlarnaOrderStatusService.Claim(order, record, session.Settings, decision.StatusEvents);
        if (Stored(record) != stored)
            await _recordService.UpdateAsync(record);

        //nopCommerce's own buttons: nopCommerce sets the payment status from the result, adds the refunded amount itself and
        //publishes OrderPaidEvent; everything else: the plugin
        var previousPaymentStatus = (PaymentStatus)order.PaymentStatusId;
        var orderChanged = false;
        if (previousPaymentStatus != decision.PaymentStatus)
        {
            order.PaymentStatusId = (int)decision.PaymentStatus;
            if (decision.PaymentStatus == PaymentStatus.Paid)
                order.PaidDateUtc ??= now;
            orderChanged = true;
        }

        if (session.Initiator != KlarnaInitiator.NopButton)
        {
            var refunded = KlarnaOrderAmounts.RefundedAmountOf(order, decision.RefundedAmountMinor, decision.OrderAmountMinor, record.CurrencyCode);
            if (order.RefundedAmount != refunded)
            {
                order.RefundedAmount = refunded;
                orderChanged = true;
            }
        }

        if (orderChanged)
        {
            await _orderService.UpdateOrderAsync(order);
            session.Changed = true;
        }

        //one note per change at Klarna, with the payment status that follows it (an operation's own note tells its consequences)
        if (!explained && previousPaymentStatus != decision.PaymentStatus)
            notes.Add(notes.Count > 0 ? (KlarnaNoteCode.PaymentStatusFollows, new object[] { previousPaymentStatus, decision.PaymentStatus })
                : (KlarnaNoteCode.PaymentStatusChanged, new object[] { previousPaymentStatus, decision.PaymentStatus }));
        await _notes.AddAsync(order.Id, notes);

        if (orderChanged && decision.PaymentStatus == PaymentStatus.Paid && previousPaymentStatus != PaymentStatus.Paid && session.Initiator != KlarnaInitiator.NopButton)
            session.AfterRelease.Add(() => _eventPublisher.PublishAsync(new OrderPaidEvent(order)));

        var mapped = await _statusService.SetStatusAsync(order, change);
        if (mapped is not null)
        {
            session.Changed = true;
            session.AfterRelease.Add(() => _eventPublisher.PublishAsync<OrderStatusChangedEvent>(mapped));
        }
    }

    #endregion
}
