using Microsoft.AspNetCore.Mvc;
using Nop.Web.Framework.Components;

namespace Nop.Plugin.Payments.Klarna.Components;

/// <summary>
/// Renders the Klarna block on the admin order details page (AdminWidgetZones.OrderDetailsBlock)
/// </summary>
public class KlarnaOrderDetailsViewComponent : NopViewComponent
{
    /// <summary>
    /// Invoke view component
    /// </summary>
    /// <param name="widgetZone">Widget zone name</param>
    /// <param name="additionalData">Additional data (the admin OrderModel)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the view component result</returns>
    public Task<IViewComponentResult> InvokeAsync(string widgetZone, object additionalData)
    {
        // Built by the admin feature (issue "Admin").
        return Task.FromResult<IViewComponentResult>(Content(string.Empty));
    }
}
