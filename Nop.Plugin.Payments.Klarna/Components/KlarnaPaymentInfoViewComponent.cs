using Microsoft.AspNetCore.Mvc;
using Nop.Web.Framework.Components;

namespace Nop.Plugin.Payments.Klarna.Components;

/// <summary>
/// Renders the Klarna widget on the payment info step of the checkout
/// </summary>
public class KlarnaPaymentInfoViewComponent : NopViewComponent
{
    /// <summary>
    /// Invoke view component
    /// </summary>
    /// <param name="widgetZone">Widget zone name</param>
    /// <param name="additionalData">Additional data</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the view component result</returns>
    public Task<IViewComponentResult> InvokeAsync(string widgetZone, object additionalData)
    {
        // Built by the checkout feature (issue "Checkout").
        return Task.FromResult<IViewComponentResult>(Content(string.Empty));
    }
}
