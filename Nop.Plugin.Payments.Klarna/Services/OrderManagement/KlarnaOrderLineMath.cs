using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Pure arithmetic over Klarna order lines in minor units: what was captured and refunded per line (by reference), and
/// the lines of a partial capture or refund. The part of a line's total that a partial quantity gets is prorated
/// (rounded half away from zero); the last part gets exactly what is left, so the parts always add up to the line total.
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
    /// Builds the line of a partial quantity of an order line
    /// </summary>
    /// <param name="line">Order line</param>
    /// <param name="quantity">Quantity of this part</param>
    /// <param name="isLastPart">Whether this part takes everything that is left</param>
    /// <param name="amountLeft">Total amount left of the line</param>
    /// <param name="discountLeft">Discount left of the line</param>
    /// <param name="taxLeft">Tax left of the line</param>
    /// <returns>The line to send</returns>
    public static KlarnaOrderLine Part(KlarnaOrderLine line, long quantity, bool isLastPart, long amountLeft, long discountLeft, long taxLeft)
    {
        long total, discount, tax;
        if (isLastPart)
        {
            total = amountLeft;
            discount = discountLeft;
            tax = taxLeft;
        }
        else
        {
            discount = Prorate(line.TotalDiscountAmount, quantity, line.Quantity);
            total = quantity * line.UnitPrice - discount;
            tax = Prorate(line.TotalTaxAmount, quantity, line.Quantity);
        }

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
