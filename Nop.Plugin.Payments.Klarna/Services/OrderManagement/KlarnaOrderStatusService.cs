using Nop.Core.Domain.Orders;
using Nop.Core.Events;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Applies the settings' status mapping: each Klarna status event at most once per order (recorded in
/// <see cref="KlarnaOrderRecord.AppliedStatusEvents"/>), so a status an admin set by hand afterwards is kept
/// </summary>
public class KlarnaOrderStatusService : IKlarnaOrderStatusService
{
    #region Fields

    //orders whose status this flow is changing right now: the OrderStatusChangedEvent we publish must not bring us back here
    private static readonly AsyncLocal<HashSet<int>> _applying = new();

    protected readonly IEventPublisher _eventPublisher;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly IOrderService _orderService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public KlarnaOrderStatusService(IEventPublisher eventPublisher,
        IKlarnaOrderRecordService recordService,
        IOrderService orderService,
        ISettingService settingService)
    {
        _eventPublisher = eventPublisher;
        _recordService = recordService;
        _orderService = orderService;
        _settingService = settingService;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets the configured order status identifier of an event (0 = leave unchanged)
    /// </summary>
    /// <param name="settings">Settings</param>
    /// <param name="statusEvent">Event</param>
    /// <returns>Order status identifier</returns>
    public static int GetMappedStatusId(KlarnaSettings settings, KlarnaStatusEvent statusEvent) => statusEvent switch
    {
        KlarnaStatusEvent.Authorized => settings.OrderStatusAfterAuthorizeId,
        KlarnaStatusEvent.FraudPending => settings.OrderStatusFraudPendingId,
        KlarnaStatusEvent.PartiallyCaptured => settings.OrderStatusAfterPartialCaptureId,
        KlarnaStatusEvent.Captured => settings.OrderStatusAfterCaptureId,
        KlarnaStatusEvent.Cancelled => settings.OrderStatusAfterCancelId,
        KlarnaStatusEvent.PartiallyRefunded => settings.OrderStatusAfterPartialRefundId,
        KlarnaStatusEvent.Refunded => settings.OrderStatusAfterRefundId,
        KlarnaStatusEvent.Expired => settings.OrderStatusAfterExpiryId,
        _ => 0
    };

    /// <summary>
    /// Gets a value indicating whether an event is one of the initial ones (applied even without automatic status changes)
    /// </summary>
    /// <param name="statusEvent">Event</param>
    /// <returns>True for Authorized and FraudPending</returns>
    public static bool IsInitialEvent(KlarnaStatusEvent statusEvent) =>
        statusEvent is KlarnaStatusEvent.Authorized or KlarnaStatusEvent.FraudPending;

    /// <summary>
    /// Parses the applied events of a record
    /// </summary>
    /// <param name="record">Record</param>
    /// <returns>Applied events</returns>
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
    /// Gets a value indicating whether this flow is changing the status of the order right now
    /// </summary>
    /// <param name="orderId">Order identifier</param>
    /// <returns>True while the status change (and its event) is in progress</returns>
    public static bool IsApplying(int orderId) => _applying.Value?.Contains(orderId) == true;

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task ApplyEventAsync(Order order, KlarnaStatusEvent statusEvent)
    {
        ArgumentNullException.ThrowIfNull(order);

        if (IsApplying(order.Id))
            return;

        var record = await _recordService.GetByOrderIdAsync(order.Id);
        if (record is null)
            return;

        var applied = GetAppliedEvents(record);
        if (applied.Contains(statusEvent))
            return;

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);
        if (!settings.EnableAutomaticOrderStatusChange && !IsInitialEvent(statusEvent))
            return;

        //recorded before the change: whatever happens next, the event is not applied a second time
        applied.Add(statusEvent);
        record.AppliedStatusEvents = string.Join(",", applied.OrderBy(value => (int)value).Select(value => value.ToString()));
        await _recordService.UpdateAsync(record);

        var statusId = GetMappedStatusId(settings, statusEvent);
        if (statusId == 0 || !Enum.IsDefined(typeof(OrderStatus), statusId) || order.OrderStatusId == statusId)
            return;

        var previousStatus = (OrderStatus)order.OrderStatusId;
        var set = _applying.Value ??= new HashSet<int>();
        set.Add(order.Id);
        try
        {
            //what admin "Change status" does: save the status, then publish OrderStatusChangedEvent
            order.OrderStatusId = statusId;
            await _orderService.UpdateOrderAsync(order);
            await _orderService.InsertOrderNoteAsync(new OrderNote
            {
                OrderId = order.Id,
                Note = $"Klarna: order status changed from {previousStatus} to {(OrderStatus)statusId} ({statusEvent}).",
                DisplayToCustomer = false,
                CreatedOnUtc = DateTime.UtcNow
            });
            await _eventPublisher.PublishAsync(new OrderStatusChangedEvent(order, previousStatus));
        }
        finally
        {
            set.Remove(order.Id);
        }
    }

    #endregion
}
