using System.Collections.Generic;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Requests;

/// <summary>
/// Represents the cart of a Klarna Payments session; also the create-order body (amounts in minor units)
/// </summary>
public class KlarnaSessionRequest
{
    /// <summary>
    /// Gets or sets the purchase country (ISO 3166 alpha-2)
    /// </summary>
    [JsonProperty("purchase_country")]
    public string PurchaseCountry { get; set; }

    /// <summary>
    /// Gets or sets the purchase currency (ISO 4217)
    /// </summary>
    [JsonProperty("purchase_currency")]
    public string PurchaseCurrency { get; set; }

    /// <summary>
    /// Gets or sets the locale, e.g. de-DE
    /// </summary>
    [JsonProperty("locale")]
    public string Locale { get; set; }

    /// <summary>
    /// Gets or sets the order amount = sum of line totals (minor units)
    /// </summary>
    [JsonProperty("order_amount")]
    public long OrderAmount { get; set; }

    /// <summary>
    /// Gets or sets the order tax = sum of line taxes (minor units)
    /// </summary>
    [JsonProperty("order_tax_amount")]
    public long OrderTaxAmount { get; set; }

    /// <summary>
    /// Gets or sets the order lines (1-1000)
    /// </summary>
    [JsonProperty("order_lines")]
    public List<KlarnaOrderLine> OrderLines { get; set; }

    /// <summary>
    /// Gets or sets the merchant URLs
    /// </summary>
    [JsonProperty("merchant_urls")]
    public KlarnaMerchantUrls MerchantUrls { get; set; }

    /// <summary>
    /// Gets or sets the merchant reference 1 (shop order number)
    /// </summary>
    [JsonProperty("merchant_reference1")]
    public string MerchantReference1 { get; set; }

    /// <summary>
    /// Gets or sets the merchant reference 2
    /// </summary>
    [JsonProperty("merchant_reference2")]
    public string MerchantReference2 { get; set; }

    /// <summary>
    /// Gets or sets the merchant data
    /// </summary>
    [JsonProperty("merchant_data")]
    public string MerchantData { get; set; }

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

    /// <summary>
    /// Gets or sets the intent: buy, tokenize or buy_and_tokenize
    /// </summary>
    [JsonProperty("intent")]
    public string Intent { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether Klarna captures immediately (create order only)
    /// </summary>
    [JsonProperty("auto_capture")]
    public bool? AutoCapture { get; set; }
}
