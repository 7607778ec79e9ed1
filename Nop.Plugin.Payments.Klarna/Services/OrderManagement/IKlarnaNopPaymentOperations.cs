using Nop.Services.Payments;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// nopCommerce's own Capture / Refund / Partial refund / Void buttons, served by the order management services
/// </summary>
public interface IKlarnaNopPaymentOperations
{
    /// <summary>
    /// Captures everything still uncaptured (nopCommerce's Capture button)
    /// </summary>
    /// <param name="capturePaymentRequest">Capture payment request</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the capture payment result</returns>
    Task<CapturePaymentResult> CaptureAsync(CapturePaymentRequest capturePaymentRequest);

    /// <summary>
    /// Refunds (nopCommerce's Refund and Partial refund buttons); never more than was captured and not yet refunded
    /// </summary>
    /// <param name="refundPaymentRequest">Request</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the result</returns>
    Task<RefundPaymentResult> RefundAsync(RefundPaymentRequest refundPaymentRequest);

    /// <summary>
    /// Voids: cancels the Klarna order, or releases the remaining authorization after a partial capture
    /// </summary>
    /// <param name="voidPaymentRequest">Request</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the result</returns>
    Task<VoidPaymentResult> VoidAsync(VoidPaymentRequest voidPaymentRequest);
}
