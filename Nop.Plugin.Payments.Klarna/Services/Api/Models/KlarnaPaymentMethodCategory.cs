using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents a payment method category offered for a session
/// </summary>
public class KlarnaPaymentMethodCategory
{
    /// <summary>
    /// Gets or sets the identifier, e.g. klarna, pay_later, pay_over_time
    /// </summary>
    [JsonProperty("identifier")]
    public string Identifier { get; set; }

    /// <summary>
    /// Gets or sets the display name
    /// </summary>
    [JsonProperty("name")]
    public string Name { get; set; }

    /// <summary>
    /// Gets or sets the asset URLs
    /// </summary>
    [JsonProperty("asset_urls")]
    public KlarnaAssetUrls AssetUrls { get; set; }
}
