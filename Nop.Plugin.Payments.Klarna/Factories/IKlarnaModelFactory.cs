using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Models.Admin;

namespace Nop.Plugin.Payments.Klarna.Factories;

/// <summary>
/// Prepares the admin models of the plugin
/// </summary>
public interface IKlarnaModelFactory
{
    /// <summary>
    /// Prepares the configuration model
    /// </summary>
    /// <param name="model">Model to fill (a posted model keeps the admin's values) or null for a new one</param>
    /// <param name="settings">Settings loaded for the store scope</param>
    /// <param name="storeScope">Active store scope (0 = all stores)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the model</returns>
    Task<ConfigurationModel> PrepareConfigurationModelAsync(ConfigurationModel model, KlarnaSettings settings, int storeScope);

    /// <summary>
    /// Prepares the model of the Klarna block on the admin order page
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="view">The order's state when the caller has it (the order engine's result after an action: no second
    /// read of Klarna), or null to read it (<see cref="Services.OrderManagement.IKlarnaOrderReader"/>)</param>
    /// <param name="cancellationToken">The request's cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the model, or null for an order not paid with Klarna</returns>
    Task<KlarnaOrderDetailsModel> PrepareOrderDetailsModelAsync(Order order, Services.OrderManagement.KlarnaOrderView view = null, CancellationToken cancellationToken = default);
}
