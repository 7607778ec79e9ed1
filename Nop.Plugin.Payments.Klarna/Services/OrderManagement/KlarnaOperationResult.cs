using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The result of an order management operation
/// </summary>
public class KlarnaOperationResult
{
    /// <summary>
    /// Gets or sets a value indicating whether the operation succeeded
    /// </summary>
    public bool Success { get; set; }

    /// <summary>
    /// Gets or sets the error shown to the admin
    /// </summary>
    public string Error { get; set; }

    /// <summary>
    /// Gets or sets Klarna's error code (or the plugin's refusal code)
    /// </summary>
    public string ErrorCode { get; set; }

    /// <summary>
    /// Gets or sets Klarna's correlation id
    /// </summary>
    public string CorrelationId { get; set; }

    /// <summary>
    /// Gets or sets the operation record (null when refused before anything was recorded)
    /// </summary>
    public KlarnaOperation Operation { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether there was nothing to do (e.g. nothing left to capture upon fulfillment)
    /// </summary>
    public bool NothingToDo { get; set; }

    /// <summary>
    /// Gets or sets the order's payment status after the operation (null when the operation was refused)
    /// </summary>
    public PaymentStatus? PaymentStatus { get; set; }

    /// <summary>
    /// Creates a success
    /// </summary>
    /// <param name="operation">Operation record</param>
    /// <returns>Result</returns>
    public static KlarnaOperationResult Ok(KlarnaOperation operation) => new() { Success = true, Operation = operation };

    /// <summary>
    /// Creates a failure
    /// </summary>
    /// <param name="error">Error</param>
    /// <param name="errorCode">Error code</param>
    /// <param name="correlationId">Klarna's correlation id</param>
    /// <returns>Result</returns>
    public static KlarnaOperationResult Fail(string error, string errorCode = null, string correlationId = null) =>
        new() { Success = false, Error = error, ErrorCode = errorCode, CorrelationId = correlationId };
}
