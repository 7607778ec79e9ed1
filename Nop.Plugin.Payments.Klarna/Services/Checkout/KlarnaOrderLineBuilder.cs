using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Turns a nopCommerce order or cart into Klarna order lines that satisfy every arithmetic rule Klarna checks
/// (API.md §6.3, <see cref="KlarnaLineRules"/>). Pure: no I/O, no nopCommerce services.
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

    #endregion

    #region Utilities

    private static long Minor(decimal primaryAmount, KlarnaOrderLineSource source) =>
        KlarnaAmount.ToMinor(primaryAmount * source.CurrencyRate, source.CurrencyCode);

    private static KlarnaOrderLine SingleLine(string type, string name, string reference, long amount, int taxRate, KlarnaLineText text)
    {
        return new KlarnaOrderLine
        {
            Type = type,
            Name = KlarnaText.Truncate(string.IsNullOrWhiteSpace(name) ? type : name, KlarnaLineRules.MaxTextLength),
            Reference = text.UniqueReference(reference),
            Quantity = 1,
            UnitPrice = amount,
            TotalAmount = amount,
            TotalDiscountAmount = 0,
            TaxRate = taxRate,
            TotalTaxAmount = KlarnaLineRules.TaxOf(amount, taxRate)
        };
    }

    /// <summary>
    /// Adds the subtotal discount: one discount line per tax rate of the products, split in proportion to their totals
    /// </summary>
    private static void AddSubTotalDiscount(List<KlarnaOrderLine> lines, long subTotalDiscount, SortedDictionary<int, long> itemTotalsByRate,
        KlarnaLineNames names, KlarnaLineText text)
    {
        var weights = itemTotalsByRate.Where(pair => pair.Value > 0).ToList();
        if (weights.Count <= 1)
        {
            var rate = weights.Count == 1 ? weights[0].Key : 0;
            lines.Add(SingleLine(KlarnaOrderLineType.Discount, names.SubTotalDiscount, "discount-subtotal", -subTotalDiscount, rate, text));
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
                    $"discount-subtotal-{weights[i].Key}", -share, weights[i].Key, text));
            }
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Builds the Klarna order lines
    /// </summary>
    /// <param name="source">The order or cart, as nopCommerce computed it</param>
    /// <param name="names">Names of the non-product lines, in the customer's language (<see cref="KlarnaLineNames.LoadAsync"/>)</param>
    /// <returns>The lines, order amount and order tax amount</returns>
    public static KlarnaOrderLines Build(KlarnaOrderLineSource source, KlarnaLineNames names)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(names);
        if (string.IsNullOrWhiteSpace(source.CurrencyCode))
            throw new ArgumentException("The currency is required", nameof(source));
        if (source.CurrencyRate <= 0)
            throw new ArgumentException("The currency rate must be positive", nameof(source));

        var salesTax = KlarnaCheckoutRegions.UsesSalesTax(source.PurchaseCountry);
        var text = new KlarnaLineText();
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
            var (unitPrice, discount) = KlarnaLineRules.FitLine(item.Quantity, shopUnitPrice, total);

            lines.Add(new KlarnaOrderLine
            {
                Type = item.IsDigital ? KlarnaOrderLineType.Digital : KlarnaOrderLineType.Physical,
                Name = KlarnaLineText.ItemName(item, names),
                Reference = text.UniqueReference(string.IsNullOrWhiteSpace(item.Sku) ? $"product-{item.ProductId}" : item.Sku),
                Quantity = item.Quantity,
                QuantityUnit = "pcs",
                UnitPrice = unitPrice,
                TotalDiscountAmount = discount,
                TotalAmount = total,
                TaxRate = taxRate,
                TotalTaxAmount = KlarnaLineRules.TaxOf(total, taxRate)
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

            lines.Add(SingleLine(type, charge.Name, charge.Reference ?? type, amount, taxRate, text));
        }

        // subtotal discount: one discount line per tax rate of the products
        var subTotalDiscount = Minor(salesTax ? source.SubTotalDiscountExclTax : source.SubTotalDiscountInclTax, source);
        if (subTotalDiscount > 0)
            AddSubTotalDiscount(lines, subTotalDiscount, itemTotalsByRate, names, text);

        // United States: all tax in one sales tax line
        if (salesTax)
        {
            var tax = Minor(source.OrderTax, source);
            if (tax != 0)
            {
                var line = SingleLine(KlarnaOrderLineType.SalesTax, names.SalesTax, SalesTaxReference, tax, 0, text);
                line.TotalTaxAmount = 0;
                lines.Add(line);
            }
        }

        // order total discount (applied after tax: untaxed)
        var orderDiscount = Minor(source.OrderDiscount, source);
        if (orderDiscount > 0)
            lines.Add(SingleLine(KlarnaOrderLineType.Discount, names.OrderDiscount, "discount-order", -orderDiscount, 0, text));

        // gift cards and reward points reduce what the customer pays
        foreach (var giftCard in source.GiftCards ?? Enumerable.Empty<KlarnaCreditSource>())
        {
            var amount = giftCard is null ? 0 : Minor(giftCard.Amount, source);
            if (amount > 0)
                lines.Add(SingleLine(KlarnaOrderLineType.GiftCard, giftCard.Name ?? names.GiftCard, giftCard.Reference ?? "gift-card", -amount, 0, text));
        }

        var rewardPoints = Minor(source.RewardPointsAmount, source);
        if (rewardPoints > 0)
            lines.Add(SingleLine(KlarnaOrderLineType.StoreCredit, names.RewardPoints, "reward-points", -rewardPoints, 0, text));

        // the lines add up exactly to nopCommerce's order total in the customer's currency
        result.OrderAmount = Minor(source.OrderTotal, source);
        var remainder = result.OrderAmount - lines.Sum(line => line.TotalAmount);
        if (remainder != 0)
        {
            lines.Add(SingleLine(remainder < 0 ? KlarnaOrderLineType.Discount : KlarnaOrderLineType.Surcharge,
                names.RoundingAdjustment, RoundingReference, remainder, 0, text));
            result.RoundingAdjustment = remainder;
        }

        result.OrderTaxAmount = KlarnaLineRules.ImpliedOrderTax(lines);
        return result;
    }

    #endregion
}
