using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Klarna's arithmetic rules of order lines (API.md §6.3), in minor units: the tax of a line at its rate and Klarna's ±1
/// minor unit tolerance, a line whose quantity × unit price − discount is its total exactly, the order tax the lines imply,
/// and the check of a whole set of lines. Pure; the order lines of a checkout (<see cref="KlarnaOrderLineBuilder"/>) and
/// the parts of lines captured or refunded (KlarnaOrderLineMath) both follow them.
/// </summary>
public static class KlarnaLineRules
{
    #region Constants

    /// <summary>
    /// Gets the longest name or reference Klarna takes
    /// </summary>
    public const int MaxTextLength = 255;

    #endregion

    #region Methods

    /// <summary>
    /// Gets the tax included in a gross amount at a rate, the way Klarna checks it
    /// </summary>
    /// <param name="totalAmount">Gross amount (minor units; negative for discounts)</param>
    /// <param name="taxRate">Rate in basis points of percent</param>
    /// <returns>Tax amount (minor units)</returns>
    public static long TaxOf(long totalAmount, long taxRate)
    {
        if (taxRate <= 0 || totalAmount == 0)
            return 0;

        var net = Math.Round(totalAmount * 10000m / (10000m + taxRate), 0, MidpointRounding.AwayFromZero);
        return totalAmount - decimal.ToInt64(net);
    }

    /// <summary>
    /// Gets a value indicating whether a line's tax is within Klarna's ±1 minor unit of the exact tax of its total at its
    /// rate: |tax − total × rate / (10000 + rate)| ≤ 1, computed without rounding (API.md §6.3 rule 2)
    /// </summary>
    /// <param name="totalAmount">Gross amount (minor units)</param>
    /// <param name="taxRate">Rate in basis points of percent</param>
    /// <param name="taxAmount">Tax amount (minor units)</param>
    /// <returns>True when Klarna accepts the tax</returns>
    public static bool IsTaxWithinOneMinorUnit(long totalAmount, long taxRate, long taxAmount)
    {
        var rate = Math.Max(0, taxRate);
        return Math.Abs(taxAmount * (10000 + rate) - totalAmount * rate) <= 10000 + rate;
    }

    /// <summary>
    /// Builds a line of quantity × unit price − discount = total exactly, keeping the unit price as close as possible to
    /// the shop's unit price
    /// </summary>
    /// <param name="quantity">Quantity (≥ 1)</param>
    /// <param name="unitPrice">Shop unit price before discount (minor units)</param>
    /// <param name="total">Line total after discount (minor units, ≥ 0)</param>
    /// <returns>The unit price and the discount to send</returns>
    public static (long UnitPrice, long Discount) FitLine(long quantity, long unitPrice, long total)
    {
        if (quantity <= 0)
            throw new ArgumentOutOfRangeException(nameof(quantity));

        if (unitPrice < 0)
            unitPrice = 0;

        if (quantity * unitPrice >= total)
            return (unitPrice, quantity * unitPrice - total);

        // the shop's unit price (rounded) is too small for the total: next unit price that covers it, rest as discount
        var covering = (total + quantity - 1) / quantity;
        return (covering, quantity * covering - total);
    }

    /// <summary>
    /// Gets the order tax the lines imply: Σ total_tax_amount, a sales_tax line contributing its total_amount
    /// </summary>
    /// <param name="lines">Order lines</param>
    /// <returns>Order tax amount (minor units)</returns>
    public static long ImpliedOrderTax(IEnumerable<KlarnaOrderLine> lines) =>
        lines.Sum(line => line.Type == KlarnaOrderLineType.SalesTax ? line.TotalAmount : line.TotalTaxAmount);

    /// <summary>
    /// Checks the lines against every arithmetic rule Klarna Payments validates (API.md §6.3); used by the tests and as a
    /// last guard before a request leaves the plugin
    /// </summary>
    /// <param name="lines">The lines</param>
    /// <returns>The Klarna field of the first violation (for the log), or null when the lines are valid</returns>
    public static string Validate(KlarnaOrderLines lines)
    {
        if (lines?.Lines is null || lines.Lines.Count == 0 || lines.Lines.Count > 1000)
            return "order_lines[1..1000]";
        if (lines.OrderAmount < 0 || lines.OrderAmount > 200_000_000)
            return "order_amount[0..200000000]";

        var references = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < lines.Lines.Count; i++)
        {
            var line = lines.Lines[i];
            if (string.IsNullOrEmpty(line.Name) || line.Name.Length > MaxTextLength)
                return $"order_lines[{i}].name";
            if (line.Reference?.Length > MaxTextLength || !references.Add(line.Reference ?? string.Empty))
                return $"order_lines[{i}].reference";
            if (line.Quantity < 0)
                return $"order_lines[{i}].quantity";
            if (Math.Abs(line.UnitPrice) > 200_000_000 || Math.Abs(line.TotalAmount) > 200_000_000)
                return $"order_lines[{i}].unit_price/total_amount";
            if (line.TaxRate is < 0 or > 10000)
                return $"order_lines[{i}].tax_rate";
            if (line.TotalDiscountAmount < 0 || line.TotalDiscountAmount > 200_000_000)
                return $"order_lines[{i}].total_discount_amount";
            if (line.TotalAmount != line.Quantity * line.UnitPrice - line.TotalDiscountAmount)
                return $"order_lines[{i}].total_amount";
            if (line.Type != KlarnaOrderLineType.SalesTax && !IsTaxWithinOneMinorUnit(line.TotalAmount, line.TaxRate, line.TotalTaxAmount))
                return $"order_lines[{i}].total_tax_amount";
            if (lines.SalesTaxStyle && line.Type != KlarnaOrderLineType.SalesTax && (line.TaxRate != 0 || line.TotalTaxAmount != 0))
                return $"order_lines[{i}].tax_rate(sales_tax)";
        }

        if (lines.Lines.Sum(line => line.TotalAmount) != lines.OrderAmount)
            return "order_amount";
        if (lines.OrderTaxAmount != ImpliedOrderTax(lines.Lines))
            return "order_tax_amount";

        return null;
    }

    #endregion
}
