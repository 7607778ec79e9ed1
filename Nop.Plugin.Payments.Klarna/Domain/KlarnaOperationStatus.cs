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
    /// Klarna refused the operation (or it was never executed)
    /// </summary>
    Failed = 30
}
