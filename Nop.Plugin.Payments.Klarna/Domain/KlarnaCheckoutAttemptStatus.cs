namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Represents where a checkout's Klarna order creation stands
/// </summary>
public enum KlarnaCheckoutAttemptStatus
{
    /// <summary>
    /// Recorded before create order; Klarna's answer has not arrived (or was lost): the outcome is settled by repeating
    /// create order with the same authorization token
    /// </summary>
    Pending = 10,

    /// <summary>
    /// Klarna created the order; nopCommerce has not saved its order (yet)
    /// </summary>
    Created = 20,

    /// <summary>
    /// nopCommerce saved the order of the Klarna order
    /// </summary>
    Placed = 30,

    /// <summary>
    /// The Klarna order was cancelled because nopCommerce never saved its order (or Klarna rejected it for fraud)
    /// </summary>
    Cancelled = 40,

    /// <summary>
    /// Klarna refused to create the order: nothing exists at Klarna
    /// </summary>
    Failed = 50,

    /// <summary>
    /// The answer was lost and could not be settled before the authorization expired: an admin must look the reference up
    /// in Klarna's Merchant Portal
    /// </summary>
    NeedsAttention = 60
}
