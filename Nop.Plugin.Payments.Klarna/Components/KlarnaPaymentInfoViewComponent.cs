using Microsoft.AspNetCore.Mvc;
using Nop.Core;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Models.Public;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Services.Localization;
using Nop.Web.Framework.Components;

namespace Nop.Plugin.Payments.Klarna.Components;

/// <summary>
/// Renders the Klarna widget's markup on the payment info step of the checkout (no script: the one-page checkout inserts
/// this step from an AJAX answer, in which nopCommerce writes no script source; KlarnaCheckoutScriptsViewComponent loads
/// the scripts with the checkout page)
/// </summary>
public class KlarnaPaymentInfoViewComponent : NopViewComponent
{
    #region Fields

    protected readonly IKlarnaCheckoutSessionService _sessionService;
    protected readonly ILocalizationService _localizationService;
    protected readonly IStoreContext _storeContext;
    protected readonly IWorkContext _workContext;
    protected readonly KlarnaCheckoutService _checkoutService;

    #endregion

    #region Ctor

    public KlarnaPaymentInfoViewComponent(IKlarnaCheckoutSessionService sessionService,
        ILocalizationService localizationService,
        IStoreContext storeContext,
        IWorkContext workContext,
        KlarnaCheckoutService checkoutService)
    {
        _sessionService = sessionService;
        _localizationService = localizationService;
        _storeContext = storeContext;
        _workContext = workContext;
        _checkoutService = checkoutService;
    }

    #endregion

    #region Utilities

    protected virtual Task<string> ResourceAsync(string key, string fallback) =>
        _localizationService.GetCheckoutResourceAsync(key, fallback);

    #endregion

    #region Methods

    /// <summary>
    /// Prepares the model of the payment info step: a Klarna Payments session for the current cart
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the model</returns>
    public virtual async Task<KlarnaPaymentInfoModel> PrepareModelAsync()
    {
        var store = await _storeContext.GetCurrentStoreAsync();

        // a Klarna order left by a failed placement is settled before a new authorization starts
        await _checkoutService.SettlePendingOrderAsync(await _workContext.GetCurrentCustomerAsync(), store.Id);

        var session = await _sessionService.PrepareSessionAsync();
        return new KlarnaPaymentInfoModel
        {
            Error = session.Error,
            SessionId = session.SessionId,
            ClientToken = session.ClientToken,
            Categories = session.Categories.Select(category => new KlarnaPaymentCategoryModel
            {
                Identifier = category.Identifier,
                Name = category.Name,
                LogoUrl = category.AssetUrls?.Standard
            }).ToList(),
            NotCompletedMessage = await ResourceAsync("NotCompleted", "The payment with Klarna was not completed. Please try again or choose another payment method."),
            DeclinedMessage = await ResourceAsync("Declined", "Klarna declined the payment. Please choose another payment method."),
            LoadingMessage = await ResourceAsync("Loading", "Loading Klarna...")
        };
    }

    /// <summary>
    /// Invoke view component
    /// </summary>
    /// <param name="widgetZone">Widget zone name</param>
    /// <param name="additionalData">Additional data</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the view component result</returns>
    public async Task<IViewComponentResult> InvokeAsync(string widgetZone, object additionalData)
    {
        var model = await PrepareModelAsync();
        return View(KlarnaDefaults.Checkout.PaymentInfoView, model);
    }

    #endregion
}
