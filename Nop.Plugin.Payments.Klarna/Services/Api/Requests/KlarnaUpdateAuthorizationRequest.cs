using System.Collections.Generic;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Requests;

/// <summary>
/// Represents the body of an order amount / lines update (amounts in minor units)
/// </summary>
public class KlarnaUpdateAuthorizationRequest
{
    /// <summary>
    /// Gets or sets the new order amount (minor units)
    /// </summary>
    [JsonProperty("order_amount")]
    public long OrderAmount { get; set; }

    /// <summary>
    /// Gets or sets the description of the change
    /// </summary>
    [JsonProperty("description")]
    public string Description { get; set; }

    /// <summary>
    /// Gets or sets the new order lines (replace the old ones; always send them)
    /// </summary>
    [JsonProperty("order_lines")]
    public List<KlarnaOrderLine> OrderLines { get; set; }
}
