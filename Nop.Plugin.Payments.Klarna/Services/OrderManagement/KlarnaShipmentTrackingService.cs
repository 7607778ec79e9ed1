using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Services.Catalog;
using Nop.Services.Orders;
using Nop.Services.Shipping;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Shipment tracking for Klarna captures
/// </summary>
public class KlarnaShipmentTrackingService : IKlarnaShipmentTrackingService
{
    #region Fields

    protected readonly IKlarnaShippingInfoBuilder _shippingInfoBuilder;
    protected readonly IOrderService _orderService;
    protected readonly IProductService _productService;
    protected readonly IShipmentService _shipmentService;

    #endregion

    #region Ctor

    public KlarnaShipmentTrackingService(IKlarnaShippingInfoBuilder shippingInfoBuilder,
        IOrderService orderService,
        IProductService productService,
        IShipmentService shipmentService)
    {
        _shippingInfoBuilder = shippingInfoBuilder;
        _orderService = orderService;
        _productService = productService;
        _shipmentService = shipmentService;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Finds the Klarna line of an order item. The checkout (KlarnaOrderLineBuilder) gives each item line the product's SKU
    /// (or "product-{id}" without SKU) as reference, made unique with "-2", "-3"... in the order of the items; lines that
    /// carry the item's GUID or id (merchant_data or reference) are matched first
    /// </summary>
    protected virtual async Task<KlarnaOrderLine> FindLineAsync(IList<KlarnaOrderLine> lines, OrderItem item, IList<OrderItem> allItems)
    {
        var guid = item.OrderItemGuid.ToString();
        var id = item.Id.ToString();
        var line = lines.FirstOrDefault(l => string.Equals(l.MerchantData, guid, StringComparison.OrdinalIgnoreCase))
            ?? lines.FirstOrDefault(l => string.Equals(l.Reference, guid, StringComparison.OrdinalIgnoreCase))
            ?? lines.FirstOrDefault(l => string.Equals(l.MerchantData, id, StringComparison.Ordinal));
        if (line is not null)
            return line;

        async Task<string> baseReferenceAsync(OrderItem orderItem)
        {
            var product = await _productService.GetProductByIdAsync(orderItem.ProductId);
            return string.IsNullOrWhiteSpace(product?.Sku) ? $"product-{orderItem.ProductId}" : product.Sku.Trim();
        }

        var wanted = await baseReferenceAsync(item);
        var position = 0;
        foreach (var other in allItems.OrderBy(orderItem => orderItem.Id))
        {
            if (other.Id == item.Id)
                break;
            if (string.Equals(await baseReferenceAsync(other), wanted, StringComparison.OrdinalIgnoreCase))
                position++;
        }

        var reference = position == 0 ? wanted : $"{wanted}-{position + 1}";
        line = lines.FirstOrDefault(l => string.Equals(l.Reference, reference, StringComparison.OrdinalIgnoreCase) && l.Type != KlarnaOrderLineType.ShippingFee);
        return line is not null && line.Quantity == item.Quantity ? line : null;
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
    public virtual Task<KlarnaShippingInfo> GetShippingInfoAsync(Order order, Shipment shipment) => _shippingInfoBuilder.BuildAsync(order, shipment);

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
                unmatched.Add(shipmentItem.OrderItemId.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
