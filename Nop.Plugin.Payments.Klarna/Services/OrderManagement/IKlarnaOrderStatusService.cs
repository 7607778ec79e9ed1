using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Applies the settings' status mapping to nopCommerce orders
/// </summary>
public interface IKlarnaOrderStatusService
{
    /// <summary>
    /// Applies a Klarna status event to the order status: each event at most once per order; when automatic status
    /// changes are off only the initial events (Authorized, FraudPending) apply
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="statusEvent">Klarna status event</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task ApplyEventAsync(Order order, KlarnaStatusEvent statusEvent);
}
