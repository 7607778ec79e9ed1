using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents the authorized payment method returned when a Klarna Payments order is created
/// </summary>
public class KlarnaAuthorizedPaymentMethod
{
    /// <summary>
    /// Gets or sets the type, e.g. invoice, fixed_amount
    /// </summary>
    [JsonProperty("type")]
    public string Type { get; set; }

    /// <summary>
    /// Gets or sets the number of days (invoice)
    /// </summary>
    [JsonProperty("number_of_days")]
    public int? NumberOfDays { get; set; }

    /// <summary>
    /// Gets or sets the number of instalments
    /// </summary>
    [JsonProperty("number_of_installments")]
    public int? NumberOfInstallments { get; set; }
}
