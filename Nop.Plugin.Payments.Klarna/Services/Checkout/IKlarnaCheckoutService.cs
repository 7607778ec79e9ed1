using Microsoft.AspNetCore.Http;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Services.Payments;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// The checkout side of the payment method: session, authorization, Klarna order creation
/// </summary>
public interface IKlarnaCheckoutService
{
    /// <summary>
    /// Gets a value indicating whether the method must be hidden for the cart (credentials missing, or the store
    /// currency and billing country are not a combination the configured Klarna region serves)
    /// </summary>
    /// <param name="cart">Shopping cart</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains true to hide the method</returns>
    Task<bool> HidePaymentMethodAsync(IList<ShoppingCartItem> cart);

    /// <summary>
    /// Validates the payment info form (the authorization token the Klarna widget gave)
    /// </summary>
    /// <param name="form">The parsed form values</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the warnings</returns>
    Task<IList<string>> ValidatePaymentFormAsync(IFormCollection form);

    /// <summary>
    /// Gets the payment info from the payment info form
    /// </summary>
    /// <param name="form">The parsed form values</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the payment request</returns>
    Task<ProcessPaymentRequest> GetPaymentInfoAsync(IFormCollection form);

    /// <summary>
    /// Creates the Klarna order from the authorization token (before nopCommerce saves the order)
    /// </summary>
    /// <param name="processPaymentRequest">Payment info required for an order processing</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the process payment result</returns>
    Task<ProcessPaymentResult> ProcessPaymentAsync(ProcessPaymentRequest processPaymentRequest);

    /// <summary>
    /// Runs after nopCommerce saved the order
    /// </summary>
    /// <param name="postProcessPaymentRequest">Payment info required for an order processing</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task PostProcessPaymentAsync(PostProcessPaymentRequest postProcessPaymentRequest);

    /// <summary>
    /// Records a placed Klarna order once: the KlarnaOrderRecord (read back from Klarna), the Authorize operation, the
    /// merchant reference (custom order number) and an order note
    /// </summary>
    /// <param name="order">The placed order</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the record (null for other payment methods)</returns>
    Task<KlarnaOrderRecord> RecordPlacedOrderAsync(Order order);
}
