using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents merchant URLs of a Klarna Payments session / order
/// </summary>
public class KlarnaMerchantUrls
{
    /// <summary>
    /// Gets or sets the confirmation URL (browser after redirect_url)
    /// </summary>
    [JsonProperty("confirmation")]
    public string Confirmation { get; set; }

    /// <summary>
    /// Gets or sets the notification URL (fraud decisions)
    /// </summary>
    [JsonProperty("notification")]
    public string Notification { get; set; }

    /// <summary>
    /// Gets or sets the push URL
    /// </summary>
    [JsonProperty("push")]
    public string Push { get; set; }

    /// <summary>
    /// Gets or sets the authorization callback URL
    /// </summary>
    [JsonProperty("authorization")]
    public string Authorization { get; set; }
}
