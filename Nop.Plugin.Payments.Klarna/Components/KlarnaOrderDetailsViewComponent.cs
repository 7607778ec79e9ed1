using Microsoft.AspNetCore.Mvc;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Services.Orders;
using Nop.Services.Payments;
using Nop.Web.Framework.Components;
using Nop.Web.Framework.Infrastructure;
using Nop.Web.Framework.Models;

namespace Nop.Plugin.Payments.Klarna.Components;

/// <summary>
/// Renders the Klarna block on the admin order details page (AdminWidgetZones.OrderDetailsBlock)
/// </summary>
public class KlarnaOrderDetailsViewComponent : NopViewComponent
{
    #region Fields

    protected readonly IKlarnaOrderDetailsModelFactory _orderDetailsModelFactory;
    protected readonly IOrderService _orderService;
    protected readonly IPaymentPluginManager _paymentPluginManager;

    #endregion

    #region Ctor

    public KlarnaOrderDetailsViewComponent(IKlarnaOrderDetailsModelFactory orderDetailsModelFactory,
        IOrderService orderService,
        IPaymentPluginManager paymentPluginManager)
    {
        _orderDetailsModelFactory = orderDetailsModelFactory;
        _orderService = orderService;
        _paymentPluginManager = paymentPluginManager;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Invoke view component
    /// </summary>
    /// <param name="widgetZone">Widget zone name</param>
    /// <param name="additionalData">Additional data (the admin OrderModel)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the view component result</returns>
    public async Task<IViewComponentResult> InvokeAsync(string widgetZone, object additionalData)
    {
        if (!string.Equals(widgetZone, AdminWidgetZones.OrderDetailsBlock, StringComparison.OrdinalIgnoreCase))
            return Content(string.Empty);

        if (additionalData is not BaseNopEntityModel { Id: var orderId } || orderId <= 0)
            return Content(string.Empty);

        var order = await _orderService.GetOrderByIdAsync(orderId);
        if (order == null || order.Deleted
            || !string.Equals(order.PaymentMethodSystemName, KlarnaDefaults.SystemName, StringComparison.OrdinalIgnoreCase))
            return Content(string.Empty);

        // the block also shows for orders of a plugin deactivated later only while it is active in the order's store
        if (!await _paymentPluginManager.IsPluginActiveAsync(KlarnaDefaults.SystemName, storeId: order.StoreId))
            return Content(string.Empty);

        var model = await _orderDetailsModelFactory.PrepareOrderDetailsModelAsync(order, null, HttpContext?.RequestAborted ?? default);
        if (model == null)
            return Content(string.Empty);

        return View(KlarnaDefaults.OrderDetailsViewPath, model);
    }

    #endregion
}
