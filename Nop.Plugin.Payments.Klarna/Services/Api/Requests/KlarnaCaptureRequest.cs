using System.Collections.Generic;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Requests;

/// <summary>
/// Represents the body of a capture (amounts in minor units)
/// </summary>
public class KlarnaCaptureRequest
{
    /// <summary>
    /// Gets or sets the amount to capture (minor units)
    /// </summary>
    [JsonProperty("captured_amount")]
    public long CapturedAmount { get; set; }

    /// <summary>
    /// Gets or sets the description shown to the customer
    /// </summary>
    [JsonProperty("description")]
    public string Description { get; set; }

    /// <summary>
    /// Gets or sets the reference shown in settlement files
    /// </summary>
    [JsonProperty("reference")]
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets the captured lines (their totals add up to captured_amount)
    /// </summary>
    [JsonProperty("order_lines")]
    public List<KlarnaOrderLine> OrderLines { get; set; }

    /// <summary>
    /// Gets or sets the shipping information
    /// </summary>
    [JsonProperty("shipping_info")]
    public List<KlarnaShippingInfo> ShippingInfo { get; set; }

    /// <summary>
    /// Gets or sets the shipping delay in days
    /// </summary>
    [JsonProperty("shipping_delay")]
    public int? ShippingDelay { get; set; }
}
