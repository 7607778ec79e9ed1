using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaLineRulesTests
{
    private static KlarnaOrderLines OneLine(long quantity, long unitPrice, long discount, long total, int rate, long tax) => new()
    {
        CurrencyCode = "EUR",
        OrderAmount = total,
        OrderTaxAmount = tax,
        Lines = new List<KlarnaOrderLine>
        {
            new()
            {
                Type = KlarnaOrderLineType.Physical, Name = "Shirt", Reference = "S1", Quantity = quantity, UnitPrice = unitPrice,
                TotalDiscountAmount = discount, TotalAmount = total, TaxRate = rate, TotalTaxAmount = tax
            }
        }
    };

    [TestCase(1000, 0, 0)]
    [TestCase(11900, 1900, 1900)]
    [TestCase(-900, 1900, -144)]
    [TestCase(10700, 700, 700)]
    [TestCase(1, 2500, 0)]
    [TestCase(3, 2500, 1)]
    public void TaxOf_follows_klarnas_formula(long total, int rate, long expected)
    {
        Assert.That(KlarnaLineRules.TaxOf(total, rate), Is.EqualTo(expected));
    }

    [TestCase(11900, 1900, 1900, true)]
    [TestCase(11900, 1900, 1901, true)]
    [TestCase(11900, 1900, 1899, true)]
    [TestCase(11900, 1900, 1902, false)]
    [TestCase(11900, 1900, 1898, false)]
    [TestCase(500, 0, 1, true)]
    [TestCase(500, 0, 2, false)]
    public void A_tax_is_accepted_within_one_minor_unit_of_the_exact_tax_of_the_total_at_the_rate(long total, int rate, long tax, bool accepted)
    {
        Assert.That(KlarnaLineRules.IsTaxWithinOneMinorUnit(total, rate, tax), Is.EqualTo(accepted));
    }

    [TestCase(3, 333, 1000, 334, 2)]
    [TestCase(2, 1000, 1900, 1000, 100)]
    [TestCase(4, 250, 1000, 250, 0)]
    [TestCase(1, -5, 0, 0, 0)]
    public void FitLine_keeps_quantity_times_unit_price_minus_discount_equal_to_the_total(long quantity, long shopUnitPrice, long total,
        long unitPrice, long discount)
    {
        // Act
        var fitted = KlarnaLineRules.FitLine(quantity, shopUnitPrice, total);

        // Assert
        Assert.That(fitted, Is.EqualTo((unitPrice, discount)));
        Assert.That(quantity * fitted.UnitPrice - fitted.Discount, Is.EqualTo(total));
    }

    [Test]
    public void Validate_accepts_a_line_that_follows_every_rule()
    {
        Assert.That(KlarnaLineRules.Validate(OneLine(2, 1000, 100, 1900, 1900, 303)), Is.Null);
    }

    [Test]
    public void Validate_reports_a_line_whose_total_is_not_quantity_times_unit_price_minus_discount()
    {
        Assert.That(KlarnaLineRules.Validate(OneLine(2, 1000, 101, 1900, 1900, 303)), Is.EqualTo("order_lines[0].total_amount"));
    }

    [Test]
    public void Validate_reports_a_tax_off_by_more_than_one_minor_unit_and_an_order_tax_other_than_the_lines()
    {
        Assert.That(KlarnaLineRules.Validate(OneLine(2, 1000, 100, 1900, 1900, 306)), Is.EqualTo("order_lines[0].total_tax_amount"));

        var lines = OneLine(2, 1000, 100, 1900, 1900, 303);
        lines.OrderTaxAmount = 300;
        Assert.That(KlarnaLineRules.Validate(lines), Is.EqualTo("order_tax_amount"));
    }

    [Test]
    public void The_order_tax_of_united_states_lines_is_the_sales_tax_lines_total()
    {
        var lines = new[]
        {
            new KlarnaOrderLine { Type = KlarnaOrderLineType.Physical, TotalAmount = 2000, TotalTaxAmount = 0 },
            new KlarnaOrderLine { Type = KlarnaOrderLineType.SalesTax, TotalAmount = 165, TotalTaxAmount = 0 }
        };

        Assert.That(KlarnaLineRules.ImpliedOrderTax(lines), Is.EqualTo(165));
    }
}
