using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents the customer's addresses as the browser passes them to Klarna.Payments.authorize / finalize (data) and as
/// create order sends them: the same object in both, so that Klarna matches the order to what it authorized
/// </summary>
public class KlarnaCustomerData
{
    /// <summary>
    /// Gets or sets the billing address
    /// </summary>
    [JsonProperty("billing_address", NullValueHandling = NullValueHandling.Ignore)]
    public KlarnaAddress BillingAddress { get; set; }

    /// <summary>
    /// Gets or sets the shipping address (null when nothing is shipped, or picked up in store: Klarna copies the billing address)
    /// </summary>
    [JsonProperty("shipping_address", NullValueHandling = NullValueHandling.Ignore)]
    public KlarnaAddress ShippingAddress { get; set; }
}
