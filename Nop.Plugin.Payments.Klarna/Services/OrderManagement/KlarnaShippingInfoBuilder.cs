using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Configuration;
using Nop.Services.Shipping;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Builds the shipping info Klarna gets for a nopCommerce shipment: the carrier (shipping_company), one of Klarna's
/// shipping_method values, the tracking number and the tracking URL of the shipment's tracker
/// </summary>
public interface IKlarnaShippingInfoBuilder
{
    /// <summary>
    /// Builds the shipping info of a shipment
    /// </summary>
    /// <param name="order">Order</param>
    /// <param name="shipment">Shipment</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the shipping info, or null when there is nothing to tell (no carrier, no tracking number, no known way of delivery)</returns>
    Task<KlarnaShippingInfo> BuildAsync(Order order, Shipment shipment);
}

/// <summary>
/// Represents the default <see cref="IKlarnaShippingInfoBuilder"/> (the rules: <see cref="KlarnaShippingCarriers"/>; the
/// merchant's table: KlarnaSettings.ShippingCarrierMappings)
/// </summary>
public class KlarnaShippingInfoBuilder : IKlarnaShippingInfoBuilder
{
    #region Fields

    protected readonly ISettingService _settingService;
    protected readonly IShipmentService _shipmentService;

    #endregion

    #region Ctor

    public KlarnaShippingInfoBuilder(ISettingService settingService,
        IShipmentService shipmentService)
    {
        _settingService = settingService;
        _shipmentService = shipmentService;
    }

    #endregion


    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaShippingInfo> BuildAsync(Order order, Shipment shipment)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (shipment is null)
            return null;

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);
        var (carrier, method) = KlarnaShippingCarriers.Resolve(KlarnaShippingCarriers.Parse(settings.ShippingCarrierMappings).Mappings,
            order.ShippingRateComputationMethodSystemName, order.ShippingMethod, order.PickupInStore,
            order.ShippingStatus != ShippingStatus.ShippingNotRequired);
        carrier = KlarnaText.Truncate(carrier, 100);
        var trackingNumber = KlarnaText.Truncate(shipment.TrackingNumber, 100);
        if (carrier is null && trackingNumber is null && method == "Undefined")
            return null;

        string trackingUrl = null;
        if (trackingNumber is not null)
        {
            try
            {
                var tracker = await _shipmentService.GetShipmentTrackerAsync(shipment);
                if (tracker is not null)
                    trackingUrl = KlarnaText.Truncate(await tracker.GetUrlAsync(trackingNumber, shipment), 1024);
            }
            catch
            {
                //a shipping plugin's tracker failing must not stop the capture: the tracking number is enough
                trackingUrl = null;
            }
        }

        return new KlarnaShippingInfo
        {
            ShippingCompany = carrier,
            ShippingMethod = method,
            TrackingNumber = trackingNumber,
            TrackingUri = trackingUrl
        };
    }

    #endregion
}
