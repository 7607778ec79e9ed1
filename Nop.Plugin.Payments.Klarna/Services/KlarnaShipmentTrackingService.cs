using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Catalog;
using Nop.Services.Orders;
using Nop.Services.Shipping;

namespace Nop.Plugin.Payments.Klarna.Services;

/// <summary>
/// Shipment tracking for Klarna captures
/// </summary>
public class KlarnaShipmentTrackingService : IKlarnaShipmentTrackingService
{
    #region Fields

    protected readonly IOrderService _orderService;
    protected readonly IProductService _productService;
    protected readonly IShipmentService _shipmentService;

    #endregion

    #region Ctor

    public KlarnaShipmentTrackingService(IOrderService orderService,
        IProductService productService,
        IShipmentService shipmentService)
    {
        _orderService = orderService;
        _productService = productService;
        _shipmentService = shipmentService;
    }

    #endregion

    #region Utilities

    private static string Truncate(string value, int length) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim().Length <= length ? value.Trim() : value.Trim()[..length];

    /// <summary>
    /// Finds the Klarna line of an order item: merchant_data or reference holding the item's GUID or id, or the
    /// reference equal to the product SKU when no other item of the order has that SKU
    /// </summary>
    protected virtual async Task<KlarnaOrderLine> FindLineAsync(IList<KlarnaOrderLine> lines, OrderItem item, IList<OrderItem> allItems)
    {
        var guid = item.OrderItemGuid.ToString();
        var id = item.Id.ToString();
        var line = lines.FirstOrDefault(l => string.Equals(l.MerchantData, guid, StringComparison.OrdinalIgnoreCase))
            ?? lines.FirstOrDefault(l => string.Equals(l.Reference, guid, StringComparison.OrdinalIgnoreCase))
            ?? lines.FirstOrDefault(l => string.Equals(l.MerchantData, id, StringComparison.Ordinal))
            ?? lines.FirstOrDefault(l => string.Equals(l.Reference, id, StringComparison.Ordinal));
        if (line is not null)
            return line;

        var product = await _productService.GetProductByIdAsync(item.ProductId);
        if (string.IsNullOrEmpty(product?.Sku) || allItems.Count(other => other.ProductId == item.ProductId) > 1)
            return null;

        var bySku = lines.Where(l => string.Equals(l.Reference, product.Sku, StringComparison.Ordinal)).ToList();
        return bySku.Count == 1 ? bySku[0] : null;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<List<KlarnaShippingInfo>> GetShippingInfoAsync(Order order, IList<int> shipmentIds)
    {
        ArgumentNullException.ThrowIfNull(order);

        var shipments = shipmentIds is null
            ? await _shipmentService.GetShipmentsByOrderIdAsync(order.Id, shipped: true)
            : (await Task.WhenAll(shipmentIds.Distinct().Select(id => _shipmentService.GetShipmentByIdAsync(id))))
                .Where(shipment => shipment?.OrderId == order.Id).ToList();

        var result = new List<KlarnaShippingInfo>();
        foreach (var shipment in shipments ?? new List<Shipment>())
        {
            var info = await GetShippingInfoAsync(order, shipment);
            if (info is not null)
                result.Add(info);
        }

        return result;
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaShippingInfo> GetShippingInfoAsync(Order order, Shipment shipment)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (shipment is null)
            return null;

        var carrier = Truncate(order.ShippingMethod, 100);
        var trackingNumber = Truncate(shipment.TrackingNumber, 100);
        if (carrier is null && trackingNumber is null)
            return null;

        string trackingUrl = null;
        if (trackingNumber is not null)
        {
            try
            {
                var tracker = await _shipmentService.GetShipmentTrackerAsync(shipment);
                if (tracker is not null)
                    trackingUrl = Truncate(await tracker.GetUrlAsync(trackingNumber, shipment), 1024);
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
            TrackingNumber = trackingNumber,
            TrackingUri = trackingUrl
        };
    }

    /// <inheritdoc />
    public virtual async Task<(IList<KlarnaLineSelection> Lines, IList<string> Unmatched)> GetShipmentLinesAsync(Order order,
        KlarnaOrder klarnaOrder, Shipment shipment, bool includeShippingFee)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(shipment);

        var lines = klarnaOrder?.OrderLines ?? new List<KlarnaOrderLine>();
        var items = await _orderService.GetOrderItemsAsync(order.Id);
        var selections = new Dictionary<string, long>(StringComparer.Ordinal);
        var unmatched = new List<string>();

        foreach (var shipmentItem in await _shipmentService.GetShipmentItemsByShipmentIdAsync(shipment.Id))
        {
            var item = items.FirstOrDefault(orderItem => orderItem.Id == shipmentItem.OrderItemId);
            var line = item is null ? null : await FindLineAsync(lines, item, items);
            if (line is null)
            {
                unmatched.Add($"order item {shipmentItem.OrderItemId}");
                continue;
            }

            var key = KlarnaOrderLineMath.Key(line);
            selections[key] = selections.GetValueOrDefault(key) + shipmentItem.Quantity;
        }

        if (includeShippingFee)
        {
            foreach (var line in lines.Where(l => l.Type == KlarnaOrderLineType.ShippingFee))
            {
                var key = KlarnaOrderLineMath.Key(line);
                selections[key] = selections.GetValueOrDefault(key) + line.Quantity;
            }
        }

        return (selections.Select(pair => new KlarnaLineSelection { Reference = pair.Key, Quantity = pair.Value }).ToList(), unmatched);
    }

    #endregion
}
