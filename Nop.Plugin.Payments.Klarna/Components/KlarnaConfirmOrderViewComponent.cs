using Microsoft.AspNetCore.Mvc;
using Newtonsoft.Json;
using Nop.Core;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Models.Public;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Services.Localization;
using Nop.Web.Framework.Components;
using Nop.Web.Framework.Infrastructure;

namespace Nop.Plugin.Payments.Klarna.Components;

/// <summary>
/// Renders, on the confirm step (widget zones CheckoutConfirmTop of the multi-step page and OpCheckoutConfirmTop of the
/// one-page checkout's AJAX step), what klarna-checkout.js needs to call Klarna's finalize() when the customer confirms the
/// order; nothing when the payment needs no finalize. The session is updated with the cart as it is now first, so that
/// finalize authorizes what the order will be.
/// </summary>
public class KlarnaConfirmOrderViewComponent : NopViewComponent
{
    #region Fields

    protected readonly IKlarnaCheckoutService _checkoutService;
    protected readonly IKlarnaCheckoutSessionService _sessionService;
    protected readonly ILocalizationService _localizationService;
    protected readonly IWebHelper _webHelper;

    #endregion

    #region Ctor

    public KlarnaConfirmOrderViewComponent(IKlarnaCheckoutService checkoutService,
        IKlarnaCheckoutSessionService sessionService,
        ILocalizationService localizationService,
        IWebHelper webHelper)
    {
        _checkoutService = checkoutService;
        _sessionService = sessionService;
        _localizationService = localizationService;
        _webHelper = webHelper;
    }

    #endregion

    #region Utilities

    protected virtual Task<string> ResourceAsync(KlarnaCheckoutMessage message) =>
        _localizationService.GetCheckoutTextAsync(message);

    #endregion

    #region Methods

    /// <summary>
    /// Prepares the model: null when the payment needs no finalize
    /// </summary>
    /// <param name="widgetZone">Widget zone name</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the model or null</returns>
    public virtual async Task<KlarnaConfirmOrderModel> PrepareModelAsync(string widgetZone)
    {
        var finalization = await _checkoutService.GetFinalizationAsync();
        if (finalization is null)
            return null;

        var session = await _sessionService.PrepareSessionAsync();
        var model = new KlarnaConfirmOrderModel
        {
            Error = session.Error,
            ClientToken = session.ClientToken,
            SessionId = session.SessionId,
            Category = finalization.Category,
            CustomerJson = session.Customer is null ? null : JsonConvert.SerializeObject(session.Customer),
            FinalizedUrl = _webHelper.GetStoreLocation() + KlarnaDefaults.Checkout.FinalizedPath,
            NotCompletedMessage = await ResourceAsync(KlarnaCheckoutMessage.NotCompleted),
            DeclinedMessage = await ResourceAsync(KlarnaCheckoutMessage.Declined),
            LoadScripts = string.Equals(widgetZone, PublicWidgetZones.CheckoutConfirmTop, StringComparison.InvariantCultureIgnoreCase)
        };

        // the authorized session ended (completed or expired): the customer pays with Klarna again
        if (model.Error is null && !string.Equals(session.SessionId, finalization.SessionId, StringComparison.Ordinal))
            model.Error = await ResourceAsync(KlarnaCheckoutMessage.AuthorizationExpired);

        return model;
    }

    /// <summary>
    /// Invoke view component
    /// </summary>
    /// <param name="widgetZone">Widget zone name</param>
    /// <param name="additionalData">Additional data</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the view component result</returns>
    public async Task<IViewComponentResult> InvokeAsync(string widgetZone, object additionalData)
    {
        var model = await PrepareModelAsync(widgetZone);
        return model is null ? Content(string.Empty) : View(KlarnaDefaults.Checkout.ConfirmOrderView, model);
    }

    #endregion
}
