using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Checkout;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Pure arithmetic over Klarna order lines in minor units: what was captured and refunded per line (by reference), and
/// the lines of a partial capture or refund. Each part of a line follows the rule of a whole line (its tax is the tax of
/// its own total at the line's rate, within Klarna's ±1 minor unit) and the parts add up to the line exactly (the last part
/// gets what is left); see <see cref="Part"/>.
/// </summary>
public static class KlarnaOrderLineMath
{
    #region Nested

    /// <summary>
    /// Running totals of one order line
    /// </summary>
    public class LineTotals
    {
        public KlarnaOrderLine Line { get; set; }
        public long CapturedQuantity { get; set; }
        public long CapturedAmount { get; set; }
        public long CapturedDiscount { get; set; }
        public long CapturedTax { get; set; }
        public long RefundedQuantity { get; set; }
        public long RefundedAmount { get; set; }
        public long RefundedDiscount { get; set; }
        public long RefundedTax { get; set; }
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets the discount of a part that is not the last one: its share of the discount left, by the quantity left
    /// </summary>
    private static long PartDiscount(KlarnaOrderLine line, long quantity, long amountLeft, long discountLeft)
    {
        // every earlier part kept total = quantity × unit price − discount, so what is left is (quantity left) × unit price
        var grossLeft = amountLeft + discountLeft;
        var quantityLeft = line.UnitPrice != 0 && grossLeft % line.UnitPrice == 0 ? grossLeft / line.UnitPrice : 0;
        var discount = quantityLeft > quantity
            ? Prorate(discountLeft, quantity, quantityLeft)
            : Prorate(line.TotalDiscountAmount, quantity, line.Quantity);

        // never more than what is left nor than the part's gross amount (discount lines have a negative unit price and none)
        var most = Math.Min(Math.Max(discountLeft, 0), Math.Max(quantity * line.UnitPrice, 0));
        return Math.Clamp(discount, 0, most);
    }

    #endregion

    #region Methods

    /// <summary>
    /// Computes the running totals of every order line of a Klarna order (captures and refunds matched by reference)
    /// </summary>
    /// <param name="order">Klarna order</param>
    /// <returns>Totals by reference, in the order of the order lines</returns>
    public static IList<LineTotals> GetLineTotals(KlarnaOrder order)
    {
        var result = new List<LineTotals>();
        var byReference = new Dictionary<string, LineTotals>(StringComparer.Ordinal);
        foreach (var line in order?.OrderLines ?? new List<KlarnaOrderLine>())
        {
            var key = Key(line);
            if (byReference.ContainsKey(key))
                continue;
            var totals = new LineTotals { Line = line };
            byReference[key] = totals;
            result.Add(totals);
        }

        foreach (var line in (order?.Captures ?? new List<KlarnaCapture>()).SelectMany(capture => capture.OrderLines ?? new List<KlarnaOrderLine>()))
        {
            if (!byReference.TryGetValue(Key(line), out var totals))
                continue;
            totals.CapturedQuantity += line.Quantity;
            totals.CapturedAmount += line.TotalAmount;
            totals.CapturedDiscount += line.TotalDiscountAmount;
            totals.CapturedTax += line.TotalTaxAmount;
        }

        foreach (var line in (order?.Refunds ?? new List<KlarnaRefund>()).SelectMany(refund => refund.OrderLines ?? new List<KlarnaOrderLine>()))
        {
            if (!byReference.TryGetValue(Key(line), out var totals))
                continue;
            totals.RefundedQuantity += line.Quantity;
            totals.RefundedAmount += line.TotalAmount;
            totals.RefundedDiscount += line.TotalDiscountAmount;
            totals.RefundedTax += line.TotalTaxAmount;
        }

        return result;
    }

    /// <summary>
    /// Gets the key a line is matched by (its reference; its name when it has none)
    /// </summary>
    /// <param name="line">Line</param>
    /// <returns>Key</returns>
    public static string Key(KlarnaOrderLine line) => string.IsNullOrEmpty(line?.Reference) ? "name:" + line?.Name : line.Reference;

    /// <summary>
    /// Builds the line of a partial quantity of an order line (a capture or a refund of some of its units). Every part is a
    /// line Klarna accepts on its own: total = quantity × unit price − discount, a discount between 0 and the part's gross
    /// amount, and a tax within ±1 minor unit of the exact tax of the part's total at the line's rate (the rule of a whole
    /// line). The parts of a line add up to it exactly: the last part takes what is left.
    /// </summary>
    /// <remarks>
    /// Discount: the part gets its share of the discount that is left (that discount × quantity / quantity left, half away
    /// from zero), so that no part overdraws it. Tax: what is left after this part is the tax of the amount left (the
    /// rule of a whole line), so that the tax left always matches the amount left and the last part's tax is right as well;
    /// should that not hold for a line whose tax Klarna accepted at its edge, the part gets the tax of its own total.
    /// </remarks>
    /// <param name="line">Order line</param>
    /// <param name="quantity">Quantity of this part</param>
    /// <param name="isLastPart">Whether this part takes everything that is left</param>
    /// <param name="amountLeft">Total amount left of the line (for a refund: captured and not refunded)</param>
    /// <param name="discountLeft">Discount left of the line (for a refund: captured and not refunded)</param>
    /// <param name="taxLeft">Tax left of the line (for a refund: captured and not refunded)</param>
    /// <returns>The line to send</returns>
    public static KlarnaOrderLine Part(KlarnaOrderLine line, long quantity, bool isLastPart, long amountLeft, long discountLeft, long taxLeft)
    {
        ArgumentNullException.ThrowIfNull(line);

        long total, discount;
        if (isLastPart)
        {
            total = amountLeft;
            discount = discountLeft;
        }
        else
        {
            discount = PartDiscount(line, quantity, amountLeft, discountLeft);
            total = quantity * line.UnitPrice - discount;
        }

        var tax = isLastPart ? taxLeft : taxLeft - KlarnaLineRules.TaxOf(amountLeft - total, line.TaxRate);
        if (!KlarnaLineRules.IsTaxWithinOneMinorUnit(total, line.TaxRate, tax))
            tax = KlarnaLineRules.TaxOf(total, line.TaxRate);

        return new KlarnaOrderLine
        {
            Type = line.Type,
            Reference = line.Reference,
            Name = line.Name,
            Quantity = quantity,
            QuantityUnit = line.QuantityUnit,
            UnitPrice = line.UnitPrice,
            TaxRate = line.TaxRate,
            TotalAmount = total,
            TotalDiscountAmount = discount,
            TotalTaxAmount = tax,
            MerchantData = line.MerchantData,
            ProductUrl = line.ProductUrl,
            ImageUrl = line.ImageUrl
        };
    }

    /// <summary>
    /// Prorates an amount of a line to a partial quantity (half away from zero)
    /// </summary>
    /// <param name="amount">Amount of the whole line</param>
    /// <param name="part">Partial quantity</param>
    /// <param name="whole">Quantity of the whole line</param>
    /// <returns>Amount of the part</returns>
    public static long Prorate(long amount, long part, long whole)
    {
        if (whole <= 0 || part == whole)
            return amount;

        return decimal.ToInt64(Math.Round((decimal)amount * part / whole, 0, MidpointRounding.AwayFromZero));
    }

    /// <summary>
    /// Compares two sets of lines by reference and quantity
    /// </summary>
    /// <param name="first">First lines</param>
    /// <param name="second">Second lines</param>
    /// <returns>True when both hold the same references with the same quantities</returns>
    public static bool SameLines(IEnumerable<KlarnaOrderLine> first, IEnumerable<KlarnaOrderLine> second)
    {
        static IList<string> Normalize(IEnumerable<KlarnaOrderLine> lines) => (lines ?? Enumerable.Empty<KlarnaOrderLine>())
            .GroupBy(Key).Select(group => $"{group.Key}|{group.Sum(line => line.Quantity)}")
            .OrderBy(value => value, StringComparer.Ordinal).ToList();

        return Normalize(first).SequenceEqual(Normalize(second));
    }

    #endregion
}
