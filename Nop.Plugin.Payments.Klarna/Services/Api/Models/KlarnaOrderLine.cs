using Newtonsoft.Json;

namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents a Klarna order line (amounts in minor units, tax rate in basis points)
/// </summary>
public class KlarnaOrderLine
{
    /// <summary>
    /// Gets or sets the line type (see KlarnaOrderLineType)
    /// </summary>
    [JsonProperty("type")]
    public string Type { get; set; }

    /// <summary>
    /// Gets or sets the article number / SKU (use the same value in capture and refund lines)
    /// </summary>
    [JsonProperty("reference")]
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets the line name
    /// </summary>
    [JsonProperty("name")]
    public string Name { get; set; }

    /// <summary>
    /// Gets or sets the quantity
    /// </summary>
    [JsonProperty("quantity")]
    public long Quantity { get; set; }

    /// <summary>
    /// Gets or sets the quantity unit, e.g. pcs
    /// </summary>
    [JsonProperty("quantity_unit")]
    public string QuantityUnit { get; set; }

    /// <summary>
    /// Gets or sets the unit price including tax, before discount (minor units)
    /// </summary>
    [JsonProperty("unit_price")]
    public long UnitPrice { get; set; }

    /// <summary>
    /// Gets or sets the tax rate in basis points of percent (2500 = 25 %)
    /// </summary>
    [JsonProperty("tax_rate")]
    public int TaxRate { get; set; }

    /// <summary>
    /// Gets or sets the line total = quantity * unit_price - total_discount_amount (minor units)
    /// </summary>
    [JsonProperty("total_amount")]
    public long TotalAmount { get; set; }

    /// <summary>
    /// Gets or sets the discount including tax (minor units, non-negative)
    /// </summary>
    [JsonProperty("total_discount_amount")]
    public long TotalDiscountAmount { get; set; }

    /// <summary>
    /// Gets or sets the tax of the line total (minor units; negative for discount lines)
    /// </summary>
    [JsonProperty("total_tax_amount")]
    public long TotalTaxAmount { get; set; }

    /// <summary>
    /// Gets or sets free merchant data of the line
    /// </summary>
    [JsonProperty("merchant_data")]
    public string MerchantData { get; set; }

    /// <summary>
    /// Gets or sets the product URL
    /// </summary>
    [JsonProperty("product_url")]
    public string ProductUrl { get; set; }

    /// <summary>
    /// Gets or sets the product image URL
    /// </summary>
    [JsonProperty("image_url")]
    public string ImageUrl { get; set; }
}
