using System.Reflection;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Creates nopCommerce events as nopCommerce's constructors fill them. The tests build against the nopCommerce reference,
/// whose members have no behaviour (get-only properties stay empty), so the values are set where the constructor would
/// </summary>
public static class NopEvents
{
    public static OrderStatusChangedEvent OrderStatusChanged(Order order, OrderStatus previousOrderStatus)
    {
        var e = new OrderStatusChangedEvent(order, previousOrderStatus);
        Fill(e, nameof(OrderStatusChangedEvent.Order), order);
        e.PreviousOrderStatus = previousOrderStatus;
        return e;
    }

    public static ShipmentSentEvent ShipmentSent(Shipment shipment) => Fill(new ShipmentSentEvent(shipment), nameof(ShipmentSentEvent.Shipment), shipment);

    public static ShipmentTrackingNumberSetEvent TrackingNumberSet(Shipment shipment) =>
        Fill(new ShipmentTrackingNumberSetEvent(shipment), nameof(ShipmentTrackingNumberSetEvent.Shipment), shipment);

    /// <summary>
    /// Sets a get-only auto-property when the constructor left it empty
    /// </summary>
    public static T Fill<T>(T target, string property, object value)
    {
        var info = typeof(T).GetProperty(property);
        if (info?.GetValue(target) is not null)
            return target;

        var field = typeof(T).GetField($"<{property}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);
        field?.SetValue(target, value);
        return target;
    }
}
