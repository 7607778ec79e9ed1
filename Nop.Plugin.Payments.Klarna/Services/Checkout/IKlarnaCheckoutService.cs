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
    /// Gets what the confirm step needs to finalize Klarna's authorization: null when the payment needs no finalize()
    /// (the token came with authorize, or Klarna is not the payment method)
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the session and category, or null</returns>
    Task<KlarnaFinalization> GetFinalizationAsync();

    /// <summary>
    /// Puts the token finalize() gave into nopCommerce's payment request of the checkout, so that the order is placed with it
    /// </summary>
    /// <param name="sessionId">The Klarna session the token belongs to (must be the payment request's)</param>
    /// <param name="authorizationToken">Authorization token</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains false when the payment request waits for no such token</returns>
    Task<bool> SaveFinalizedTokenAsync(string sessionId, string authorizationToken);

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

/// <summary>
/// Represents a payment whose Klarna authorization waits for finalize() on the confirm step
/// </summary>
public class KlarnaFinalization
{
    /// <summary>
    /// Gets or sets the Klarna Payments session id
    /// </summary>
    public string SessionId { get; set; }

    /// <summary>
    /// Gets or sets the payment method category the customer authorized
    /// </summary>
    public string Category { get; set; }
}
