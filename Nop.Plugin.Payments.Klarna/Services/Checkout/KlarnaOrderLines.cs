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
/// Represents the names of the lines that are not products, and the name of a product that has none, in the customer's
/// language: each is the locale resource Plugins.Payments.Klarna.Lines.{property}
/// </summary>
public class KlarnaLineNames
{
    /// <summary>
    /// Gets or sets the name of a product line whose product has no name; {0} is the product's id
    /// </summary>
    public string Product { get; set; }

    public string Shipping { get; set; }
    public string PaymentFee { get; set; }
    public string CheckoutAttributes { get; set; }
    public string SubTotalDiscount { get; set; }
    public string OrderDiscount { get; set; }
    public string GiftCard { get; set; }
    public string RewardPoints { get; set; }
    public string SalesTax { get; set; }
    public string RoundingAdjustment { get; set; }

    /// <summary>
    /// Loads every name from its locale resource
    /// </summary>
    /// <param name="resource">Gets the text of a resource key</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the names</returns>
    public static async Task<KlarnaLineNames> LoadAsync(Func<string, Task<string>> resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var names = new KlarnaLineNames();
        foreach (var property in typeof(KlarnaLineNames).GetProperties())
            property.SetValue(names, await resource(KlarnaDefaults.Locale.Lines + property.Name));

        return names;
    }
}
