using Nop.Plugin.Payments.Klarna.Services.Checkout;
using NUnit.Framework;

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
        Assert.That(KlarnaLineText.ItemName(new KlarnaItemSource { Name = " Shirt ", AttributeDescription = "Color: Red" }), Is.EqualTo("Shirt (Color: Red)"));
        Assert.That(KlarnaLineText.ItemName(new KlarnaItemSource { ProductId = 7 }), Is.EqualTo("Product 7"));
        Assert.That(KlarnaLineText.ItemName(new KlarnaItemSource { Name = new string('x', 300) }), Has.Length.EqualTo(KlarnaLineRules.MaxTextLength));
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
