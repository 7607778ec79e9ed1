using Microsoft.AspNetCore.Mvc;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Web.Framework.Controllers;

namespace Nop.Plugin.Payments.Klarna.Controllers;

/// <summary>
/// The checkout pages' calls to the shop: the confirm step's token from Klarna's finalize(). No business logic here.
/// </summary>
public class KlarnaCheckoutController : BasePaymentController
{
    #region Fields

    protected readonly IKlarnaCheckoutService _checkoutService;

    #endregion

    #region Ctor

    public KlarnaCheckoutController(IKlarnaCheckoutService checkoutService)
    {
        _checkoutService = checkoutService;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Puts the token of Klarna's finalize() into nopCommerce's payment request of the checkout (204), or answers 400 when
    /// the checkout waits for no token of that session (nothing changed)
    /// </summary>
    /// <param name="sessionId">Klarna session id</param>
    /// <param name="authorizationToken">Authorization token</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the action result</returns>
    [HttpPost]
    [ValidateAntiForgeryToken]
    public virtual async Task<IActionResult> Finalized(string sessionId, string authorizationToken)
    {
        return await _checkoutService.SaveFinalizedTokenAsync(sessionId, authorizationToken) ? NoContent() : BadRequest();
    }

    #endregion
}
