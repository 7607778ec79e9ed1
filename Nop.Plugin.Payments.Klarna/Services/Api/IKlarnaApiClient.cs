using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents the typed client of Klarna Payments v1 and Order Management v1. Every failure surfaces as <see cref="KlarnaApiException"/>
/// </summary>
public interface IKlarnaApiClient
{
    #region Klarna Payments v1

    /// <summary>
    /// Creates a Klarna Payments session
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="request">Cart data</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the session (id, client token, categories)</returns>
    Task<KlarnaSession> CreateSessionAsync(KlarnaCredentials credentials, KlarnaSessionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Updates a Klarna Payments session (the browser must call load() again afterwards)
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="sessionId">Session id</param>
    /// <param name="request">Cart data</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task UpdateSessionAsync(KlarnaCredentials credentials, string sessionId, KlarnaSessionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a Klarna Payments session
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="sessionId">Session id</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the session</returns>
    Task<KlarnaSession> GetSessionAsync(KlarnaCredentials credentials, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates an order from an authorization token (never retried: Klarna Payments has no idempotency key)
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="authorizationToken">Authorization token from the browser library</param>
    /// <param name="request">Cart data; must match the authorized session</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the order id and fraud status</returns>
    Task<KlarnaCreateOrderResponse> CreateOrderAsync(KlarnaCredentials credentials, string authorizationToken, KlarnaSessionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels an authorization that will not be turned into an order
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="authorizationToken">Authorization token</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task CancelAuthorizationAsync(KlarnaCredentials credentials, string authorizationToken, CancellationToken cancellationToken = default);

    #endregion

    #region Order Management v1

    /// <summary>
    /// Gets an order
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the order</returns>
    Task<KlarnaOrder> GetOrderAsync(KlarnaCredentials credentials, string orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Captures an amount (with lines, description and shipping info)
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="request">Capture</param>
    /// <param name="idempotencyKey">Idempotency key recorded by the caller before the call; reused on retries</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the capture id</returns>
    Task<string> CaptureAsync(KlarnaCredentials credentials, string orderId, KlarnaCaptureRequest request, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the captures of an order
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the captures</returns>
    Task<IList<KlarnaCapture>> ListCapturesAsync(KlarnaCredentials credentials, string orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets a capture
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="captureId">Capture id</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the capture</returns>
    Task<KlarnaCapture> GetCaptureAsync(KlarnaCredentials credentials, string orderId, string captureId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends shipping info to an existing capture
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="captureId">Capture id</param>
    /// <param name="shippingInfo">Shipping info entries (1-500)</param>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task AddShippingInfoAsync(KlarnaCredentials credentials, string orderId, string captureId, IList<KlarnaShippingInfo> shippingInfo, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refunds an amount
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="request">Refund</param>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the refund id</returns>
    Task<string> RefundAsync(KlarnaCredentials credentials, string orderId, KlarnaRefundRequest request, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets a refund
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="refundId">Refund id</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the refund</returns>
    Task<KlarnaRefund> GetRefundAsync(KlarnaCredentials credentials, string orderId, string refundId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels an order without captures
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task CancelOrderAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases the remaining authorization of a part-captured order
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task ReleaseRemainingAuthorizationAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the authorization time
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task ExtendAuthorizationTimeAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the order amount and lines
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="request">New amount and lines</param>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task UpdateAuthorizationAsync(KlarnaCredentials credentials, string orderId, KlarnaUpdateAuthorizationRequest request, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Updates the merchant references (a null reference is left unchanged)
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="merchantReference1">Merchant reference 1</param>
    /// <param name="merchantReference2">Merchant reference 2</param>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task UpdateMerchantReferencesAsync(KlarnaCredentials credentials, string orderId, string merchantReference1, string merchantReference2, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Acknowledges an order (Klarna Checkout orders only)
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="orderId">Klarna order id</param>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task AcknowledgeAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default);

    #endregion
}
