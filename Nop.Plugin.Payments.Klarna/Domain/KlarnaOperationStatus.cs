namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Outcome of a Klarna operation
/// </summary>
public enum KlarnaOperationStatus
{
    /// <summary>
    /// Recorded before the call to Klarna; the outcome is not known yet (or the answer was lost)
    /// </summary>
    Pending = 10,

    /// <summary>
    /// Klarna accepted the operation
    /// </summary>
    Succeeded = 20,

    /// <summary>
    /// Klarna refused the operation, or the plugin stopped it before it was sent
    /// </summary>
    Failed = 30,

    /// <summary>
    /// Still unsettled when Klarna stopped replaying its idempotency key (24 hours): Klarna's order showed no effect of it
    /// and it was never sent again with a new key. A person has to look at it (the order block shows what is known)
    /// </summary>
    NeedsAttention = 40
}
