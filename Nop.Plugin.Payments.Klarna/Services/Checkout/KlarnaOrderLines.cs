using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents the Klarna order lines of an order or cart, with the order amount and tax they add up to (minor units)
/// </summary>
public class KlarnaOrderLines
{
    /// <summary>
    /// Gets or sets the purchase currency
    /// </summary>
    public string CurrencyCode { get; set; }

    /// <summary>
    /// Gets or sets the lines
    /// </summary>
    public List<KlarnaOrderLine> Lines { get; set; } = new();

    /// <summary>
    /// Gets or sets the order amount (minor units): nopCommerce's order total in the customer's currency, == Σ lines
    /// </summary>
    public long OrderAmount { get; set; }

    /// <summary>
    /// Gets or sets the order tax amount (minor units): Σ total_tax_amount (the sales tax line's total in the United States)
    /// </summary>
    public long OrderTaxAmount { get; set; }

    /// <summary>
    /// Gets or sets the amount of the rounding adjustment line (0 when there is none)
    /// </summary>
    public long RoundingAdjustment { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether taxes are sent as one sales tax line (United States)
    /// </summary>
    public bool SalesTaxStyle { get; set; }
}

/// <summary>
/// Represents the names of the lines that are not products (localized by the caller)
/// </summary>
public class KlarnaLineNames
{
    public string Shipping { get; set; } = "Shipping";
    public string PaymentFee { get; set; } = "Payment fee";
    public string CheckoutAttributes { get; set; } = "Checkout attributes";
    public string SubTotalDiscount { get; set; } = "Discount";
    public string OrderDiscount { get; set; } = "Order discount";
    public string GiftCard { get; set; } = "Gift card";
    public string RewardPoints { get; set; } = "Reward points";
    public string SalesTax { get; set; } = "Sales Tax";
    public string RoundingAdjustment { get; set; } = "Rounding adjustment";
}
