using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Services.Configuration;
using Nop.Services.Events;
using Nop.Services.Logging;
using Nop.Services.Orders;

namespace Nop.Plugin.Payments.Klarna.Infrastructure;

/// <summary>
/// The plugin's order and shipment events: recording a placed Klarna order, capture upon fulfillment and shipment
/// tracking. Short handlers that delegate; a failure of capture or tracking never breaks nopCommerce's own flow (the
/// service records it as an order note, a log entry and a failed operation)
/// </summary>
public class EventConsumer : IConsumer<OrderPlacedEvent>,
    IConsumer<OrderStatusChangedEvent>,
    IConsumer<ShipmentSentEvent>,
    IConsumer<ShipmentTrackingNumberSetEvent>
{
    #region Fields

    protected readonly IKlarnaCheckoutService _checkoutService;
    protected readonly IKlarnaOperationExecutor _executor;
    protected readonly ILogger _logger;
    protected readonly IOrderService _orderService;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public EventConsumer(IKlarnaCheckoutService checkoutService,
        IKlarnaOperationExecutor executor,
        ILogger logger,
        IOrderService orderService,
        ISettingService settingService)
    {
        _checkoutService = checkoutService;
        _executor = executor;
        _logger = logger;
        _orderService = orderService;
        _settingService = settingService;
    }

    #endregion

    #region Utilities

    private static bool IsKlarnaOrder(Order order) =>
        order is not null && !order.Deleted && string.Equals(order.PaymentMethodSystemName, KlarnaDefaults.SystemName, StringComparison.InvariantCultureIgnoreCase);

    private async Task SafelyAsync(string what, int orderId, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception exception)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: {what} failed for order {orderId}", exception);
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Records a Klarna order as soon as nopCommerce saved it, so the record exists even when the checkout does not reach
    /// PostProcessPayment
    /// </summary>
    /// <param name="eventMessage">Event message</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public async Task HandleEventAsync(OrderPlacedEvent eventMessage)
    {
        if (eventMessage?.Order is Order order && string.Equals(order.PaymentMethodSystemName, KlarnaDefaults.SystemName, StringComparison.OrdinalIgnoreCase))
            await _checkoutService.RecordPlacedOrderAsync(order);
    }

    /// <summary>
    /// Captures everything still uncaptured when the order reaches the configured status (mode OnOrderStatus). A status the
    /// plugin's own status mapping set (<see cref="KlarnaOrderStatusMappedEvent"/>, published after the order lock is
    /// released) captures only when the policy says its Klarna event means "ready to ship"; the capture is a command like
    /// any other: it takes the lock itself and the policy sees what is left, so it is never refused by the plugin's own lock
    /// and never a second capture
    /// </summary>
    /// <param name="eventMessage">Event</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public async Task HandleEventAsync(OrderStatusChangedEvent eventMessage)
    {
        var order = eventMessage?.Order;
        if (!IsKlarnaOrder(order) || order.OrderStatusId == (int)eventMessage.PreviousOrderStatus)
            return;

        if (eventMessage is KlarnaOrderStatusMappedEvent mapped && !KlarnaOrderPolicy.MappedStatusTriggersCapture(mapped.StatusEvent))
            return;

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);
        if (settings.CaptureUponFulfillmentMode != KlarnaCaptureUponFulfillmentMode.OnOrderStatus || order.OrderStatusId != settings.CaptureOnOrderStatusId)
            return;

        await SafelyAsync("capture upon fulfillment", order.Id, () => _executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            Order = order,
            Initiator = KlarnaInitiator.CaptureUponFulfillment,
            InitiatedBy = ((OrderStatus)order.OrderStatusId).ToString()
        }));
    }

    /// <summary>
    /// Captures the shipment's items with its tracking info (mode PerShipment)
    /// </summary>
    /// <param name="eventMessage">Event</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public async Task HandleEventAsync(ShipmentSentEvent eventMessage)
    {
        var shipment = eventMessage?.Shipment;
        if (shipment is null)
            return;

        var order = await _orderService.GetOrderByIdAsync(shipment.OrderId);
        if (!IsKlarnaOrder(order))
            return;

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);
        if (settings.CaptureUponFulfillmentMode != KlarnaCaptureUponFulfillmentMode.PerShipment)
            return;

        await SafelyAsync("capture of a shipment", order.Id, () => _executor.ExecuteAsync(new KlarnaShipmentCaptureCommand
        {
            OrderId = order.Id,
            Order = order,
            ShipmentId = shipment.Id,
            Initiator = KlarnaInitiator.CaptureUponFulfillment,
            InitiatedBy = $"{nameof(ShipmentSentEvent)} {shipment.Id}"
        }));
    }

    /// <summary>
    /// Adds a tracking number set after the capture to that capture
    /// </summary>
    /// <param name="eventMessage">Event</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public async Task HandleEventAsync(ShipmentTrackingNumberSetEvent eventMessage)
    {
        var shipment = eventMessage?.Shipment;
        if (shipment is null || string.IsNullOrWhiteSpace(shipment.TrackingNumber))
            return;

        var order = await _orderService.GetOrderByIdAsync(shipment.OrderId);
        if (!IsKlarnaOrder(order))
            return;

        await SafelyAsync("adding shipping info", order.Id, () => _executor.ExecuteAsync(new KlarnaShippingInfoCommand
        {
            OrderId = order.Id,
            Order = order,
            ShipmentId = shipment.Id,
            Initiator = KlarnaInitiator.Admin,
            InitiatedBy = $"{nameof(ShipmentTrackingNumberSetEvent)} {shipment.Id}"
        }));
    }

    #endregion
}
