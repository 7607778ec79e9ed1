using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// A Klarna order line chosen by its reference, with a quantity
/// </summary>
public class KlarnaLineSelection
{
    /// <summary>
    /// Gets or sets the reference of the Klarna order line
    /// </summary>
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets the quantity
    /// </summary>
    public long Quantity { get; set; }
}

/// <summary>
/// The part of the policy that works per order line (pure): which lines and quantities can still be captured or refunded
/// within what is left of the authorization or of the captured amount (with the reason for each line left out), and the
/// lines of a capture or refund (the amounts of partial lines come from <see cref="KlarnaOrderLineMath"/>)
/// </summary>
public static class KlarnaLinePolicy
{
    #region Utilities

    /// <summary>
    /// Gets the line of <paramref name="quantity"/> units still to capture (refund): the last units take exactly what is left of the line
    /// </summary>
    private static KlarnaOrderLine PartOf(KlarnaOrderLineMath.LineTotals totals, long quantity, bool refund)
    {
        var line = totals.Line;
        return refund
            ? KlarnaOrderLineMath.Part(line, quantity, quantity == totals.CapturedQuantity - totals.RefundedQuantity,
                totals.CapturedAmount - totals.RefundedAmount, totals.CapturedDiscount - totals.RefundedDiscount, totals.CapturedTax - totals.RefundedTax)
            : KlarnaOrderLineMath.Part(line, quantity, quantity == line.Quantity - totals.CapturedQuantity,
                line.TotalAmount - totals.CapturedAmount, line.TotalDiscountAmount - totals.CapturedDiscount, line.TotalTaxAmount - totals.CapturedTax);
    }

    /// <summary>
    /// Gets the most units (up to <paramref name="left"/>) whose amount fits in <paramref name="limit"/>; the amount grows with
    /// the quantity (a unit never costs less than its share of the line's discount), so a binary search finds it
    /// </summary>
    private static long MaxFitting(KlarnaOrderLineMath.LineTotals totals, long left, long limit, bool refund)
    {
        if (left <= 0)
            return 0;
        if (PartOf(totals, left, refund).TotalAmount <= limit)
            return left;

        long low = 0, high = left - 1;
        while (low < high)
        {
            var middle = low + (high - low + 1) / 2;
            if (PartOf(totals, middle, refund).TotalAmount <= limit)
                low = middle;
            else
                high = middle - 1;
        }

        return low;
    }

    private static KlarnaLineAllowance AllowanceOf(KlarnaOrderLineMath.LineTotals totals, KlarnaAllowance capture, KlarnaAllowance refund, string currency)
    {
        var line = totals.Line;
        var uncaptured = Math.Max(0, line.Quantity - totals.CapturedQuantity);
        var unrefunded = Math.Max(0, totals.CapturedQuantity - totals.RefundedQuantity);

        long capturable = 0;
        KlarnaRefusal captureNote;
        if (!capture.Allowed)
            captureNote = capture.Refusal;
        else if (uncaptured <= 0)
            captureNote = new KlarnaRefusal(KlarnaRefusalCode.LineFullyCaptured);
        else
        {
            capturable = MaxFitting(totals, uncaptured, capture.LimitMinor, false);
            captureNote = capturable == 0
                ? new KlarnaRefusal(KlarnaRefusalCode.LineExceedsRemaining, new KlarnaMoney(PartOf(totals, 1, false).TotalAmount, currency), new KlarnaMoney(capture.LimitMinor, currency))
                : capturable < uncaptured ? new KlarnaRefusal(KlarnaRefusalCode.LineLimitedByRemaining, capturable, new KlarnaMoney(capture.LimitMinor, currency)) : null;
        }

        long refundable = 0;
        KlarnaRefusal refundNote;
        if (!refund.Allowed)
            refundNote = refund.Refusal;
        else if (totals.CapturedQuantity <= 0)
            refundNote = new KlarnaRefusal(KlarnaRefusalCode.LineNotCaptured);
        else if (unrefunded <= 0)
            refundNote = new KlarnaRefusal(KlarnaRefusalCode.LineFullyRefunded);
        else
        {
            refundable = MaxFitting(totals, unrefunded, refund.LimitMinor, true);
            refundNote = refundable == 0
                ? new KlarnaRefusal(KlarnaRefusalCode.LineExceedsRefundable, new KlarnaMoney(PartOf(totals, 1, true).TotalAmount, currency), new KlarnaMoney(refund.LimitMinor, currency))
                : refundable < unrefunded ? new KlarnaRefusal(KlarnaRefusalCode.LineLimitedByRefundable, refundable, new KlarnaMoney(refund.LimitMinor, currency)) : null;
        }

        return new KlarnaLineAllowance
        {
            Reference = KlarnaOrderLineMath.Key(line),
            Name = line.Name,
            Type = line.Type,
            Quantity = line.Quantity,
            UnitPrice = line.UnitPrice,
            TotalAmount = line.TotalAmount,
            TotalDiscountAmount = line.TotalDiscountAmount,
            CapturedQuantity = totals.CapturedQuantity,
            RefundedQuantity = totals.RefundedQuantity,
            UncapturedQuantity = uncaptured,
            UncapturedAmount = line.TotalAmount - totals.CapturedAmount,
            CapturableQuantity = capturable,
            CaptureNote = captureNote,
            UnrefundedQuantity = unrefunded,
            UnrefundedAmount = totals.CapturedAmount - totals.RefundedAmount,
            RefundableQuantity = refundable,
            RefundNote = refundNote
        };
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets what can still be captured and refunded of each order line, within the order's allowances
    /// </summary>
    /// <param name="order">Klarna's order</param>
    /// <param name="capture">The order's capture allowance (its limit: the remaining authorization)</param>
    /// <param name="refund">The order's refund allowance (its limit: captured and not refunded)</param>
    /// <returns>One allowance per order line, in the order of the lines</returns>
    public static IReadOnlyList<KlarnaLineAllowance> Allowances(KlarnaOrder order, KlarnaAllowance capture, KlarnaAllowance refund)
    {
        var currency = order?.PurchaseCurrency?.ToUpperInvariant();
        return KlarnaOrderLineMath.GetLineTotals(order).Select(totals => AllowanceOf(totals, capture, refund, currency)).ToList();
    }

    /// <summary>
    /// Builds the lines of a capture or refund of selected lines
    /// </summary>
    /// <param name="order">Klarna's order</param>
    /// <param name="selections">Selected lines (by reference) and quantities</param>
    /// <param name="refund">True for a refund (what is captured and not refunded), false for a capture (what is not captured)</param>
    /// <param name="clamp">True to take what is left of a line asked for more (capture upon fulfillment), false to refuse it</param>
    /// <returns>The lines, or the refusal</returns>
    public static (List<KlarnaOrderLine> Lines, KlarnaRefusal Refusal) Build(KlarnaOrder order, IList<KlarnaLineSelection> selections, bool refund, bool clamp)
    {
        var totals = KlarnaOrderLineMath.GetLineTotals(order).ToDictionary(t => KlarnaOrderLineMath.Key(t.Line), StringComparer.Ordinal);
        var lines = new List<KlarnaOrderLine>();
        foreach (var group in (selections ?? new List<KlarnaLineSelection>()).GroupBy(s => s?.Reference ?? string.Empty, StringComparer.Ordinal))
        {
            if (!totals.TryGetValue(group.Key, out var line))
                return (null, new KlarnaRefusal(KlarnaRefusalCode.UnknownLine, group.Key));

            var quantity = group.Sum(s => s?.Quantity ?? 0);
            if (quantity <= 0)
            {
                if (clamp)
                    continue;
                return (null, new KlarnaRefusal(KlarnaRefusalCode.LineQuantityNotPositive, line.Line.Name));
            }

            var left = refund ? line.CapturedQuantity - line.RefundedQuantity : line.Line.Quantity - line.CapturedQuantity;
            if (quantity > left)
            {
                if (!clamp)
                    return (null, new KlarnaRefusal(KlarnaRefusalCode.LineQuantityTooHigh, line.Line.Name, Math.Max(0, left)));

                quantity = left;
                if (quantity <= 0)
                    continue;
            }

            lines.Add(PartOf(line, quantity, refund));
        }

        return (lines, null);
    }

    /// <summary>
    /// Gets the amount of 1, 2, ... <paramref name="upTo"/> units of a line still to capture (refund), as the capture (refund)
    /// of those units will be: the admin's modal adds them up for its button, so the script does no money arithmetic
    /// </summary>
    /// <param name="order">Klarna's order</param>
    /// <param name="reference">Reference of the line (<see cref="KlarnaOrderLineMath.Key"/>)</param>
    /// <param name="upTo">The most units offered</param>
    /// <param name="refund">True for a refund</param>
    /// <returns>The amounts in minor units, index 0 for one unit; empty for an unknown line</returns>
    public static IReadOnlyList<long> AmountsByQuantity(KlarnaOrder order, string reference, long upTo, bool refund)
    {
        var totals = KlarnaOrderLineMath.GetLineTotals(order).FirstOrDefault(t => string.Equals(KlarnaOrderLineMath.Key(t.Line), reference, StringComparison.Ordinal));
        if (totals is null || upTo <= 0)
            return Array.Empty<long>();

        var amounts = new long[upTo];
        for (var quantity = 1; quantity <= upTo; quantity++)
            amounts[quantity - 1] = PartOf(totals, quantity, refund).TotalAmount;
        return amounts;
    }

    /// <summary>
    /// Builds the lines of everything left to capture (or refund); null when they do not add up to the amount asked for
    /// (e.g. after a capture by amount), so that lines always add up to the amount Klarna is asked for
    /// </summary>
    /// <param name="order">Klarna's order</param>
    /// <param name="refund">True for a refund</param>
    /// <param name="expectedAmount">The amount of the capture (refund)</param>
    /// <returns>The lines, or null</returns>
    public static List<KlarnaOrderLine> BuildEverythingLeft(KlarnaOrder order, bool refund, long expectedAmount)
    {
        var selections = KlarnaOrderLineMath.GetLineTotals(order)
            .Select(t => new KlarnaLineSelection
            {
                Reference = KlarnaOrderLineMath.Key(t.Line),
                Quantity = refund ? t.CapturedQuantity - t.RefundedQuantity : t.Line.Quantity - t.CapturedQuantity
            })
            .Where(s => s.Quantity > 0)
            .ToList();
        if (selections.Count == 0)
            return null;

        var (lines, refusal) = Build(order, selections, refund, false);
        return refusal is null && lines.Sum(l => l.TotalAmount) == expectedAmount ? lines : null;
    }

    #endregion
}
