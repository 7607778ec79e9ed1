using Moq;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaCheckoutMessageTests
{
    [Test]
    public void Every_checkout_message_has_an_english_resource()
    {
        var missing = Enum.GetValues<KlarnaCheckoutMessage>().Select(KlarnaLocalizationExtensions.ResourceKeyOf).Where(key => !EnglishResources.All.ContainsKey(key));

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Every_checkout_resource_belongs_to_a_message()
    {
        var keys = Enum.GetValues<KlarnaCheckoutMessage>().Select(KlarnaLocalizationExtensions.ResourceKeyOf).ToHashSet();

        Assert.That(EnglishResources.All.Keys.Where(key => key.StartsWith("Plugins.Payments.Klarna.Checkout.", StringComparison.Ordinal) && !keys.Contains(key)), Is.Empty);
    }

    [Test]
    public void Every_name_of_a_line_that_is_not_a_product_has_an_english_resource()
    {
        var names = typeof(KlarnaLineNames).GetProperties().Select(property => (property.Name, Value: (string)property.GetValue(EnglishResources.LineNames)));

        Assert.That(names.Where(name => string.IsNullOrWhiteSpace(name.Value) || name.Value.StartsWith("Plugins.", StringComparison.Ordinal)).Select(name => name.Name), Is.Empty);
        Assert.That(EnglishResources.LineNames.SalesTax, Is.EqualTo("Sales Tax"));
    }

    [Test]
    public async Task A_checkout_message_is_read_in_the_customers_language_from_its_resource()
    {
        // Arrange
        var localization = new Mock<Nop.Services.Localization.ILocalizationService>();
        localization.Setup(l => l.GetResourceAsync("Plugins.Payments.Klarna.Checkout.Declined")).ReturnsAsync("Klarna hat die Zahlung abgelehnt.");

        // Act
        var text = await localization.Object.GetCheckoutTextAsync(KlarnaCheckoutMessage.Declined);

        // Assert
        Assert.That(text, Is.EqualTo("Klarna hat die Zahlung abgelehnt."));
    }
}
