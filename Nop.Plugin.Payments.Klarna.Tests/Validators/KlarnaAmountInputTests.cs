using System.Globalization;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Validators;

namespace Nop.Plugin.Payments.Klarna.Tests.Validators;

[TestFixture]
public class KlarnaAmountInputTests
{
    /// <summary>
    /// The rules of an admin working in a culture, with amounts displayed the way nopCommerce's price formatter writes them
    /// for a currency whose display locale is <paramref name="displayCulture"/> (amount.ToString("C", display locale))
    /// </summary>
    public static KlarnaAmountRules Rules(string culture, string currency, string displayCulture = null)
    {
        var exponent = KlarnaAmount.Exponent(currency);
        var display = CultureInfo.GetCultureInfo(displayCulture ?? culture);
        var probe = KlarnaAmount.FromMinor(KlarnaMoneyFormat.ProbeMinor(exponent), currency).ToString("C", display);
        return KlarnaAmountRules.For(CultureInfo.GetCultureInfo(culture), currency, KlarnaMoneyFormat.Read(probe, exponent));
    }

    [TestCase("en-US", "USD", "2,600.01", 260001)]
    [TestCase("en-US", "USD", "$2,600.01", 260001)]
    [TestCase("en-US", "USD", "2600.01", 260001)]
    [TestCase("en-US", "USD", "12.5", 1250)]
    [TestCase("en-US", "USD", " 0.01 ", 1)]
    [TestCase("en-US", "USD", "1,234,567.89 USD", 123456789)]
    [TestCase("de-DE", "EUR", "2.600,01", 260001)]
    [TestCase("de-DE", "EUR", "2.600,01 €", 260001)]
    [TestCase("de-DE", "EUR", "2600,01", 260001)]
    [TestCase("de-DE", "EUR", "12,5", 1250)]
    [TestCase("sv-SE", "SEK", "2 600,01", 260001)]
    [TestCase("sv-SE", "SEK", "2\u00A0600,01 kr", 260001)]
    [TestCase("sv-SE", "SEK", "2600,01", 260001)]
    [TestCase("en-US", "JPY", "1,234", 1234)]
    [TestCase("en-US", "KWD", "1.234", 1234)]
    [TestCase("en-US", "EUR", "999999999.99", 99999999999)]
    public void Amounts_typed_in_the_admins_culture_convert_to_minor_units(string culture, string currency, string text, long expected)
    {
        var (minor, refusal) = KlarnaAmountInput.Parse(text, currency, Rules(culture, currency));

        Assert.That(refusal, Is.Null, () => $"{refusal?.Code}");
        Assert.That(minor, Is.EqualTo(expected));
    }

    [TestCase("en-US", "USD", null, KlarnaRefusalCode.AmountRequired)]
    [TestCase("en-US", "USD", "  ", KlarnaRefusalCode.AmountRequired)]
    [TestCase("en-US", "USD", "-1", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "0", KlarnaRefusalCode.AmountNotPositive)]
    [TestCase("en-US", "USD", "0.00", KlarnaRefusalCode.AmountNotPositive)]
    [TestCase("en-US", "USD", "0.001", KlarnaRefusalCode.AmountTooManyDecimals)]
    [TestCase("en-US", "JPY", "1.5", KlarnaRefusalCode.AmountTooManyDecimals)]
    [TestCase("en-US", "USD", "1.234,56", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "1,5", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "26,00.01", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("de-DE", "EUR", "1,234.56", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("de-DE", "EUR", "2.600.01", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("sv-SE", "SEK", "2 60,01", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "١٢", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "12.", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", ".5", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "NaN", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "1e2", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "1234567890123456", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("en-US", "USD", "<b>5</b>", KlarnaRefusalCode.AmountMalformed)]
    public void Malformed_amounts_are_refused_with_a_code_that_shows_the_expected_format(string culture, string currency, string text, KlarnaRefusalCode expected)
    {
        var rules = Rules(culture, currency);
        var (minor, refusal) = KlarnaAmountInput.Parse(text, currency, rules);

        Assert.That(minor, Is.Zero);
        Assert.That(refusal?.Code, Is.EqualTo(expected));
        if (expected is KlarnaRefusalCode.AmountMalformed or KlarnaRefusalCode.AmountTooManyDecimals)
            Assert.That(refusal.Args, Does.Contain(rules.Example));
    }

    [Test]
    public void A_text_the_admins_culture_and_the_displayed_format_read_differently_is_ambiguous()
    {
        // a German admin, an order in US dollars displayed as "$1,234.56": "1,234" is 1.234 in German, 1234 as displayed
        var rules = Rules("de-DE", "USD", "en-US");

        var (minor, refusal) = KlarnaAmountInput.Parse("1,234", "USD", rules);

        Assert.That(minor, Is.Zero);
        Assert.That(refusal?.Code, Is.EqualTo(KlarnaRefusalCode.AmountAmbiguous));
        Assert.That(refusal.Args, Is.EqualTo(new object[] { "1,234", "1.234,56" }));
        Assert.That(KlarnaAmountInput.Parse("1,5", "USD", rules).AmountMinor, Is.EqualTo(150), "only the German reading takes it");
        Assert.That(KlarnaAmountInput.Parse("$1,234.50", "USD", rules).AmountMinor, Is.EqualTo(123450), "only the displayed reading takes it");
    }

    [Test]
    public void The_example_of_the_expected_format_is_written_in_the_admins_culture()
    {
        Assert.That(Rules("en-US", "USD").Example, Is.EqualTo("1,234.56"));
        Assert.That(Rules("de-DE", "EUR").Example, Is.EqualTo("1.234,56"));
        Assert.That(Rules("en-US", "JPY").Example, Is.EqualTo("1,235"));
    }
}
