using System.Collections.Generic;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Requests;

/// <summary>
/// Represents the body of a refund (amounts in minor units)
/// </summary>
public class KlarnaRefundRequest
{
    /// <summary>
    /// Gets or sets the amount to refund (minor units)
    /// </summary>
    [JsonProperty("refunded_amount")]
    public long RefundedAmount { get; set; }

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
    /// Gets or sets the refunded lines (their totals add up to refunded_amount)
    /// </summary>
    [JsonProperty("order_lines")]
    public List<KlarnaOrderLine> OrderLines { get; set; }
}
