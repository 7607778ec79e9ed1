using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents a Klarna address
/// </summary>
public class KlarnaAddress
{
    /// <summary>
    /// Gets or sets the title
    /// </summary>
    [JsonProperty("title")]
    public string Title { get; set; }

    /// <summary>
    /// Gets or sets the given name
    /// </summary>
    [JsonProperty("given_name")]
    public string GivenName { get; set; }

    /// <summary>
    /// Gets or sets the family name
    /// </summary>
    [JsonProperty("family_name")]
    public string FamilyName { get; set; }

    /// <summary>
    /// Gets or sets the email
    /// </summary>
    [JsonProperty("email")]
    public string Email { get; set; }

    /// <summary>
    /// Gets or sets the phone
    /// </summary>
    [JsonProperty("phone")]
    public string Phone { get; set; }

    /// <summary>
    /// Gets or sets the street address
    /// </summary>
    [JsonProperty("street_address")]
    public string StreetAddress { get; set; }

    /// <summary>
    /// Gets or sets the second street address line
    /// </summary>
    [JsonProperty("street_address2")]
    public string StreetAddress2 { get; set; }

    /// <summary>
    /// Gets or sets the postal code
    /// </summary>
    [JsonProperty("postal_code")]
    public string PostalCode { get; set; }

    /// <summary>
    /// Gets or sets the city
    /// </summary>
    [JsonProperty("city")]
    public string City { get; set; }

    /// <summary>
    /// Gets or sets the region / state
    /// </summary>
    [JsonProperty("region")]
    public string Region { get; set; }

    /// <summary>
    /// Gets or sets the ISO 3166 alpha-2 country
    /// </summary>
    [JsonProperty("country")]
    public string Country { get; set; }

    /// <summary>
    /// Gets or sets the organization name
    /// </summary>
    [JsonProperty("organization_name")]
    public string OrganizationName { get; set; }

    /// <summary>
    /// Gets or sets the attention line
    /// </summary>
    [JsonProperty("attention")]
    public string Attention { get; set; }
}
