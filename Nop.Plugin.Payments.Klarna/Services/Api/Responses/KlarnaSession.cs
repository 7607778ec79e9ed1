using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents a Klarna Payments session (create and read responses; amounts in minor units)
/// </summary>
public class KlarnaSession
{
    /// <summary>
    /// Gets or sets the session id
    /// </summary>
    [JsonProperty("session_id")]
    public string SessionId { get; set; }

    /// <summary>
    /// Gets or sets the client token for the browser library
    /// </summary>
    [JsonProperty("client_token")]
    public string ClientToken { get; set; }

    /// <summary>
    /// Gets or sets the offered payment method categories
    /// </summary>
    [JsonProperty("payment_method_categories")]
    public List<KlarnaPaymentMethodCategory> PaymentMethodCategories { get; set; }

    /// <summary>
    /// Gets or sets the status: incomplete or complete
    /// </summary>
    [JsonProperty("status")]
    public string Status { get; set; }

    /// <summary>
    /// Gets or sets the expiry time of the session
    /// </summary>
    [JsonProperty("expires_at")]
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>
    /// Gets or sets the authorization token once authorized
    /// </summary>
    [JsonProperty("authorization_token")]
    public string AuthorizationToken { get; set; }

    /// <summary>
    /// Gets or sets the purchase country
    /// </summary>
    [JsonProperty("purchase_country")]
    public string PurchaseCountry { get; set; }

    /// <summary>
    /// Gets or sets the purchase currency
    /// </summary>
    [JsonProperty("purchase_currency")]
    public string PurchaseCurrency { get; set; }

    /// <summary>
    /// Gets or sets the locale
    /// </summary>
    [JsonProperty("locale")]
    public string Locale { get; set; }

    /// <summary>
    /// Gets or sets the order amount (minor units)
    /// </summary>
    [JsonProperty("order_amount")]
    public long OrderAmount { get; set; }

    /// <summary>
    /// Gets or sets the order tax amount (minor units)
    /// </summary>
    [JsonProperty("order_tax_amount")]
    public long OrderTaxAmount { get; set; }

    /// <summary>
    /// Gets or sets the order lines
    /// </summary>
    [JsonProperty("order_lines")]
    public List<KlarnaOrderLine> OrderLines { get; set; }

    /// <summary>
    /// Gets or sets the merchant URLs
    /// </summary>
    [JsonProperty("merchant_urls")]
    public KlarnaMerchantUrls MerchantUrls { get; set; }

    /// <summary>
    /// Gets or sets the merchant reference 1
    /// </summary>
    [JsonProperty("merchant_reference1")]
    public string MerchantReference1 { get; set; }

    /// <summary>
    /// Gets or sets the merchant reference 2
    /// </summary>
    [JsonProperty("merchant_reference2")]
    public string MerchantReference2 { get; set; }

    /// <summary>
    /// Gets or sets the intent
    /// </summary>
    [JsonProperty("intent")]
    public string Intent { get; set; }
}
