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
    private static KlarnaOrderLine Line(string reference, long quantity, long unitPrice, long discount = 0, int rate = 0, long tax = 0) => new()
    {
        Type = KlarnaOrderLineType.Physical, Name = "Item " + reference, Reference = reference, Quantity = quantity, UnitPrice = unitPrice,
        TotalDiscountAmount = discount, TotalAmount = quantity * unitPrice - discount, TaxRate = rate, TotalTaxAmount = tax
    };

    private static KlarnaOrderLines Order(params KlarnaOrderLine[] lines) => new()
    {
        CurrencyCode = "EUR",
        Lines = lines.ToList(),
        OrderAmount = lines.Sum(line => line.TotalAmount),
        OrderTaxAmount = KlarnaLineRules.ImpliedOrderTax(lines)
    };

    private static KlarnaOrderLines Lines(int count) =>
        Order(Enumerable.Range(1, count).Select(n => Line("R" + n, 1, 100)).ToArray());

    [Test]
    public void Validate_accepts_one_to_a_thousand_lines_and_reports_none_or_more()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KlarnaLineRules.Validate(Lines(1)), Is.Null);
            Assert.That(KlarnaLineRules.Validate(Lines(1000)), Is.Null);
            Assert.That(KlarnaLineRules.Validate(Lines(1001)), Is.EqualTo("order_lines[1..1000]"));
            Assert.That(KlarnaLineRules.Validate(Order()), Is.EqualTo("order_lines[1..1000]"));
            Assert.That(KlarnaLineRules.Validate(new KlarnaOrderLines { Lines = null }), Is.EqualTo("order_lines[1..1000]"));
            Assert.That(KlarnaLineRules.Validate(null), Is.EqualTo("order_lines[1..1000]"));
        });
    }

    [TestCase(0, null)]
    [TestCase(200_000_000, null)]
    [TestCase(-1, "order_amount[0..200000000]")]
    [TestCase(200_000_001, "order_amount[0..200000000]")]
    public void Validate_accepts_an_order_amount_from_zero_to_two_million_in_major_units(long amount, string expected)
    {
        // a line of that total, or of 0 with the order amount set apart when the amount is out of range
        var lines = amount is >= 0 and <= 200_000_000 ? Order(Line("R1", 1, amount)) : Order(Line("R1", 1, 0));
        lines.OrderAmount = amount;

        Assert.That(KlarnaLineRules.Validate(lines), Is.EqualTo(expected));
    }

    [Test]
    public void Validate_reports_a_missing_or_too_long_name_and_a_too_long_or_repeated_reference()
    {
        var longest = new string('x', KlarnaLineRules.MaxTextLength);
        var fits = Line("R1", 1, 100);
        fits.Name = longest;
        fits.Reference = longest;
        var noName = Line("R1", 1, 100);
        noName.Name = "";
        var longName = Line("R1", 1, 100);
        longName.Name = longest + "x";
        var longReference = Line("R1", 1, 100);
        longReference.Reference = longest + "x";
        var noReference = Line("R1", 1, 100);
        noReference.Reference = null;

        Assert.Multiple(() =>
        {
            Assert.That(KlarnaLineRules.Validate(Order(fits)), Is.Null);
            Assert.That(KlarnaLineRules.Validate(Order(noReference)), Is.Null);
            Assert.That(KlarnaLineRules.Validate(Order(noName)), Is.EqualTo("order_lines[0].name"));
            Assert.That(KlarnaLineRules.Validate(Order(longName)), Is.EqualTo("order_lines[0].name"));
            Assert.That(KlarnaLineRules.Validate(Order(longReference)), Is.EqualTo("order_lines[0].reference"));
            Assert.That(KlarnaLineRules.Validate(Order(Line("ab", 1, 100), Line("AB", 1, 100))), Is.EqualTo("order_lines[1].reference"));
        });
    }

    [Test]
    public void Validate_accepts_a_quantity_of_zero_and_reports_a_negative_one()
    {
        var negative = Line("R1", 1, 0);
        negative.Quantity = -1;

        Assert.Multiple(() =>
        {
            Assert.That(KlarnaLineRules.Validate(Order(Line("R1", 0, 1000))), Is.Null);
            Assert.That(KlarnaLineRules.Validate(Order(negative)), Is.EqualTo("order_lines[0].quantity"));
        });
    }

    [Test]
    public void Validate_keeps_unit_prices_line_totals_and_discounts_within_two_million_in_major_units()
    {
        // with an order discount line, so that the order amount stays within its own limit
        static KlarnaOrderLines Order(KlarnaOrderLine line) => KlarnaLineRulesTests.Order(line, Line("D", 1, -100_000_000));

        Assert.Multiple(() =>
        {
            Assert.That(KlarnaLineRules.Validate(Order(Line("R1", 1, 200_000_000))), Is.Null);
            Assert.That(KlarnaLineRules.Validate(Order(Line("R1", 2, 200_000_000, discount: 200_000_000))), Is.Null);
            Assert.That(KlarnaLineRules.Validate(Order(Line("R1", 1, 200_000_001))), Is.EqualTo("order_lines[0].unit_price/total_amount"));
            Assert.That(KlarnaLineRules.Validate(Order(Line("R1", 2, 100_000_001))), Is.EqualTo("order_lines[0].unit_price/total_amount"));
            Assert.That(KlarnaLineRules.Validate(Order(Line("R1", 3, 100_000_000, discount: 99_999_999))), Is.EqualTo("order_lines[0].unit_price/total_amount"));
            Assert.That(KlarnaLineRules.Validate(KlarnaLineRulesTests.Order(Line("R1", 3, 100_000_000, discount: 200_000_001))), Is.EqualTo("order_lines[0].total_discount_amount"));
            Assert.That(KlarnaLineRules.Validate(KlarnaLineRulesTests.Order(Line("R1", 1, 100, discount: -1))), Is.EqualTo("order_lines[0].total_discount_amount"));
        });
    }

    [TestCase(0, 0, null)]
    [TestCase(10000, 10000, null)]
    [TestCase(-1, 0, "order_lines[0].tax_rate")]
    [TestCase(10001, 10000, "order_lines[0].tax_rate")]
    public void Validate_accepts_tax_rates_from_zero_to_one_hundred_percent(int rate, long tax, string expected)
    {
        Assert.That(KlarnaLineRules.Validate(Order(Line("R1", 1, 20000, rate: rate, tax: tax))), Is.EqualTo(expected));
    }

    [Test]
    public void Validate_reports_a_united_states_line_that_carries_a_tax_rate_or_a_tax_of_its_own()
    {
        static KlarnaOrderLines UnitedStates(KlarnaOrderLine line)
        {
            var salesTax = new KlarnaOrderLine { Type = KlarnaOrderLineType.SalesTax, Name = "Sales tax", Reference = "TAX", Quantity = 1, UnitPrice = 70, TotalAmount = 70 };
            var lines = Order(line, salesTax);
            lines.SalesTaxStyle = true;
            return lines;
        }

        Assert.Multiple(() =>
        {
            Assert.That(KlarnaLineRules.Validate(UnitedStates(Line("R1", 1, 1000))), Is.Null);
            Assert.That(KlarnaLineRules.Validate(UnitedStates(Line("R1", 1, 1070, rate: 700, tax: 70))), Is.EqualTo("order_lines[0].tax_rate(sales_tax)"));
            Assert.That(KlarnaLineRules.Validate(UnitedStates(Line("R1", 1, 1000, tax: 1))), Is.EqualTo("order_lines[0].tax_rate(sales_tax)"));
        });
    }

    [TestCase(1000, -100)]
    [TestCase(0, 2500)]
    public void TaxOf_is_nothing_at_a_rate_of_zero_or_below_and_on_nothing(long total, int rate)
    {
        Assert.That(KlarnaLineRules.TaxOf(total, rate), Is.EqualTo(0));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void FitLine_refuses_a_quantity_below_one(long quantity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KlarnaLineRules.FitLine(quantity, 100, 100));
    }

    [Test]
    public void Validate_reports_an_order_amount_other_than_the_sum_of_the_lines()
    {
        var lines = Order(Line("R1", 1, 1000), Line("R2", 2, 500));
        lines.OrderAmount = 1999;

        Assert.That(KlarnaLineRules.Validate(lines), Is.EqualTo("order_amount"));
    }

    [Test]
    public async Task The_names_of_the_lines_the_plugin_adds_come_from_their_locale_resources()
    {
        // Act
        var names = await KlarnaLineNames.LoadAsync(key => Task.FromResult("text of " + key));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(names.Shipping, Is.EqualTo("text of Plugins.Payments.Klarna.Lines.Shipping"));
            Assert.That(names.SalesTax, Is.EqualTo("text of Plugins.Payments.Klarna.Lines.SalesTax"));
            Assert.That(names.RoundingAdjustment, Is.EqualTo("text of Plugins.Payments.Klarna.Lines.RoundingAdjustment"));
        });
        Assert.ThrowsAsync<ArgumentNullException>(() => KlarnaLineNames.LoadAsync(null));
    }
}
