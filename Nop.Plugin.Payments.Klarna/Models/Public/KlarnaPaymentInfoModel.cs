using Nop.Web.Framework.Models;

namespace Nop.Plugin.Payments.Klarna.Models.Public;

/// <summary>
/// Represents the payment info step of the checkout (Klarna widget)
/// </summary>
public record KlarnaPaymentInfoModel : BaseNopModel
{
    /// <summary>
    /// Gets or sets the error shown instead of the widget
    /// </summary>
    public string Error { get; set; }

    /// <summary>
    /// Gets or sets the session id
    /// </summary>
    public string SessionId { get; set; }

    /// <summary>
    /// Gets or sets the client token
    /// </summary>
    public string ClientToken { get; set; }

    /// <summary>
    /// Gets or sets the customer's addresses (JSON) the browser passes to Klarna's authorize as data; create order sends the same
    /// </summary>
    public string CustomerJson { get; set; }

    /// <summary>
    /// Gets or sets the payment method categories offered
    /// </summary>
    public IList<KlarnaPaymentCategoryModel> Categories { get; set; } = new List<KlarnaPaymentCategoryModel>();

    /// <summary>
    /// Gets or sets the message when the customer closed or did not complete the widget
    /// </summary>
    public string NotCompletedMessage { get; set; }

    /// <summary>
    /// Gets or sets the message when Klarna declined
    /// </summary>
    public string DeclinedMessage { get; set; }

    /// <summary>
    /// Gets or sets the message while Klarna is loading
    /// </summary>
    public string LoadingMessage { get; set; }
}

/// <summary>
/// Represents a payment method category offered by the session
/// </summary>
public record KlarnaPaymentCategoryModel
{
    public string Identifier { get; set; }
    public string Name { get; set; }
    public string LogoUrl { get; set; }
}
