using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Services.Payments;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// What nopCommerce 4.90's OrderProcessingService does around a payment method's Refund when an admin uses the "Partial
/// refund" popup (Nop.Services.Orders.OrderProcessingService.PartiallyRefundAsync): the popup allows at most the order
/// total minus the refunded amount, the payment must be Paid or PartiallyRefunded; on success nopCommerce adds the amount to
/// RefundedAmount and takes the result's payment status (Refunded once the order total is reached); on failure it notes the
/// errors and saves nothing. Likewise its Capture, Refund and Void
/// </summary>
public static class NopOrderProcessing
{
    /// <summary>
    /// Gets whether nopCommerce offers the partial refund of an amount (CanPartiallyRefundAsync)
    /// </summary>
    public static bool CanPartiallyRefund(Order order, decimal amountToRefund)
    {
        var canBeRefunded = order.OrderTotal - order.RefundedAmount;
        return order.OrderTotal > 0 && canBeRefunded > 0 && amountToRefund <= canBeRefunded
            && (PaymentStatus)order.PaymentStatusId is PaymentStatus.Paid or PaymentStatus.PartiallyRefunded;
    }

    /// <summary>
    /// Runs a partial refund the way nopCommerce does
    /// </summary>
    /// <returns>The errors nopCommerce shows (empty on success)</returns>
    public static Task<IList<string>> PartiallyRefundAsync(IPaymentMethod paymentMethod, Order order, decimal amountToRefund) =>
        PartiallyRefundAsync(paymentMethod.RefundAsync, order, amountToRefund);

    /// <summary>
    /// Runs a partial refund the way nopCommerce does, with the payment method's refund
    /// </summary>
    /// <returns>The errors nopCommerce shows (empty on success)</returns>
    public static async Task<IList<string>> PartiallyRefundAsync(Func<RefundPaymentRequest, Task<RefundPaymentResult>> refund, Order order, decimal amountToRefund)
    {
        if (!CanPartiallyRefund(order, amountToRefund))
            throw new InvalidOperationException("Cannot do partial refund for order.");

        var result = await refund(new RefundPaymentRequest { Order = order, AmountToRefund = amountToRefund, IsPartialRefund = true });
        var errors = result.Errors ?? new List<string>();
        if (errors.Count > 0)
            return errors;

        var totalAmountRefunded = order.RefundedAmount + amountToRefund;
        order.RefundedAmount = totalAmountRefunded;
        order.PaymentStatusId = (int)(order.OrderTotal == totalAmountRefunded && result.NewPaymentStatus == PaymentStatus.PartiallyRefunded
            ? PaymentStatus.Refunded
            : result.NewPaymentStatus);
        return errors;
    }

    /// <summary>
    /// Runs nopCommerce's Capture (OrderProcessingService.CaptureAsync): offered for an order neither cancelled nor pending
    /// whose payment is Authorized; on success the payment status of the result (and the paid date), else the errors
    /// </summary>
    /// <returns>The errors nopCommerce shows (empty on success); null when nopCommerce does not offer the button</returns>
    public static async Task<IList<string>> CaptureAsync(Func<CapturePaymentRequest, Task<CapturePaymentResult>> capture, Order order)
    {
        if ((OrderStatus)order.OrderStatusId is OrderStatus.Cancelled or OrderStatus.Pending || (PaymentStatus)order.PaymentStatusId != PaymentStatus.Authorized)
            return null;

        var result = await capture(new CapturePaymentRequest { Order = order });
        if (result.Errors?.Count > 0)
            return result.Errors;

        order.CaptureTransactionId = result.CaptureTransactionId;
        order.PaymentStatusId = (int)result.NewPaymentStatus;
        if (result.NewPaymentStatus == PaymentStatus.Paid)
            order.PaidDateUtc ??= DateTime.UtcNow;
        return new List<string>();
    }

    /// <summary>
    /// Runs nopCommerce's Refund (OrderProcessingService.RefundAsync): offered for a paid order with a total and nothing
    /// refunded; on success the order total is added to the refunded amount and the result's payment status taken
    /// </summary>
    /// <returns>The errors nopCommerce shows (empty on success); null when nopCommerce does not offer the button</returns>
    public static async Task<IList<string>> RefundAsync(Func<RefundPaymentRequest, Task<RefundPaymentResult>> refund, Order order)
    {
        if (order.OrderTotal <= 0 || order.RefundedAmount != 0 || (PaymentStatus)order.PaymentStatusId != PaymentStatus.Paid)
            return null;

        var result = await refund(new RefundPaymentRequest { Order = order, AmountToRefund = order.OrderTotal, IsPartialRefund = false });
        if (result.Errors?.Count > 0)
            return result.Errors;

        order.RefundedAmount += order.OrderTotal;
        order.PaymentStatusId = (int)result.NewPaymentStatus;
        return new List<string>();
    }

    /// <summary>
    /// Runs nopCommerce's Void (OrderProcessingService.VoidAsync): offered for an authorized payment with a total; on
    /// success the result's payment status
    /// </summary>
    /// <returns>The errors nopCommerce shows (empty on success); null when nopCommerce does not offer the button</returns>
    public static async Task<IList<string>> VoidAsync(Func<VoidPaymentRequest, Task<VoidPaymentResult>> voidPayment, Order order)
    {
        if (order.OrderTotal <= 0 || (PaymentStatus)order.PaymentStatusId != PaymentStatus.Authorized)
            return null;

        var result = await voidPayment(new VoidPaymentRequest { Order = order });
        if (result.Errors?.Count > 0)
            return result.Errors;

        order.PaymentStatusId = (int)result.NewPaymentStatus;
        return new List<string>();
    }
}
