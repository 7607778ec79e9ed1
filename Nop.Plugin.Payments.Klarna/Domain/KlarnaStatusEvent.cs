namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Events of a Klarna order that the settings' status mapping turns into a nopCommerce order status
/// </summary>
public enum KlarnaStatusEvent
{
    /// <summary>
    /// Authorized (fraud status accepted)
    /// </summary>
    Authorized = 10,

    /// <summary>
    /// Authorized, fraud review pending
    /// </summary>
    FraudPending = 20,

    /// <summary>
    /// Part of the order captured
    /// </summary>
    PartiallyCaptured = 30,

    /// <summary>
    /// Everything captured (or the remainder released)
    /// </summary>
    Captured = 40,

    /// <summary>
    /// Cancelled
    /// </summary>
    Cancelled = 50,

    /// <summary>
    /// Part of the captured amount refunded
    /// </summary>
    PartiallyRefunded = 60,

    /// <summary>
    /// Everything captured refunded
    /// </summary>
    Refunded = 70,

    /// <summary>
    /// The authorization expired
    /// </summary>
    Expired = 80
}
