using Nop.Plugin.Payments.Klarna.Services.Checkout;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaLineTextTests
{
    [Test]
    public void An_html_attribute_description_becomes_plain_text()
    {
        Assert.That(KlarnaLineText.PlainText("Color: <b>Red</b><br />Size: M &amp; L<br>"), Is.EqualTo("Color: Red, Size: M & L"));
        Assert.That(KlarnaLineText.PlainText("  "), Is.Empty);
    }

    [Test]
    public void A_product_line_is_named_with_its_attributes_within_klarnas_length()
    {
        var names = EnglishResources.LineNames;
        Assert.That(KlarnaLineText.ItemName(new KlarnaItemSource { Name = " Shirt ", AttributeDescription = "Color: Red" }, names), Is.EqualTo("Shirt (Color: Red)"));
        Assert.That(KlarnaLineText.ItemName(new KlarnaItemSource { Name = new string('x', 300) }, names), Has.Length.EqualTo(KlarnaLineRules.MaxTextLength));
    }

    [Test]
    public void A_product_without_a_name_is_named_from_the_locale_resource_in_the_customers_language()
    {
        var german = new KlarnaLineNames { Product = "Artikel {0}" };

        Assert.That(KlarnaLineText.ItemName(new KlarnaItemSource { ProductId = 7 }, EnglishResources.LineNames), Is.EqualTo("Product 7"));
        Assert.That(KlarnaLineText.ItemName(new KlarnaItemSource { ProductId = 7, Name = " ", AttributeDescription = "Farbe: Rot" }, german), Is.EqualTo("Artikel 7 (Farbe: Rot)"));
    }

    [Test]
    public async Task The_name_of_a_product_without_a_name_is_loaded_with_the_other_line_names_from_the_customers_language()
    {
        // Arrange: the customer's language (nopCommerce's working language) has its own texts
        var keys = new List<string>();
        var names = await KlarnaLineNames.LoadAsync(key =>
        {
            keys.Add(key);
            return Task.FromResult(key == "Plugins.Payments.Klarna.Lines.Product" ? "Produkt {0}" : "Versand");
        });
        var source = new KlarnaOrderLineSource
        {
            CurrencyCode = "EUR",
            CurrencyRate = 1m,
            PurchaseCountry = "DE",
            Items = new List<KlarnaItemSource> { new() { ProductId = 42, Quantity = 1, UnitPriceInclTax = 10m, UnitPriceExclTax = 10m, TotalInclTax = 10m, TotalExclTax = 10m } },
            OrderTotal = 10m
        };

        // Act
        var lines = KlarnaOrderLineBuilder.Build(source, names);

        // Assert
        Assert.That(keys, Does.Contain("Plugins.Payments.Klarna.Lines.Product"));
        Assert.That(lines.Lines[0].Name, Is.EqualTo("Produkt 42"));
        Assert.That(EnglishResources.All["Plugins.Payments.Klarna.Lines.Product"], Is.EqualTo("Product {0}"));
    }

    [Test]
    public void References_stay_unique_within_one_order_with_the_next_free_suffix()
    {
        // Arrange
        var text = new KlarnaLineText();
        var longSku = new string('s', 260);

        // Act
        var references = new[] { text.UniqueReference("SKU"), text.UniqueReference("sku"), text.UniqueReference("SKU-2"), text.UniqueReference("SKU"),
            text.UniqueReference(" "), text.UniqueReference(longSku), text.UniqueReference(longSku) };

        // Assert
        Assert.That(references[..5], Is.EqualTo(new[] { "SKU", "sku-2", "SKU-2-2", "SKU-3", "line" }));
        Assert.That((references[5].Length, references[6].Length, references[6][^2..]), Is.EqualTo((255, 255, "-2")));
    }
}
