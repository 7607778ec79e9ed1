using System.Text;
using Microsoft.AspNetCore.Mvc;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Web.Framework.Controllers;

namespace Nop.Plugin.Payments.Klarna.Controllers;

/// <summary>
/// Klarna's server-to-server calls to the shop (fraud-status notifications). No business logic here.
/// </summary>
public class KlarnaPublicController : BasePaymentController
{
    #region Fields

    protected readonly IKlarnaCheckoutNotificationService _notificationService;

    #endregion

    #region Ctor

    public KlarnaPublicController(IKlarnaCheckoutNotificationService notificationService)
    {
        _notificationService = notificationService;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Reads the body up to the limit; null when it is larger
    /// </summary>
    protected virtual async Task<string> ReadBodyAsync()
    {
        var limit = KlarnaDefaults.Checkout.MaxNotificationBytes;
        if (Request.ContentLength > limit)
            return null;

        var buffer = new byte[limit + 1];
        var read = 0;
        int count;
        while (read <= limit && (count = await Request.Body.ReadAsync(buffer.AsMemory(read, buffer.Length - read), HttpContext.RequestAborted)) > 0)
            read += count;

        return read > limit ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    #endregion

    #region Methods

    /// <summary>
    /// Klarna's fraud-status notification (merchant_urls.notification): 200 when handled, 4xx when refused (nothing changed)
    /// </summary>
    /// <param name="secret">The secret of the notification URL</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the action result</returns>
    [HttpPost]
    [IgnoreAntiforgeryToken]
    public virtual async Task<IActionResult> Notification(string secret)
    {
        var body = await ReadBodyAsync();
        if (body is null)
            return StatusCode(413);

        var outcome = await _notificationService.HandleAsync(secret, body);
        return StatusCode(outcome.StatusCode, outcome.Message);
    }

    #endregion
}
