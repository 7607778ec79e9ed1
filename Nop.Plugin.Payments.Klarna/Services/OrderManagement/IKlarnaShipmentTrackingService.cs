using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Shipment tracking for Klarna captures: nopCommerce shipments become Klarna shipping info, shipment items become Klarna lines
/// </summary>
public interface IKlarnaShipmentTrackingService
{
    /// <summary>
    /// Gets the shipping info of shipments (carrier and Klarna shipping method from <see cref="IKlarnaShippingInfoBuilder"/>,
    /// tracking number, tracking URL from nopCommerce's shipment tracker where it gives one)
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="shipmentIds">Shipments; null = every shipped shipment of the order</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the shipping info (empty when there is none)</returns>
    Task<List<KlarnaShippingInfo>> GetShippingInfoAsync(Order order, IList<int> shipmentIds);

    /// <summary>
    /// Gets the shipping info of one shipment
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="shipment">Shipment</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the shipping info, or null when there is nothing to tell</returns>
    Task<KlarnaShippingInfo> GetShippingInfoAsync(Order order, Shipment shipment);

    /// <summary>
    /// Gets the Klarna lines of a shipment's items (and the shipping fee lines when asked)
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="klarnaOrder">Klarna's order</param>
    /// <param name="shipment">Shipment</param>
    /// <param name="includeShippingFee">Whether the shipping fee lines go with this shipment (the first one)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the lines and the items that matched no Klarna line</returns>
    Task<(IList<KlarnaLineSelection> Lines, IList<string> Unmatched)> GetShipmentLinesAsync(Order order, KlarnaOrder klarnaOrder, Shipment shipment, bool includeShippingFee);
}
