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
    /// The authorization ended without a capture (expired, or closed by Klarna)
    /// </summary>
    Expired = 80,

    /// <summary>
    /// Klarna rejected the order after its fraud review: do not ship (the plugin cancels the authorization)
    /// </summary>
    FraudRejected = 90,

    /// <summary>
    /// Klarna stopped an order it had accepted (FRAUD_RISK_STOPPED): do not ship, no capture
    /// </summary>
    FraudStopped = 100
}
