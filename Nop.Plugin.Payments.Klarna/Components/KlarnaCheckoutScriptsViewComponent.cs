using Microsoft.AspNetCore.Mvc;
using Nop.Core;
using Nop.Core.Domain.Customers;
using Nop.Plugin.Payments.Klarna.Models.Public;
using Nop.Services.Common;
using Nop.Services.Configuration;
using Nop.Services.Payments;
using Nop.Web.Framework.Components;
using Nop.Web.Framework.Infrastructure;

namespace Nop.Plugin.Payments.Klarna.Components;

/// <summary>
/// Loads Klarna's browser library and the plugin's checkout script with the checkout pages (widget zones
/// PublicWidgetZones.OpcContentBefore of the one-page checkout and CheckoutPaymentInfoTop of the multi-step payment info
/// page). The one-page checkout inserts the payment info step from an AJAX answer, whose scripts never run; a widget of the
/// page itself is rendered with the page, like the scripts of nopCommerce's own checkout. The one-page checkout needs them
/// whichever payment method is chosen (the customer may choose Klarna on the page); the multi-step payment info page is
/// the page of the payment method the customer chose on the step before, so they are loaded there only when it is Klarna.
/// </summary>
public class KlarnaCheckoutScriptsViewComponent : NopViewComponent
{
    #region Fields

    protected readonly IGenericAttributeService _genericAttributeService;
    protected readonly IPaymentPluginManager _paymentPluginManager;
    protected readonly ISettingService _settingService;
    protected readonly IStoreContext _storeContext;
    protected readonly IWebHelper _webHelper;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaCheckoutScriptsViewComponent(IGenericAttributeService genericAttributeService,
        IPaymentPluginManager paymentPluginManager,
        ISettingService settingService,
        IStoreContext storeContext,
        IWebHelper webHelper,
        IWorkContext workContext)
    {
        _genericAttributeService = genericAttributeService;
        _paymentPluginManager = paymentPluginManager;
        _settingService = settingService;
        _storeContext = storeContext;
        _webHelper = webHelper;
        _workContext = workContext;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Invoke view component
    /// </summary>
    /// <param name="widgetZone">Widget zone name</param>
    /// <param name="additionalData">Additional data</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the view component result</returns>
    public async Task<IViewComponentResult> InvokeAsync(string widgetZone, object additionalData)
    {
        // only where the customer can pay with Klarna
        var store = await _storeContext.GetCurrentStoreAsync();
        var customer = await _workContext.GetCurrentCustomerAsync();
        if (!await _paymentPluginManager.IsPluginActiveAsync(KlarnaDefaults.SystemName, customer, store.Id))
            return Content(string.Empty);

        // the multi-step payment info page: only when the customer chose Klarna (nopCommerce keeps the choice per store)
        if (string.Equals(widgetZone, PublicWidgetZones.CheckoutPaymentInfoTop, StringComparison.InvariantCultureIgnoreCase))
        {
            var selected = await _genericAttributeService.GetAttributeAsync<string>(customer, NopCustomerDefaults.SelectedPaymentMethodAttribute, store.Id);
            if (!string.Equals(selected, KlarnaDefaults.SystemName, StringComparison.InvariantCultureIgnoreCase))
                return Content(string.Empty);
        }

        // nopCommerce writes footer script addresses as they are: the library's as an escaped absolute URI
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(store.Id);
        var library = Uri.TryCreate(settings.KlarnaLibraryUrl?.Trim(), UriKind.Absolute, out var uri) ? uri : new Uri(KlarnaDefaults.KlarnaLibraryUrl);
        var model = new KlarnaCheckoutScriptsModel
        {
            LibraryUrl = library.AbsoluteUri,
            ScriptUrl = _webHelper.GetStoreLocation() + KlarnaDefaults.Checkout.ScriptPath
        };

        return View(KlarnaDefaults.Checkout.ScriptsView, model);
    }

    #endregion
}
