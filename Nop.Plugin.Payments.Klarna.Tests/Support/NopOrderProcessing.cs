using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Services.Payments;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// What nopCommerce 4.90's OrderProcessingService does around a payment method's Refund when an admin uses the "Partial
/// refund" popup (Nop.Services.Orders.OrderProcessingService.PartiallyRefundAsync): the popup allows at most the order
/// total minus the refunded amount, the payment must be Paid or PartiallyRefunded; on success nopCommerce adds the amount to
/// RefundedAmount and takes the result's payment status (Refunded once the order total is reached); on failure it notes the
/// errors and saves nothing
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
    public static async Task<IList<string>> PartiallyRefundAsync(IPaymentMethod paymentMethod, Order order, decimal amountToRefund)
    {
        if (!CanPartiallyRefund(order, amountToRefund))
            throw new InvalidOperationException("Cannot do partial refund for order.");

        var result = await paymentMethod.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = amountToRefund, IsPartialRefund = true });
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
}
