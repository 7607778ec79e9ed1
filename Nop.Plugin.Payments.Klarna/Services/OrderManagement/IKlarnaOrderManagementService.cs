using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Manages the money of Klarna orders: every operation is serialized per order (nopCommerce ILocker), validated
/// against a fresh read of Klarna's order, recorded as pending with its idempotency key before the call, and followed by
/// an order note, the payment status and the mapped order status
/// </summary>
public interface IKlarnaOrderManagementService
{
    /// <summary>
    /// Gets the overview of a Klarna order (settles pending operations first)
    /// </summary>
    /// <param name="orderId">nopCommerce order identifier</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the overview, or null when the order is not a Klarna order</returns>
    Task<KlarnaOrderOverview> GetOrderOverviewAsync(int orderId);

    /// <summary>
    /// Captures the whole remainder, lines, or an amount
    /// </summary>
    Task<KlarnaOperationResult> CaptureAsync(KlarnaCaptureCommand command);

    /// <summary>
    /// Refunds everything refundable, lines, or an amount
    /// </summary>
    Task<KlarnaOperationResult> RefundAsync(KlarnaRefundCommand command);

    /// <summary>
    /// Cancels the order (only before any capture)
    /// </summary>
    Task<KlarnaOperationResult> CancelAsync(int orderId, KlarnaInitiator initiator, string initiatedBy);

    /// <summary>
    /// Releases the remaining authorization (after a partial capture)
    /// </summary>
    Task<KlarnaOperationResult> ReleaseRemainingAuthorizationAsync(int orderId, KlarnaInitiator initiator, string initiatedBy);

    /// <summary>
    /// Extends the authorization time
    /// </summary>
    Task<KlarnaOperationResult> ExtendAuthorizationAsync(int orderId, KlarnaInitiator initiator, string initiatedBy);

    /// <summary>
    /// Adds the shipment's tracking info to the capture that covered it (tracking added after the capture)
    /// </summary>
    Task<KlarnaOperationResult> AddShippingInfoAsync(int orderId, int shipmentId, KlarnaInitiator initiator);

    /// <summary>
    /// Reads Klarna's order, settles pending operations and brings the records and the payment status in step
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains Klarna's order, or null when it could not be read</returns>
    Task<KlarnaOrder> RefreshAsync(int orderId, KlarnaInitiator initiator);

    /// <summary>
    /// Voids the payment: cancels the Klarna order when nothing was captured, or releases the remaining authorization
    /// after a partial capture (decided on a fresh read, under the order's lock)
    /// </summary>
    /// <param name="order">Order (the instance the caller holds)</param>
    /// <param name="initiator">Initiator</param>
    /// <param name="initiatedBy">Who started it</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the result</returns>
    Task<KlarnaOperationResult> VoidAsync(Order order, KlarnaInitiator initiator, string initiatedBy);

    /// <summary>
    /// Captures one shipment's items (and the shipping fee with the first shipment) with its tracking info; a shipment
    /// already captured, or nothing left to capture, is a no-op
    /// </summary>
    /// <param name="order">Order (the instance the caller holds)</param>
    /// <param name="shipmentId">Shipment identifier</param>
    /// <param name="initiator">Initiator</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the result</returns>
    Task<KlarnaOperationResult> CaptureShipmentAsync(Order order, int shipmentId, KlarnaInitiator initiator);
}
