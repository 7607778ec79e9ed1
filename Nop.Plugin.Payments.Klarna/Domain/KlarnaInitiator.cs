namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Who or what started a Klarna operation
/// </summary>
public enum KlarnaInitiator
{
    /// <summary>
    /// An admin in the plugin's order block
    /// </summary>
    Admin = 10,

    /// <summary>
    /// Capture upon fulfillment (order status or shipment)
    /// </summary>
    CaptureUponFulfillment = 20,

    /// <summary>
    /// nopCommerce's own Capture / Refund / Partial refund / Void buttons
    /// </summary>
    NopButton = 30,

    /// <summary>
    /// The checkout (authorization, order creation)
    /// </summary>
    Checkout = 40,

    /// <summary>
    /// The status synchronization
    /// </summary>
    StatusSync = 50,

    /// <summary>
    /// Klarna's Merchant Portal (found by the synchronization)
    /// </summary>
    MerchantPortal = 60,

    /// <summary>
    /// A Klarna notification
    /// </summary>
    Notification = 70
}
