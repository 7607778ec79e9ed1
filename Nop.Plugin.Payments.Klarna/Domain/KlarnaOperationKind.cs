namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Kind of a Klarna operation recorded by the plugin
/// </summary>
public enum KlarnaOperationKind
{
    /// <summary>
    /// The Klarna order was created from an authorization (checkout)
    /// </summary>
    Authorize = 10,

    /// <summary>
    /// Capture (full or partial)
    /// </summary>
    Capture = 20,

    /// <summary>
    /// Refund (full or partial)
    /// </summary>
    Refund = 30,

    /// <summary>
    /// Cancel of an order without captures
    /// </summary>
    Cancel = 40,

    /// <summary>
    /// Release of the remaining authorization after a partial capture
    /// </summary>
    Release = 50,

    /// <summary>
    /// Shipping info added to an existing capture
    /// </summary>
    ShippingInfo = 60,

    /// <summary>
    /// Extension of the authorization time
    /// </summary>
    ExtendAuthorization = 70
}
