using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents asset URLs of a payment method category
/// </summary>
public class KlarnaAssetUrls
{
    /// <summary>
    /// Gets or sets the descriptive asset URL
    /// </summary>
    [JsonProperty("descriptive")]
    public string Descriptive { get; set; }

    /// <summary>
    /// Gets or sets the standard asset URL
    /// </summary>
    [JsonProperty("standard")]
    public string Standard { get; set; }
}
