namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// When the plugin captures by itself
/// </summary>
public enum KlarnaCaptureUponFulfillmentMode
{
    /// <summary>
    /// Never: captures are started by an admin
    /// </summary>
    Off = 0,

    /// <summary>
    /// When the shop order reaches the configured order status, everything still uncaptured is captured
    /// </summary>
    OnOrderStatus = 10,

    /// <summary>
    /// When a shipment is marked shipped, that shipment's items (and the shipping fee with the first shipment) are captured
    /// </summary>
    PerShipment = 20
}
