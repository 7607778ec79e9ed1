using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents a Klarna refund (amounts in minor units)
/// </summary>
public class KlarnaRefund
{
    /// <summary>
    /// Gets or sets the refund id
    /// </summary>
    [JsonProperty("refund_id")]
    public string RefundId { get; set; }

    /// <summary>
    /// Gets or sets the refunded amount (minor units)
    /// </summary>
    [JsonProperty("refunded_amount")]
    public long RefundedAmount { get; set; }

    /// <summary>
    /// Gets or sets the refund time
    /// </summary>
    [JsonProperty("refunded_at")]
    public DateTimeOffset? RefundedAt { get; set; }

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
    /// Gets or sets the refunded lines
    /// </summary>
    [JsonProperty("order_lines")]
    public List<KlarnaOrderLine> OrderLines { get; set; }
}
