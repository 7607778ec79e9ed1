using System.Net;
using System.Text.RegularExpressions;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

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
/// Turns a nopCommerce order or cart into Klarna order lines that satisfy every arithmetic rule Klarna checks
/// (API.md §6.3). Pure: no I/O, no nopCommerce services.
/// </summary>
/// <remarks>
/// Every amount goes through <see cref="KlarnaAmount.ToMinor"/> once, in the customer's currency (amount × currency rate).
/// Each line is computed in minor units: total_amount = quantity × unit_price − total_discount_amount, tax = total −
/// round(total × 10000 / (10000 + rate)). When quantity × unit price cannot give the line total exactly, the unit price is
/// raised to the next minor unit and the difference goes into total_discount_amount. The sum of the lines is then made
/// equal to the order amount (nopCommerce's order total in minor units) with a dedicated "Rounding adjustment" line.
/// Tax: per-line tax_rate and total_tax_amount everywhere except the United States, where prices are sent without tax
/// and nopCommerce's tax total is one sales_tax line (order_tax_amount = its total_amount).
/// </remarks>
public static class KlarnaOrderLineBuilder
{
    #region Constants

    /// <summary>
    /// Gets the reference of the rounding adjustment line
    /// </summary>
    public const string RoundingReference = "rounding-adjustment";

    /// <summary>
    /// Gets the reference of the sales tax line
    /// </summary>
    public const string SalesTaxReference = "sales-tax";

    private const int MaxTextLength = 255;

    #endregion

    #region Fields

    private static readonly Regex _tags = new("<[^>]*>", RegexOptions.Compiled);
    private static readonly Regex _breaks = new(@"<br\s*/?>", RegexOptions.Compiled | RegexOptions.IgnoreCase);
    private static readonly Regex _spaces = new(@"\s+", RegexOptions.Compiled);

    #endregion

    #region Utilities

    private static long Minor(decimal primaryAmount, KlarnaOrderLineSource source) =>
        KlarnaAmount.ToMinor(primaryAmount * source.CurrencyRate, source.CurrencyCode);

    /// <summary>
    /// Gets the tax included in a gross amount at a rate, the way Klarna checks it
    /// </summary>
    /// <param name="totalAmount">Gross amount (minor units; negative for discounts)</param>
    /// <param name="taxRate">Rate in basis points of percent</param>
    /// <returns>Tax amount (minor units)</returns>
    public static long TaxOf(long totalAmount, int taxRate)
    {
        if (taxRate <= 0 || totalAmount == 0)
            return 0;

        var net = Math.Round(totalAmount * 10000m / (10000m + taxRate), 0, MidpointRounding.AwayFromZero);
        return totalAmount - decimal.ToInt64(net);
    }

    private static string Truncate(string value, int length) =>
        string.IsNullOrEmpty(value) || value.Length <= length ? value : value[..length];

    /// <summary>
    /// Converts nopCommerce's HTML attribute description to plain text ("Color: Red, Size: M")
    /// </summary>
    /// <param name="html">Attribute description</param>
    /// <returns>Plain text</returns>
    public static string PlainText(string html)
    {
        if (string.IsNullOrWhiteSpace(html))
            return string.Empty;

        var text = _breaks.Replace(html, ", ");
        text = _tags.Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        text = _spaces.Replace(text, " ").Trim().Trim(',').Trim();
        return text;
    }

    private static string ItemName(KlarnaItemSource item)
    {
        var name = string.IsNullOrWhiteSpace(item.Name) ? $"Product {item.ProductId}" : item.Name.Trim();
        var attributes = PlainText(item.AttributeDescription);
        if (!string.IsNullOrEmpty(attributes))
            name = $"{name} ({attributes})";

        return Truncate(name, MaxTextLength);
    }

    /// <summary>
    /// References already used in one order and, per wanted reference, the next suffix to try: many lines with the same
    /// SKU (a product in several attribute combinations) cost one try each instead of one per earlier duplicate
    /// </summary>
    private sealed class References
    {
        public HashSet<string> Used { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, int> NextSuffix { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    private static string UniqueReference(string wanted, References references)
    {
        var used = references.Used;
        var reference = Truncate(string.IsNullOrWhiteSpace(wanted) ? "line" : wanted.Trim(), MaxTextLength);
        if (used.Add(reference))
            return reference;

        //suffixes below the remembered one are all taken (the set only grows): same result as trying from -2 each time
        for (var n = references.NextSuffix.GetValueOrDefault(reference, 2); ; n++)
        {
            var suffix = $"-{n}";
            var candidate = Truncate(reference, MaxTextLength - suffix.Length) + suffix;
            if (used.Add(candidate))
            {
                references.NextSuffix[reference] = n + 1;
                return candidate;
            }
        }
    }

    private static KlarnaOrderLine SingleLine(string type, string name, string reference, long amount, int taxRate, References used)
    {
        return new KlarnaOrderLine
        {
            Type = type,
            Name = Truncate(string.IsNullOrWhiteSpace(name) ? type : name, MaxTextLength),
            Reference = UniqueReference(reference, used),
            Quantity = 1,
            UnitPrice = amount,
            TotalAmount = amount,
            TotalDiscountAmount = 0,
            TaxRate = taxRate,
            TotalTaxAmount = TaxOf(amount, taxRate)
        };
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

    #endregion

    #region Methods

    /// <summary>
    /// Builds the Klarna order lines
    /// </summary>
    /// <param name="source">The order or cart, as nopCommerce computed it</param>
    /// <param name="names">Optional names of the non-product lines (localized); null for English</param>
    /// <returns>The lines, order amount and order tax amount</returns>
    public static KlarnaOrderLines Build(KlarnaOrderLineSource source, KlarnaLineNames names = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(source.CurrencyCode))
            throw new ArgumentException("The currency is required", nameof(source));
        if (source.CurrencyRate <= 0)
            throw new ArgumentException("The currency rate must be positive", nameof(source));

        names ??= new KlarnaLineNames();
        var salesTax = KlarnaCheckoutRegions.UsesSalesTax(source.PurchaseCountry);
        var used = new References();
        var result = new KlarnaOrderLines { CurrencyCode = source.CurrencyCode.Trim().ToUpperInvariant(), SalesTaxStyle = salesTax };
        var lines = result.Lines;

        // products
        var itemTotalsByRate = new SortedDictionary<int, long>();
        foreach (var item in source.Items ?? Enumerable.Empty<KlarnaItemSource>())
        {
            if (item is null || item.Quantity <= 0)
                continue;

            var taxRate = salesTax ? 0 : KlarnaAmount.TaxRateToBasisPoints(item.TaxRate);
            var total = Math.Max(0, Minor(salesTax ? item.TotalExclTax : item.TotalInclTax, source));
            var shopUnitPrice = Minor(salesTax ? item.UnitPriceExclTax : item.UnitPriceInclTax, source);
            var (unitPrice, discount) = FitLine(item.Quantity, shopUnitPrice, total);

            lines.Add(new KlarnaOrderLine
            {
                Type = item.IsDigital ? KlarnaOrderLineType.Digital : KlarnaOrderLineType.Physical,
                Name = ItemName(item),
                Reference = UniqueReference(string.IsNullOrWhiteSpace(item.Sku) ? $"product-{item.ProductId}" : item.Sku, used),
                Quantity = item.Quantity,
                QuantityUnit = "pcs",
                UnitPrice = unitPrice,
                TotalDiscountAmount = discount,
                TotalAmount = total,
                TaxRate = taxRate,
                TotalTaxAmount = TaxOf(total, taxRate)
            });

            itemTotalsByRate[taxRate] = itemTotalsByRate.GetValueOrDefault(taxRate) + total;
        }

        // charges: shipping, payment method fee, checkout attributes
        foreach (var charge in source.Charges ?? Enumerable.Empty<KlarnaChargeSource>())
        {
            if (charge is null)
                continue;

            var amount = Minor(salesTax ? charge.AmountExclTax : charge.AmountInclTax, source);
            if (amount == 0)
                continue;

            var taxRate = salesTax ? 0 : KlarnaAmount.TaxRateToBasisPoints(charge.TaxRate);
            var type = string.IsNullOrEmpty(charge.Type) ? KlarnaOrderLineType.Surcharge : charge.Type;
            if (amount < 0)
                type = KlarnaOrderLineType.Discount;

            lines.Add(SingleLine(type, charge.Name, charge.Reference ?? type, amount, taxRate, used));
        }

        // subtotal discount: one discount line per tax rate of the products, split in proportion to their totals
        var subTotalDiscount = Minor(salesTax ? source.SubTotalDiscountExclTax : source.SubTotalDiscountInclTax, source);
        if (subTotalDiscount > 0)
        {
            var weights = itemTotalsByRate.Where(pair => pair.Value > 0).ToList();
            if (weights.Count <= 1)
            {
                var rate = weights.Count == 1 ? weights[0].Key : 0;
                lines.Add(SingleLine(KlarnaOrderLineType.Discount, names.SubTotalDiscount, "discount-subtotal", -subTotalDiscount, rate, used));
            }
            else
            {
                var weightTotal = weights.Sum(pair => pair.Value);
                var remaining = subTotalDiscount;
                for (var i = 0; i < weights.Count; i++)
                {
                    var share = i == weights.Count - 1
                        ? remaining
                        : decimal.ToInt64(Math.Round((decimal)subTotalDiscount * weights[i].Value / weightTotal, 0, MidpointRounding.AwayFromZero));
                    share = Math.Min(share, remaining);
                    remaining -= share;
                    if (share == 0)
                        continue;

                    var percent = (weights[i].Key / 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
                    lines.Add(SingleLine(KlarnaOrderLineType.Discount, $"{names.SubTotalDiscount} ({percent} %)",
                        $"discount-subtotal-{weights[i].Key}", -share, weights[i].Key, used));
                }
            }
        }

        // United States: all tax in one sales tax line
        if (salesTax)
        {
            var tax = Minor(source.OrderTax, source);
            if (tax != 0)
            {
                var line = SingleLine(KlarnaOrderLineType.SalesTax, names.SalesTax, SalesTaxReference, tax, 0, used);
                line.TotalTaxAmount = 0;
                lines.Add(line);
            }
        }

        // order total discount (applied after tax: untaxed)
        var orderDiscount = Minor(source.OrderDiscount, source);
        if (orderDiscount > 0)
            lines.Add(SingleLine(KlarnaOrderLineType.Discount, names.OrderDiscount, "discount-order", -orderDiscount, 0, used));

        // gift cards and reward points reduce what the customer pays
        foreach (var giftCard in source.GiftCards ?? Enumerable.Empty<KlarnaCreditSource>())
        {
            var amount = giftCard is null ? 0 : Minor(giftCard.Amount, source);
            if (amount > 0)
                lines.Add(SingleLine(KlarnaOrderLineType.GiftCard, giftCard.Name ?? names.GiftCard, giftCard.Reference ?? "gift-card", -amount, 0, used));
        }

        var rewardPoints = Minor(source.RewardPointsAmount, source);
        if (rewardPoints > 0)
            lines.Add(SingleLine(KlarnaOrderLineType.StoreCredit, names.RewardPoints, "reward-points", -rewardPoints, 0, used));

        // the lines add up exactly to nopCommerce's order total in the customer's currency
        result.OrderAmount = Minor(source.OrderTotal, source);
        var remainder = result.OrderAmount - lines.Sum(line => line.TotalAmount);
        if (remainder != 0)
        {
            lines.Add(SingleLine(remainder < 0 ? KlarnaOrderLineType.Discount : KlarnaOrderLineType.Surcharge,
                names.RoundingAdjustment, RoundingReference, remainder, 0, used));
            result.RoundingAdjustment = remainder;
        }

        result.OrderTaxAmount = ImpliedOrderTax(lines);
        return result;
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
    /// <returns>The first violation, or null when the lines are valid</returns>
    public static string Validate(KlarnaOrderLines lines)
    {
        if (lines?.Lines is null || lines.Lines.Count == 0 || lines.Lines.Count > 1000)
            return "order_lines: 1-1000 lines required";
        if (lines.OrderAmount < 0 || lines.OrderAmount > 200_000_000)
            return "order_amount out of range";

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
            if (line.Type != KlarnaOrderLineType.SalesTax)
            {
                var total = (decimal)line.TotalAmount;
                var expected = total - total * 10000m / (10000m + line.TaxRate);
                if (Math.Abs(line.TotalTaxAmount - expected) > 1m)
                    return $"order_lines[{i}].total_tax_amount";
            }
            if (lines.SalesTaxStyle && line.Type != KlarnaOrderLineType.SalesTax && (line.TaxRate != 0 || line.TotalTaxAmount != 0))
                return $"order_lines[{i}].tax_rate (sales tax style)";
        }

        if (lines.Lines.Sum(line => line.TotalAmount) != lines.OrderAmount)
            return "order_amount";
        if (lines.OrderTaxAmount != ImpliedOrderTax(lines.Lines))
            return "order_tax_amount";

        return null;
    }

    #endregion
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
