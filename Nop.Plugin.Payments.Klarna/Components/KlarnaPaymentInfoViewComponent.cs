using Microsoft.AspNetCore.Mvc;
using Newtonsoft.Json;
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
    protected readonly IWorkContext _workContext;
    protected readonly IKlarnaCheckoutAttemptSettler _attemptSettler;

    #endregion

    #region Ctor

    public KlarnaPaymentInfoViewComponent(IKlarnaCheckoutSessionService sessionService,
        ILocalizationService localizationService,
        IWorkContext workContext,
        IKlarnaCheckoutAttemptSettler attemptSettler)
    {
        _sessionService = sessionService;
        _localizationService = localizationService;
        _workContext = workContext;
        _attemptSettler = attemptSettler;
    }

    #endregion

    #region Utilities

    protected virtual Task<string> ResourceAsync(KlarnaCheckoutMessage message) =>
        _localizationService.GetCheckoutTextAsync(message);

    #endregion

    #region Methods

    /// <summary>
    /// Prepares the model of the payment info step: a Klarna Payments session for the current cart
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the model</returns>
    public virtual async Task<KlarnaPaymentInfoModel> PrepareModelAsync()
    {
        // the customer's earlier checkouts (a lost answer, a Klarna order nopCommerce never saved) are settled first
        var customer = await _workContext.GetCurrentCustomerAsync();
        await _attemptSettler.SettleCustomerAsync(customer.Id);

        var session = await _sessionService.PrepareSessionAsync();
        return new KlarnaPaymentInfoModel
        {
            Error = session.Error,
            SessionId = session.SessionId,
            ClientToken = session.ClientToken,
            CustomerJson = session.Customer is null ? null : JsonConvert.SerializeObject(session.Customer),
            Categories = session.Categories.Select(category => new KlarnaPaymentCategoryModel
            {
                Identifier = category.Identifier,
                Name = category.Name,
                LogoUrl = category.AssetUrls?.Standard
            }).ToList(),
            NotCompletedMessage = await ResourceAsync(KlarnaCheckoutMessage.NotCompleted),
            DeclinedMessage = await ResourceAsync(KlarnaCheckoutMessage.Declined),
            LoadingMessage = await ResourceAsync(KlarnaCheckoutMessage.Loading)
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
