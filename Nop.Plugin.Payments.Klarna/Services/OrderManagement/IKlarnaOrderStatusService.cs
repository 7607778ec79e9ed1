using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Applies the settings' status mapping to nopCommerce orders: each Klarna status event at most once per order
/// </summary>
public interface IKlarnaOrderStatusService
{
    /// <summary>
    /// Sets the mapped status of an event like admin "Change status" does (the order saved, a note) and gets the event to
    /// publish once no lock is held any more. The caller has claimed the change (<see cref="KlarnaOrderStatusService.Claim"/>)
    /// and saved the record with it
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="change">The claimed change</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the event to publish</returns>
    Task<KlarnaOrderStatusMappedEvent> SetStatusAsync(Order order, KlarnaStatusChange change);

    /// <summary>
    /// Applies a status event to an order at once and publishes it (for callers that hold no order lock: the checkout)
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="statusEvent">Klarna status event</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task ApplyEventAsync(Order order, KlarnaStatusEvent statusEvent);
}
