using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Factories;

/// <summary>
/// Prepares the Klarna block of the admin order page
/// </summary>
public interface IKlarnaOrderDetailsModelFactory
{
    /// <summary>
    /// Prepares the model of the Klarna block on the admin order page
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="view">The order's state when the caller has it (the order engine's result after an action: no second
    /// read of Klarna), or null to read it (<see cref="IKlarnaOrderReader"/>)</param>
    /// <param name="cancellationToken">The request's cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the model, or null for an order not paid with Klarna</returns>
    Task<KlarnaOrderDetailsModel> PrepareOrderDetailsModelAsync(Order order, KlarnaOrderView view = null, CancellationToken cancellationToken = default);
}
