using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents shipping information of a capture or an order
/// </summary>
public class KlarnaShippingInfo
{
    /// <summary>
    /// Gets or sets the shipping company (max 100 characters)
    /// </summary>
    [JsonProperty("shipping_company")]
    public string ShippingCompany { get; set; }

    /// <summary>
    /// Gets or sets the shipping method, e.g. Home, PickUpPoint
    /// </summary>
    [JsonProperty("shipping_method")]
    public string ShippingMethod { get; set; }

    /// <summary>
    /// Gets or sets the tracking number (max 100 characters)
    /// </summary>
    [JsonProperty("tracking_number")]
    public string TrackingNumber { get; set; }

    /// <summary>
    /// Gets or sets the tracking URI (max 1024 characters)
    /// </summary>
    [JsonProperty("tracking_uri")]
    public string TrackingUri { get; set; }

    /// <summary>
    /// Gets or sets the return shipping company
    /// </summary>
    [JsonProperty("return_shipping_company")]
    public string ReturnShippingCompany { get; set; }

    /// <summary>
    /// Gets or sets the return tracking number
    /// </summary>
    [JsonProperty("return_tracking_number")]
    public string ReturnTrackingNumber { get; set; }

    /// <summary>
    /// Gets or sets the return tracking URI
    /// </summary>
    [JsonProperty("return_tracking_uri")]
    public string ReturnTrackingUri { get; set; }
}
