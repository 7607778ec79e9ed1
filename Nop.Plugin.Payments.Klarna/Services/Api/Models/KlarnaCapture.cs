using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents a Klarna capture (amounts in minor units)
/// </summary>
public class KlarnaCapture
{
    /// <summary>
    /// Gets or sets the capture id
    /// </summary>
    [JsonProperty("capture_id")]
    public string CaptureId { get; set; }

    /// <summary>
    /// Gets or sets the customer-facing reference, e.g. K4MADNY-1
    /// </summary>
    [JsonProperty("klarna_reference")]
    public string KlarnaReference { get; set; }

    /// <summary>
    /// Gets or sets the captured amount (minor units)
    /// </summary>
    [JsonProperty("captured_amount")]
    public long CapturedAmount { get; set; }

    /// <summary>
    /// Gets or sets the capture time
    /// </summary>
    [JsonProperty("captured_at")]
    public DateTimeOffset? CapturedAt { get; set; }

    /// <summary>
    /// Gets or sets the description
    /// </summary>
    [JsonProperty("description")]
    public string Description { get; set; }

    /// <summary>
    /// Gets or sets the merchant reference
    /// </summary>
    [JsonProperty("reference")]
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets the captured lines
    /// </summary>
    [JsonProperty("order_lines")]
    public List<KlarnaOrderLine> OrderLines { get; set; }

    /// <summary>
    /// Gets or sets the amount refunded against this capture (minor units)
    /// </summary>
    [JsonProperty("refunded_amount")]
    public long RefundedAmount { get; set; }

    /// <summary>
    /// Gets or sets the shipping information
    /// </summary>
    [JsonProperty("shipping_info")]
    public List<KlarnaShippingInfo> ShippingInfo { get; set; }

    /// <summary>
    /// Gets or sets the billing address
    /// </summary>
    [JsonProperty("billing_address")]
    public KlarnaAddress BillingAddress { get; set; }

    /// <summary>
    /// Gets or sets the shipping address
    /// </summary>
    [JsonProperty("shipping_address")]
    public KlarnaAddress ShippingAddress { get; set; }
}
