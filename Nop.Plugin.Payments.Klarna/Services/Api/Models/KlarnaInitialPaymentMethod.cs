using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents the payment method the customer chose at purchase
/// </summary>
public class KlarnaInitialPaymentMethod
{
    /// <summary>
    /// Gets or sets the type, e.g. INVOICE, FIXED_AMOUNT (kept as string, the list grows)
    /// </summary>
    [JsonProperty("type")]
    public string Type { get; set; }

    /// <summary>
    /// Gets or sets the human readable description
    /// </summary>
    [JsonProperty("description")]
    public string Description { get; set; }

    /// <summary>
    /// Gets or sets the number of instalments (instalment products only)
    /// </summary>
    [JsonProperty("number_of_installments")]
    public int? NumberOfInstallments { get; set; }
}
