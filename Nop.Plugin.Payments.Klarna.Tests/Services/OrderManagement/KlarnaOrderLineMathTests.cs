using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Klarna.Sandbox;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaOrderLineMathTests
{
    private static readonly int[] _rates = { 0, 600, 700, 1000, 1200, 1900, 2000, 2100, 2500 };

    /// <summary>
    /// A line as the checkout builds it: total = quantity × unit price − discount, tax = the tax of the total at the rate
    /// </summary>
    private static KlarnaOrderLine Line(long quantity, long unitPrice, int taxRate, long discount = 0, string type = KlarnaOrderLineType.Physical)
    {
        var total = quantity * unitPrice - discount;
        return new KlarnaOrderLine
        {
            Type = type,
            Reference = "SKU",
            Name = "Item",
            Quantity = quantity,
            UnitPrice = unitPrice,
            TaxRate = taxRate,
            TotalDiscountAmount = discount,
            TotalAmount = total,
            TotalTaxAmount = KlarnaLineRules.TaxOf(total, taxRate)
        };
    }

    private static IEnumerable<KlarnaOrderLine> SmallLines()
    {
        foreach (var quantity in new long[] { 2, 3, 4, 5, 6 })
        foreach (var rate in _rates)
        foreach (var unitPrice in new long[] { 1, 3, 7, 99, 101, 333, 1001, 1999, 4999, 12345 })
        foreach (var discountShare in new[] { 0m, 0.1m, 0.37m, 1m })
            yield return Line(quantity, unitPrice, rate, decimal.ToInt64(Math.Floor(quantity * unitPrice * discountShare)));
    }

    /// <summary>
    /// Why a part would be refused by Klarna (the sandbox's own rules), or null
    /// </summary>
    private static string Violation(KlarnaOrderLine part)
    {
        if (part.Quantity <= 0)
            return "quantity";
        if (part.TotalDiscountAmount < 0)
            return "negative discount";
        if (part.TotalAmount != part.Quantity * part.UnitPrice - part.TotalDiscountAmount)
            return "total_amount";
        if (!SandboxRules.IsTaxWithinOneMinorUnit(part.TotalAmount, part.TaxRate, part.TotalTaxAmount))
            return "total_tax_amount";
        return null;
    }

    private static List<KlarnaOrderLine> CaptureOneAtATime(KlarnaOrderLine line)
    {
        var parts = new List<KlarnaOrderLine>();
        for (var captured = 0L; captured < line.Quantity; captured++)
        {
            parts.Add(KlarnaOrderLineMath.Part(line, 1, captured + 1 == line.Quantity, line.TotalAmount - parts.Sum(p => p.TotalAmount),
                line.TotalDiscountAmount - parts.Sum(p => p.TotalDiscountAmount), line.TotalTaxAmount - parts.Sum(p => p.TotalTaxAmount)));
        }

        return parts;
    }

    [Test]
    public void Part_keeps_every_unit_of_lines_of_2_to_6_captured_one_at_a_time_within_klarnas_tax_rule()
    {
        // Act
        var refused = new List<string>();
        var lines = SmallLines().ToList();
        foreach (var line in lines)
        {
            foreach (var part in CaptureOneAtATime(line))
            {
                var violation = Violation(part);
                if (violation is not null)
                    refused.Add($"{violation}: q{line.Quantity} u{line.UnitPrice} d{line.TotalDiscountAmount} r{line.TaxRate} -> t{part.TotalAmount} d{part.TotalDiscountAmount} tax{part.TotalTaxAmount}");
            }
        }

        // Assert
        Assert.That(refused, Is.Empty, $"{refused.Count} parts of {lines.Sum(l => l.Quantity)} refused, e.g. {string.Join("; ", refused.Take(5))}");
    }

    [Test]
    public void Part_gives_parts_whose_totals_discounts_and_taxes_add_up_to_the_line()
    {
        foreach (var line in SmallLines())
        {
            // Act
            var parts = CaptureOneAtATime(line);

            // Assert
            Assert.That(parts.Sum(p => p.TotalAmount), Is.EqualTo(line.TotalAmount));
            Assert.That(parts.Sum(p => p.TotalDiscountAmount), Is.EqualTo(line.TotalDiscountAmount));
            Assert.That(parts.Sum(p => p.TotalTaxAmount), Is.EqualTo(line.TotalTaxAmount), $"q{line.Quantity} u{line.UnitPrice} r{line.TaxRate}");
        }
    }

    [Test]
    public void Part_takes_the_share_of_the_discount_that_is_left_so_that_no_part_gets_a_negative_discount()
    {
        // Arrange: 3 of 6 units' discount rounded up on every part would overdraw it (round(0.5) = 1 five times)
        var line = Line(6, 1000, 2500, discount: 3);

        // Act
        var parts = CaptureOneAtATime(line);

        // Assert
        Assert.That(parts.Select(p => p.TotalDiscountAmount), Is.All.GreaterThanOrEqualTo(0));
        Assert.That(parts.Sum(p => p.TotalDiscountAmount), Is.EqualTo(3));
        Assert.That(parts.Select(Violation), Is.All.Null);
    }

    [Test]
    public void Part_of_refunds_stays_within_klarnas_tax_rule_after_partial_captures()
    {
        var refused = 0;
        var count = 0;
        foreach (var line in SmallLines())
        {
            // Arrange: capture in two parts, then refund one unit at a time
            var first = KlarnaOrderLineMath.Part(line, 1, false, line.TotalAmount, line.TotalDiscountAmount, line.TotalTaxAmount);
            var rest = KlarnaOrderLineMath.Part(line, line.Quantity - 1, true, line.TotalAmount - first.TotalAmount,
                line.TotalDiscountAmount - first.TotalDiscountAmount, line.TotalTaxAmount - first.TotalTaxAmount);
            var captured = new[] { first, rest };
            var refunds = new List<KlarnaOrderLine>();

            // Act
            for (var refunded = 0L; refunded < line.Quantity; refunded++)
            {
                refunds.Add(KlarnaOrderLineMath.Part(line, 1, refunded + 1 == line.Quantity,
                    captured.Sum(p => p.TotalAmount) - refunds.Sum(p => p.TotalAmount),
                    captured.Sum(p => p.TotalDiscountAmount) - refunds.Sum(p => p.TotalDiscountAmount),
                    captured.Sum(p => p.TotalTaxAmount) - refunds.Sum(p => p.TotalTaxAmount)));
            }

            // Assert
            count += refunds.Count;
            refused += refunds.Count(p => Violation(p) is not null);
            Assert.That(refunds.Sum(p => p.TotalAmount), Is.EqualTo(line.TotalAmount));
        }

        Assert.That(refused, Is.Zero, $"{refused} of {count} refund parts refused");
    }

    [Test]
    public void Part_of_a_line_whose_tax_is_already_one_minor_unit_off_is_still_within_klarnas_tax_rule()
    {
        // Arrange: a line created elsewhere with the tax Klarna tolerates at the edge
        var line = Line(3, 1001, 2500);
        line.TotalTaxAmount += 1;

        // Act
        var parts = CaptureOneAtATime(line);

        // Assert
        Assert.That(parts.Select(Violation), Is.All.Null);
        Assert.That(parts.Sum(p => p.TotalAmount), Is.EqualTo(line.TotalAmount));
    }

    [Test]
    public void Part_of_the_whole_quantity_is_the_line_itself()
    {
        // Arrange
        var line = Line(4, 1999, 1900, discount: 17);

        // Act
        var part = KlarnaOrderLineMath.Part(line, 4, true, line.TotalAmount, line.TotalDiscountAmount, line.TotalTaxAmount);

        // Assert
        Assert.That((part.TotalAmount, part.TotalDiscountAmount, part.TotalTaxAmount, part.Reference),
            Is.EqualTo((line.TotalAmount, line.TotalDiscountAmount, line.TotalTaxAmount, line.Reference)));
    }
    [Test]
    public void GetLineTotals_adds_up_the_captures_and_refunds_of_each_line_by_reference()
    {
        // Arrange
        var shirt = Line(3, 1000, 2500, discount: 300);
        var order = new KlarnaOrder
        {
            OrderLines = new List<KlarnaOrderLine> { shirt },
            Captures = new List<KlarnaCapture>
            {
                new() { OrderLines = new List<KlarnaOrderLine> { KlarnaOrderLineMath.Part(shirt, 1, false, shirt.TotalAmount, shirt.TotalDiscountAmount, shirt.TotalTaxAmount) } },
                new() { OrderLines = new List<KlarnaOrderLine> { Line(2, 1000, 2500, discount: 200) } }
            },
            Refunds = new List<KlarnaRefund>
            {
                new() { OrderLines = new List<KlarnaOrderLine> { Line(1, 1000, 2500, discount: 100), Line(1, 1000, 2500, discount: 100) } }
            }
        };

        // Act
        var totals = KlarnaOrderLineMath.GetLineTotals(order).Single();

        // Assert
        var captured = order.Captures.SelectMany(capture => capture.OrderLines).ToList();
        var refunded = order.Refunds.SelectMany(refund => refund.OrderLines).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(totals.CapturedQuantity, Is.EqualTo(3));
            Assert.That(totals.CapturedAmount, Is.EqualTo(captured.Sum(line => line.TotalAmount)));
            Assert.That(totals.CapturedDiscount, Is.EqualTo(captured.Sum(line => line.TotalDiscountAmount)));
            Assert.That(totals.CapturedTax, Is.EqualTo(captured.Sum(line => line.TotalTaxAmount)).And.GreaterThan(0));
            Assert.That(totals.RefundedQuantity, Is.EqualTo(2));
            Assert.That(totals.RefundedAmount, Is.EqualTo(refunded.Sum(line => line.TotalAmount)));
            Assert.That(totals.RefundedDiscount, Is.EqualTo(200));
            Assert.That(totals.RefundedTax, Is.EqualTo(refunded.Sum(line => line.TotalTaxAmount)).And.GreaterThan(0));
        });
    }

    [Test]
    public void A_line_without_a_reference_is_matched_by_its_name()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KlarnaOrderLineMath.Key(new KlarnaOrderLine { Name = "Gift wrap" }), Is.EqualTo("name:Gift wrap"));
            Assert.That(KlarnaOrderLineMath.Key(new KlarnaOrderLine { Name = "Gift wrap", Reference = "" }), Is.EqualTo("name:Gift wrap"));
            Assert.That(KlarnaOrderLineMath.Key(new KlarnaOrderLine { Name = "Gift wrap", Reference = "GW" }), Is.EqualTo("GW"));
        });
    }

    [Test]
    public void SameLines_adds_up_the_quantities_of_a_reference_listed_twice()
    {
        var once = new[] { new KlarnaOrderLine { Reference = "A", Quantity = 3 } };
        var twice = new[] { new KlarnaOrderLine { Reference = "A", Quantity = 1 }, new KlarnaOrderLine { Reference = "A", Quantity = 2 } };

        Assert.Multiple(() =>
        {
            Assert.That(KlarnaOrderLineMath.SameLines(once, twice), Is.True);
            Assert.That(KlarnaOrderLineMath.SameLines(once, twice.Take(1)), Is.False);
        });
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Prorate_of_a_line_without_a_quantity_keeps_the_whole_amount(long whole)
    {
        Assert.That(KlarnaOrderLineMath.Prorate(999, 1, whole), Is.EqualTo(999));
    }

    [Test]
    public void Part_of_no_line_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => KlarnaOrderLineMath.Part(null, 1, false, 100, 0, 0));
    }

    [Test]
    public void GetLineTotals_counts_a_repeated_reference_once_and_ignores_captures_and_refunds_of_lines_the_order_does_not_have()
    {
        // Arrange
        var shirt = Line(2, 1000, 0);
        var unknown = Line(1, 500, 0);
        unknown.Reference = "OTHER";
        var order = new KlarnaOrder
        {
            OrderLines = new List<KlarnaOrderLine> { shirt, Line(2, 1000, 0) },
            Captures = new List<KlarnaCapture> { new() { OrderLines = new List<KlarnaOrderLine> { unknown, Line(1, 1000, 0) } } },
            Refunds = new List<KlarnaRefund> { new() { OrderLines = new List<KlarnaOrderLine> { unknown } } }
        };

        // Act
        var totals = KlarnaOrderLineMath.GetLineTotals(order);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(totals, Has.Count.EqualTo(1));
            Assert.That(totals[0].Line, Is.SameAs(shirt));
            Assert.That(totals[0].CapturedQuantity, Is.EqualTo(1));
            Assert.That(totals[0].CapturedAmount, Is.EqualTo(1000));
            Assert.That(totals[0].RefundedQuantity, Is.EqualTo(0));
        });
    }

    [Test]
    public void One_unit_of_a_free_line_is_a_part_of_nothing()
    {
        var gift = new KlarnaOrderLine { Reference = "gift", Name = "Gift", Quantity = 2, UnitPrice = 0, TaxRate = 2500, TotalAmount = 0 };

        var part = KlarnaOrderLineMath.Part(gift, 1, false, 0, 0, 0);

        Assert.That((part.Quantity, part.TotalAmount, part.TotalDiscountAmount, part.TotalTaxAmount), Is.EqualTo((1L, 0L, 0L, 0L)));
    }
}
