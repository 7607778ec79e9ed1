using Nop.Core.Domain.Orders;
using Nop.Core.Events;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// A status the plugin's status mapping set: an <see cref="OrderStatusChangedEvent"/> that says which Klarna status event
/// caused it, so that capture upon fulfillment can tell it from a status an admin set (see
/// <see cref="KlarnaOrderPolicy.MappedStatusTriggersCapture"/>). It is published only after the order lock is released
/// </summary>
public class KlarnaOrderStatusMappedEvent : OrderStatusChangedEvent
{
    public KlarnaOrderStatusMappedEvent(Order order, OrderStatus previousOrderStatus, KlarnaStatusEvent statusEvent)
        : base(order, previousOrderStatus)
    {
        StatusEvent = statusEvent;
    }

    /// <summary>
    /// Gets the Klarna status event whose mapping set the status
    /// </summary>
    public KlarnaStatusEvent StatusEvent { get; }
}

/// <summary>
/// A claimed order status change of the status mapping
/// </summary>
/// <param name="StatusEvent">Klarna status event</param>
/// <param name="PreviousStatus">Status before</param>
/// <param name="NewStatus">Mapped status</param>
public sealed record KlarnaStatusChange(KlarnaStatusEvent StatusEvent, OrderStatus PreviousStatus, OrderStatus NewStatus);

/// <summary>
/// Applies the settings' status mapping: each Klarna status event at most once per order (recorded in
/// <see cref="KlarnaOrderRecord.AppliedStatusEvents"/> before the status changes), so a status an admin set by hand
/// afterwards is kept
/// </summary>
public class KlarnaOrderStatusService : IKlarnaOrderStatusService
{
    #region Fields

    protected readonly IEventPublisher _eventPublisher;
    protected readonly KlarnaOrderNotes _notes;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly IOrderService _orderService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public KlarnaOrderStatusService(IEventPublisher eventPublisher,
        KlarnaOrderNotes notes,
        IKlarnaOrderRecordService recordService,
        IOrderService orderService,
        ISettingService settingService)
    {
        _eventPublisher = eventPublisher;
        _notes = notes;
        _recordService = recordService;
        _orderService = orderService;
        _settingService = settingService;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets the configured order status identifier of an event (0 = leave unchanged). A fraud rejection maps like a
    /// cancellation (the plugin cancels the authorization)
    /// </summary>
    public static int GetMappedStatusId(KlarnaSettings settings, KlarnaStatusEvent statusEvent) => statusEvent switch
    {
        KlarnaStatusEvent.Authorized => settings.OrderStatusAfterAuthorizeId,
        KlarnaStatusEvent.FraudPending => settings.OrderStatusFraudPendingId,
        KlarnaStatusEvent.PartiallyCaptured => settings.OrderStatusAfterPartialCaptureId,
        KlarnaStatusEvent.Captured => settings.OrderStatusAfterCaptureId,
        KlarnaStatusEvent.Cancelled or KlarnaStatusEvent.FraudRejected => settings.OrderStatusAfterCancelId,
        KlarnaStatusEvent.PartiallyRefunded => settings.OrderStatusAfterPartialRefundId,
        KlarnaStatusEvent.Refunded => settings.OrderStatusAfterRefundId,
        KlarnaStatusEvent.Expired => settings.OrderStatusAfterExpiryId,
        KlarnaStatusEvent.FraudStopped => settings.OrderStatusFraudStoppedId,
        _ => 0
    };

    /// <summary>
    /// Gets a value indicating whether an event is one of the initial ones (applied even without automatic status changes)
    /// </summary>
    public static bool IsInitialEvent(KlarnaStatusEvent statusEvent) =>
        statusEvent is KlarnaStatusEvent.Authorized or KlarnaStatusEvent.FraudPending;

    /// <summary>
    /// Parses the applied events of a record
    /// </summary>
    public static ISet<KlarnaStatusEvent> GetAppliedEvents(KlarnaOrderRecord record)
    {
        var result = new HashSet<KlarnaStatusEvent>();
        foreach (var name in (record?.AppliedStatusEvents ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<KlarnaStatusEvent>(name, out var value))
                result.Add(value);
        }

        return result;
    }

    /// <summary>
    /// Claims events on the record, oldest first (the caller saves the record before the status changes). An event applied
    /// before is skipped, and so is every event but the initial ones while automatic status changes are off; the last
    /// claimed event that maps to a status sets it. Null when no status changes (also when the order has it already)
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="record">Record (changed, not saved)</param>
    /// <param name="settings">Settings of the order's store</param>
    /// <param name="statusEvents">Events the order went through, oldest first</param>
    /// <returns>The change to make, or null</returns>
    public static KlarnaStatusChange Claim(Order order, KlarnaOrderRecord record, KlarnaSettings settings, IEnumerable<KlarnaStatusEvent> statusEvents)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(settings);

        var applied = GetAppliedEvents(record);
        KlarnaStatusEvent? setBy = null;
        var statusId = 0;
        var claimed = false;
        foreach (var statusEvent in statusEvents ?? Array.Empty<KlarnaStatusEvent>())
        {
            if (applied.Contains(statusEvent) || (!settings.EnableAutomaticOrderStatusChange && !IsInitialEvent(statusEvent)))
                continue;

            applied.Add(statusEvent);
            claimed = true;
            var mapped = GetMappedStatusId(settings, statusEvent);
            if (mapped != 0 && Enum.IsDefined(typeof(OrderStatus), mapped))
                (setBy, statusId) = (statusEvent, mapped);
        }

        if (claimed)
            record.AppliedStatusEvents = string.Join(",", applied.OrderBy(value => (int)value).Select(value => value.ToString()));
        if (setBy is null || order.OrderStatusId == statusId)
            return null;

        return new KlarnaStatusChange(setBy.Value, (OrderStatus)order.OrderStatusId, (OrderStatus)statusId);
    }

    /// <summary>
    /// Claims one event on the record (see the overload for a path of events)
    /// </summary>
    public static KlarnaStatusChange Claim(Order order, KlarnaOrderRecord record, KlarnaSettings settings, KlarnaStatusEvent statusEvent) =>
        Claim(order, record, settings, new[] { statusEvent });

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderStatusMappedEvent> SetStatusAsync(Order order, KlarnaStatusChange change)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (change is null)
            return null;

        //what admin "Change status" does: save the status, then (once no lock is held) publish OrderStatusChangedEvent
        order.OrderStatusId = (int)change.NewStatus;
        await _orderService.UpdateOrderAsync(order);
        await _notes.AddAsync(order.Id, KlarnaNoteCode.OrderStatusMapped, change.PreviousStatus, change.NewStatus, change.StatusEvent);

        return new KlarnaOrderStatusMappedEvent(order, change.PreviousStatus, change.StatusEvent);
    }

    /// <inheritdoc />
    public virtual async Task ApplyEventAsync(Order order, KlarnaStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(order);

        var record = await _recordService.GetByOrderIdAsync(order.Id);
        if (record is null)
            return;

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);
        var before = record.AppliedStatusEvents;
        var change = Claim(order, record, settings, statusEvent);
        if (record.AppliedStatusEvents != before)
            await _recordService.UpdateAsync(record);

        var mapped = await SetStatusAsync(order, change);
        if (mapped is not null)
            await _eventPublisher.PublishAsync<OrderStatusChangedEvent>(mapped);
    }

    #endregion
}
