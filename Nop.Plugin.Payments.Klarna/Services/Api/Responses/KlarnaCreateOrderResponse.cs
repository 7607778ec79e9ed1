using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Responses;

/// <summary>
/// Represents the response of a Klarna Payments create-order call
/// </summary>
public class KlarnaCreateOrderResponse
{
    /// <summary>
    /// Gets or sets the Klarna order id
    /// </summary>
    [JsonProperty("order_id")]
    public string OrderId { get; set; }

    /// <summary>
    /// Gets or sets the redirect URL (only when merchant_urls.confirmation was sent)
    /// </summary>
    [JsonProperty("redirect_url")]
    public string RedirectUrl { get; set; }

    /// <summary>
    /// Gets or sets the fraud status: ACCEPTED, PENDING or REJECTED
    /// </summary>
    [JsonProperty("fraud_status")]
    public string FraudStatus { get; set; }

    /// <summary>
    /// Gets or sets the authorized payment method (Klarna sends an object, some samples a plain string)
    /// </summary>
    [JsonProperty("authorized_payment_method")]
    [JsonConverter(typeof(KlarnaAuthorizedPaymentMethodConverter))]
    public KlarnaAuthorizedPaymentMethod AuthorizedPaymentMethod { get; set; }
}
