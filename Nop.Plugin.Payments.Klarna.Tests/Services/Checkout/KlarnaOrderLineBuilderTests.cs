using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.Checkout;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaOrderLineBuilderTests
{
    #region Utilities

    private static KlarnaItemSource Item(string sku, int quantity, decimal unitInclTax, decimal taxRate, decimal discountInclTax = 0m, string name = "Shirt")
    {
        var unitExclTax = Math.Round(unitInclTax / (1 + taxRate / 100m), 4);
        return new KlarnaItemSource
        {
            Name = name,
            Sku = sku,
            ProductId = 7,
            Quantity = quantity,
            TaxRate = taxRate,
            UnitPriceInclTax = unitInclTax,
            UnitPriceExclTax = unitExclTax,
            TotalInclTax = unitInclTax * quantity - discountInclTax,
            TotalExclTax = unitExclTax * quantity - Math.Round(discountInclTax / (1 + taxRate / 100m), 4)
        };
    }

    private static KlarnaOrderLineSource Source(string country, string currency, decimal total, params KlarnaItemSource[] items) => new()
    {
        PurchaseCountry = country,
        CurrencyCode = currency,
        OrderTotal = total,
        Items = items.ToList()
    };

    private static void AssertValid(KlarnaOrderLines lines)
    {
        Assert.That(KlarnaLineRules.Validate(lines), Is.Null, () => string.Join(Environment.NewLine,
            lines.Lines.Select(l => $"{l.Type} {l.Reference} q{l.Quantity} u{l.UnitPrice} d{l.TotalDiscountAmount} t{l.TotalAmount} r{l.TaxRate} tax{l.TotalTaxAmount}")));
    }

    #endregion

    [Test]
    public void Build_reproduces_klarna_worked_example_item_and_shipping_at_20_percent()
    {
        // Arrange: API.md §6.3 worked example: item 595.00 (tax 99.17) + shipping 29.00 (tax 4.83)
        var source = Source("DE", "EUR", 624m, Item("SKU-1", 1, 595m, 20m));
        source.Charges.Add(new KlarnaChargeSource { Type = KlarnaOrderLineType.ShippingFee, Name = "Shipping", Reference = "shipping", AmountInclTax = 29m, AmountExclTax = 24.17m, TaxRate = 20m });

        // Act
        var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        Assert.That(lines.OrderAmount, Is.EqualTo(62400));
        Assert.That(lines.OrderTaxAmount, Is.EqualTo(10400));
        Assert.That(lines.Lines.Select(l => l.TotalTaxAmount), Is.EqualTo(new long[] { 9917, 483 }));
        Assert.That(lines.Lines[0].TaxRate, Is.EqualTo(2000));
        Assert.That(lines.Lines[1].Type, Is.EqualTo(KlarnaOrderLineType.ShippingFee));
        Assert.That(lines.RoundingAdjustment, Is.Zero);
    }

    [TestCase(3, 0.333333, 1.00, 34, 2)]      // 3 × 0.33 = 0.99 < 1.00: unit 34, discount 2
    [TestCase(3, 0.335, 1.00, 34, 2)]         // unit rounds up to 34: 102 - 100 = 2
    [TestCase(7, 19.99, 139.93, 1999, 0)]     // exact
    [TestCase(2, 10.00, 15.00, 1000, 500)]    // item discount 5.00
    [TestCase(1, 0.005, 0.01, 1, 0)]          // 0.005 rounds away from zero
    public void Build_item_line_keeps_quantity_times_unit_price_minus_discount_exact(int quantity, decimal unitPrice, decimal total,
        long expectedUnit, long expectedDiscount)
    {
        // Arrange
        var item = new KlarnaItemSource { Name = "Item", Sku = "A", Quantity = quantity, UnitPriceInclTax = unitPrice, TotalInclTax = total, TaxRate = 0m };

        // Act
        var lines = KlarnaOrderLineBuilder.Build(Source("SE", "SEK", total, item), EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        var line = lines.Lines[0];
        Assert.That(line.UnitPrice, Is.EqualTo(expectedUnit));
        Assert.That(line.TotalDiscountAmount, Is.EqualTo(expectedDiscount));
        Assert.That(line.TotalAmount, Is.EqualTo(KlarnaAmount.ToMinor(total, "SEK")));
    }

    [Test]
    public void Build_converts_with_the_currency_rate_in_the_customers_currency_and_japanese_yen_has_no_decimals()
    {
        // Arrange: 10.00 EUR at 161.2345 JPY
        var source = Source("JP", "JPY", 20m, Item("A", 2, 10m, 10m));
        source.CurrencyRate = 161.2345m;

        // Act
        var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        Assert.That(lines.OrderAmount, Is.EqualTo(3225)); // 3224.69 -> 3225
        Assert.That(lines.Lines[0].UnitPrice, Is.EqualTo(1613)); // 1612.345 -> 1612 too small: 2 × 1613 - 1 = 3225
        Assert.That(lines.Lines[0].TotalDiscountAmount, Is.EqualTo(1));
        Assert.That(lines.Lines[0].TotalAmount, Is.EqualTo(3225));
    }

    [Test]
    public void Build_makes_references_unique_when_two_items_share_a_sku_and_falls_back_to_product_id()
    {
        // Arrange
        var source = Source("DE", "EUR", 30m, Item("SKU", 1, 10m, 19m), Item("SKU", 1, 10m, 19m), Item(null, 1, 10m, 19m));

        // Act
        var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        Assert.That(lines.Lines.Select(l => l.Reference), Is.EqualTo(new[] { "SKU", "SKU-2", "product-7" }));
    }

    [Test]
    public void Build_numbers_many_items_of_one_sku_in_order_and_skips_suffixes_another_sku_already_has()
    {
        // Arrange: 1,000 items of one SKU, and an item whose SKU is what the third one would get
        var items = Enumerable.Range(0, 1000).Select(_ => Item("SKU", 1, 1m, 19m)).ToList();
        items.Insert(1, Item("SKU-3", 1, 1m, 19m));
        var source = Source("DE", "EUR", 1001m, items.ToArray());

        // Act
        var references = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames).Lines.Select(l => l.Reference).ToList();

        // Assert
        Assert.That(references.Take(5), Is.EqualTo(new[] { "SKU", "SKU-3", "SKU-2", "SKU-4", "SKU-5" }));
        Assert.That(references[1000], Is.EqualTo("SKU-1001"));
        Assert.That(references.Distinct(StringComparer.OrdinalIgnoreCase).Count(), Is.EqualTo(references.Count));
    }

    [Test]
    public void Build_names_items_with_their_attributes_as_plain_text()
    {
        // Arrange
        var item = Item("A", 1, 10m, 19m, name: "T-shirt");
        item.AttributeDescription = "Color: Red<br />Size: M &amp; L";

        // Act
        var lines = KlarnaOrderLineBuilder.Build(Source("DE", "EUR", 10m, item), EnglishResources.LineNames);

        // Assert
        Assert.That(lines.Lines[0].Name, Is.EqualTo("T-shirt (Color: Red, Size: M & L)"));
    }

    [Test]
    public void Build_sends_discounts_gift_cards_reward_points_and_fee_as_their_own_lines()
    {
        // Arrange: 2 × 50.00 at 19 % with 10.00 item discount, subtotal discount 9.00, fee 2.00, order discount 1.00,
        // gift card 20.00, reward points 5.00 -> 90 - 9 + 2 - 1 - 20 - 5 = 57.00
        var source = Source("DE", "EUR", 57m, Item("A", 2, 50m, 19m, discountInclTax: 10m));
        source.SubTotalDiscountInclTax = 9m;
        source.Charges.Add(new KlarnaChargeSource { Type = KlarnaOrderLineType.Surcharge, Name = "Payment fee", Reference = "payment-fee", AmountInclTax = 2m, TaxRate = 19m });
        source.OrderDiscount = 1m;
        source.GiftCards.Add(new KlarnaCreditSource { Name = "Gift card", Reference = "gift-card-3", Amount = 20m });
        source.RewardPointsAmount = 5m;

        // Act
        var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        Assert.That(lines.Lines.Select(l => (l.Type, l.TotalAmount)), Is.EqualTo(new[]
        {
            (KlarnaOrderLineType.Physical, 9000L),
            (KlarnaOrderLineType.Surcharge, 200L),
            (KlarnaOrderLineType.Discount, -900L),
            (KlarnaOrderLineType.Discount, -100L),
            (KlarnaOrderLineType.GiftCard, -2000L),
            (KlarnaOrderLineType.StoreCredit, -500L)
        }));
        Assert.That(lines.Lines[0].TotalDiscountAmount, Is.EqualTo(1000));
        Assert.That(lines.Lines[2].TaxRate, Is.EqualTo(1900));
        Assert.That(lines.Lines[2].TotalTaxAmount, Is.EqualTo(-144));
        Assert.That(lines.Lines[3].TotalTaxAmount, Is.Zero);
        Assert.That(lines.OrderAmount, Is.EqualTo(5700));
    }

    [Test]
    public void Build_splits_the_subtotal_discount_by_tax_rate()
    {
        // Arrange: 100.00 at 19 % and 50.00 at 7 %, subtotal discount 15.00 -> 10.00 and 5.00
        var source = Source("DE", "EUR", 135m, Item("A", 1, 100m, 19m), Item("B", 1, 50m, 7m));
        source.SubTotalDiscountInclTax = 15m;

        // Act
        var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        var discounts = lines.Lines.Where(l => l.Type == KlarnaOrderLineType.Discount).ToList();
        Assert.That(discounts.Select(l => (l.TaxRate, l.TotalAmount)), Is.EquivalentTo(new[] { (700, -500L), (1900, -1000L) }));
    }

    [Test]
    public void Build_sends_united_states_tax_as_one_sales_tax_line_with_tax_free_lines()
    {
        // Arrange: 3 × 9.99 + 8.875 % tax 2.66 + shipping 5.00 = 37.63
        var item = new KlarnaItemSource { Name = "Mug", Sku = "MUG", Quantity = 3, UnitPriceExclTax = 9.99m, TotalExclTax = 29.97m, UnitPriceInclTax = 10.88m, TotalInclTax = 32.63m, TaxRate = 8.875m };
        var source = Source("US", "USD", 37.63m, item);
        source.OrderTax = 2.66m;
        source.Charges.Add(new KlarnaChargeSource { Type = KlarnaOrderLineType.ShippingFee, Name = "Shipping", Reference = "shipping", AmountExclTax = 5m, AmountInclTax = 5m });

        // Act
        var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        Assert.That(lines.SalesTaxStyle, Is.True);
        Assert.That(lines.Lines.Where(l => l.Type != KlarnaOrderLineType.SalesTax).All(l => l.TaxRate == 0 && l.TotalTaxAmount == 0), Is.True);
        var tax = lines.Lines.Single(l => l.Type == KlarnaOrderLineType.SalesTax);
        Assert.That(tax.TotalAmount, Is.EqualTo(266));
        Assert.That(lines.OrderTaxAmount, Is.EqualTo(266));
        Assert.That(lines.OrderAmount, Is.EqualTo(3763));
    }

    [Test]
    public void Build_adds_a_rounding_adjustment_line_for_the_remainder()
    {
        // Arrange: nopCommerce's total 10.01 while the line says 10.00
        var lines = KlarnaOrderLineBuilder.Build(Source("DE", "EUR", 10.01m, Item("A", 1, 10m, 19m)), EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        var adjustment = lines.Lines.Single(l => l.Reference == KlarnaOrderLineBuilder.RoundingReference);
        Assert.That(adjustment.TotalAmount, Is.EqualTo(1));
        Assert.That(adjustment.Type, Is.EqualTo(KlarnaOrderLineType.Surcharge));
        Assert.That(lines.RoundingAdjustment, Is.EqualTo(1));
    }

    [Test]
    public void Build_negative_remainder_is_a_discount_line()
    {
        // Act
        var lines = KlarnaOrderLineBuilder.Build(Source("DE", "EUR", 9.98m, Item("A", 1, 10m, 19m)), EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        Assert.That(lines.Lines.Last().Type, Is.EqualTo(KlarnaOrderLineType.Discount));
        Assert.That(lines.Lines.Last().TotalAmount, Is.EqualTo(-2));
    }

    [Test]
    public void Build_uses_bahraini_dinar_three_decimals()
    {
        // Act
        var lines = KlarnaOrderLineBuilder.Build(Source("BH", "BHD", 1.2345m, Item("A", 1, 1.2345m, 10m)), EnglishResources.LineNames);

        // Assert
        AssertValid(lines);
        Assert.That(lines.OrderAmount, Is.EqualTo(1235));
    }
}
