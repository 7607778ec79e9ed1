using Klarna.Sandbox;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaCheckoutRegionsTests
{
    [TestCase("de-DE", "NL", "nl-NL")]
    [TestCase("en-US", "DE", "en-DE")]
    [TestCase("de-DE", "DE", "de-DE")]
    [TestCase("de-DE", "AT", "de-AT")]
    [TestCase("de-CH", "AT", "de-AT")]
    [TestCase("fr-FR", "CH", "fr-CH")]
    [TestCase("it-IT", "CH", "it-CH")]
    [TestCase("fr-FR", "SE", "sv-SE")]
    [TestCase("sv-SE", "FI", "sv-FI")]
    [TestCase("nb-NO", "NO", "nb-NO")]
    [TestCase("nn-NO", "NO", "nb-NO")]
    [TestCase("no", "NO", "nb-NO")]
    [TestCase("es-ES", "US", "es-US")]
    [TestCase("de-DE", "US", "en-US")]
    [TestCase("en-GB", "AU", "en-AU")]
    [TestCase("de-DE", "GB", "en-GB")]
    [TestCase(null, "FR", "fr-FR")]
    [TestCase("", "BE", "nl-BE")]
    [TestCase("fr-BE", "BE", "fr-BE")]
    [TestCase("cs-CZ", "CZ", "cs-CZ")]
    public void GetLocale_uses_the_customers_language_where_klarna_supports_it_for_the_country_else_the_countrys_own(string culture,
        string country, string expected)
    {
        // Act
        var locale = KlarnaCheckoutRegions.GetLocale(culture, country);

        // Assert
        Assert.That(locale, Is.EqualTo(expected));
    }

    [Test]
    public void GetLocale_gives_only_locales_the_sandbox_accepts_for_every_served_country_and_every_language()
    {
        // Arrange
        var cultures = new[] { "en-US", "de-DE", "fr-FR", "it-IT", "es-ES", "nl-NL", "sv-SE", "fi-FI", "da-DK", "nb-NO", "pl-PL", "cs-CZ",
            "pt-PT", "el-GR", "hu-HU", "ro-RO", "sk-SK", "ru-RU", "zh-CN", "ar-SA", null };

        foreach (var region in Enum.GetValues<KlarnaRegion>())
        foreach (var (country, currency) in KlarnaCheckoutRegions.GetMarkets(region))
        foreach (var culture in cultures)
        {
            // Act
            var locale = KlarnaCheckoutRegions.GetLocale(culture, country);

            // Assert
            Assert.That(SandboxMarkets.Violation(country, currency, locale), Is.Null, $"{culture} in {country}: {locale}");
        }
    }

    [Test]
    public void Every_served_country_is_one_of_klarnas_purchase_countries_in_its_currency()
    {
        // Act
        var markets = Enum.GetValues<KlarnaRegion>().SelectMany(KlarnaCheckoutRegions.GetMarkets).ToList();

        // Assert
        Assert.That(markets.Select(m => m.Key), Is.EquivalentTo(SandboxMarkets.Countries));
        Assert.That(markets.Where(m => SandboxMarkets.Violation(m.Key, m.Value, null) is not null), Is.Empty);
    }

    [TestCase(KlarnaRegion.Europe, "SE", "SEK", true)]
    [TestCase(KlarnaRegion.Europe, "SE", "EUR", false)]
    [TestCase(KlarnaRegion.Europe, "NL", "EUR", true)]
    [TestCase(KlarnaRegion.Europe, "GR", "EUR", true)]
    [TestCase(KlarnaRegion.Europe, "EE", "EUR", false)]
    [TestCase(KlarnaRegion.Europe, "US", "USD", false)]
    [TestCase(KlarnaRegion.NorthAmerica, "US", "USD", true)]
    [TestCase(KlarnaRegion.NorthAmerica, "MX", "MXN", true)]
    [TestCase(KlarnaRegion.Oceania, "AU", "AUD", true)]
    [TestCase(KlarnaRegion.Oceania, "AU", "NZD", false)]
    public void IsServed_needs_the_purchase_countrys_own_currency_in_the_region_of_the_credentials(KlarnaRegion region, string country,
        string currency, bool served)
    {
        // Act & Assert
        Assert.That(KlarnaCheckoutRegions.IsServed(region, country, currency), Is.EqualTo(served));
    }
}
