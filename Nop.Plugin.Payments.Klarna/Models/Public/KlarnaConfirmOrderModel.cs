using Nop.Web.Framework.Models;

namespace Nop.Plugin.Payments.Klarna.Models.Public;

/// <summary>
/// Represents the confirm step of a payment whose Klarna authorization waits for finalize() (multi-step flow, pay-now
/// categories): what klarna-checkout.js needs to finalize when the customer confirms the order
/// </summary>
public record KlarnaConfirmOrderModel : BaseNopModel
{
    /// <summary>
    /// Gets or sets the error shown instead (the session is gone: the customer pays with Klarna again)
    /// </summary>
    public string Error { get; set; }

    /// <summary>
    /// Gets or sets the client token of the session (updated with the cart as it is now)
    /// </summary>
    public string ClientToken { get; set; }

    /// <summary>
    /// Gets or sets the session id
    /// </summary>
    public string SessionId { get; set; }

    /// <summary>
    /// Gets or sets the payment method category the customer authorized
    /// </summary>
    public string Category { get; set; }

    /// <summary>
    /// Gets or sets the customer's addresses (JSON), passed to finalize as data; create order sends the same
    /// </summary>
    public string CustomerJson { get; set; }

    /// <summary>
    /// Gets or sets the address the finalized token is posted to
    /// </summary>
    public string FinalizedUrl { get; set; }

    /// <summary>
    /// Gets or sets the message when the customer closed or did not complete the widget
    /// </summary>
    public string NotCompletedMessage { get; set; }

    /// <summary>
    /// Gets or sets the message when Klarna declined
    /// </summary>
    public string DeclinedMessage { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the page loads the checkout scripts here (the multi-step confirm page; the
    /// one-page checkout has them already)
    /// </summary>
    public bool LoadScripts { get; set; }
}
