using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

[TestFixture]
public class KlarnaAmountTests
{
    [TestCase("0.005", "EUR", 1L)]
    [TestCase("0.004", "EUR", 0L)]
    [TestCase("19.99", "EUR", 1999L)]
    [TestCase("19.995", "EUR", 2000L)]
    [TestCase("1000000", "EUR", 100000000L)]
    [TestCase("25.00", "usd", 2500L)]
    [TestCase("1234", "JPY", 1234L)]
    [TestCase("1234.5", "JPY", 1235L)]
    [TestCase("10.1235", "KWD", 10124L)]
    [TestCase("1.234", "BHD", 1234L)]
    [TestCase("-5.00", "EUR", -500L)]
    [TestCase("-0.005", "EUR", -1L)]
    [TestCase("-19.995", "EUR", -2000L)]
    [TestCase("-1234.5", "JPY", -1235L)]
    public void ToMinor_rounds_half_away_from_zero_with_the_currency_exponent(string amount, string currency, long expected)
    {
        // Arrange
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

        // Act
        var minor = KlarnaAmount.ToMinor(value, currency);

        // Assert
        Assert.That(minor, Is.EqualTo(expected));
    }

    [TestCase(1999L, "EUR", "19.99")]
    [TestCase(100000000L, "EUR", "1000000")]
    [TestCase(1234L, "JPY", "1234")]
    [TestCase(10124L, "KWD", "10.124")]
    [TestCase(-500L, "SEK", "-5")]
    [TestCase(0L, "EUR", "0")]
    public void FromMinor_divides_by_the_currency_exponent(long minor, string currency, string expected)
    {
        // Act
        var amount = KlarnaAmount.FromMinor(minor, currency);

        // Assert
        Assert.That(amount, Is.EqualTo(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("EUR", 2)]
    [TestCase("JPY", 0)]
    [TestCase("KRW", 0)]
    [TestCase("ISK", 0)]
    [TestCase("KWD", 3)]
    [TestCase("BHD", 3)]
    [TestCase("OMR", 3)]
    [TestCase("JOD", 3)]
    [TestCase("TND", 3)]
    [TestCase("sek", 2)]
    public void Exponent_knows_zero_and_three_decimal_currencies(string currency, int expected)
    {
        // Act
        var exponent = KlarnaAmount.Exponent(currency);

        // Assert
        Assert.That(exponent, Is.EqualTo(expected));
    }

    [TestCase("BIF")]
    [TestCase("CLP")]
    [TestCase("DJF")]
    [TestCase("GNF")]
    [TestCase("ISK")]
    [TestCase("JPY")]
    [TestCase("KMF")]
    [TestCase("KRW")]
    [TestCase("PYG")]
    [TestCase("RWF")]
    [TestCase("UGX")]
    [TestCase("UYI")]
    [TestCase("VND")]
    [TestCase("VUV")]
    [TestCase("XAF")]
    [TestCase("XOF")]
    [TestCase("XPF")]
    public void Every_iso_4217_currency_without_a_minor_unit_is_sent_in_whole_units(string currency)
    {
        // Act
        var minor = KlarnaAmount.ToMinor(1234m, currency);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(KlarnaAmount.Exponent(currency), Is.EqualTo(0));
            Assert.That(minor, Is.EqualTo(1234L));
        });
    }

    [TestCase("BHD")]
    [TestCase("IQD")]
    [TestCase("JOD")]
    [TestCase("KWD")]
    [TestCase("LYD")]
    [TestCase("OMR")]
    [TestCase("TND")]
    public void Every_iso_4217_currency_with_three_decimals_is_sent_in_thousandths(string currency)
    {
        // Act
        var minor = KlarnaAmount.ToMinor(1.234m, currency);

        // Assert
        Assert.That(minor, Is.EqualTo(1234L));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void A_missing_currency_code_is_refused_with_a_message_naming_it(string currency)
    {
        // Act
        var error = Assert.Throws<ArgumentException>(() => KlarnaAmount.ToMinor(1m, currency));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error.ParamName, Is.EqualTo("currencyCode"));
            Assert.That(error.Message, Does.StartWith("Currency code is required"));
        });
    }

    [TestCase("19.5", 1950)]
    [TestCase("25", 2500)]
    [TestCase("7.7", 770)]
    [TestCase("0", 0)]
    [TestCase("8.875", 888)]
    public void TaxRateToBasisPoints_converts_percent_to_klarna_tax_rate(string percent, int expected)
    {
        // Act
        var basisPoints = KlarnaAmount.TaxRateToBasisPoints(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture));

        // Assert
        Assert.That(basisPoints, Is.EqualTo(expected));
    }

    [TestCase("19.99", "EUR")]
    [TestCase("1234", "JPY")]
    [TestCase("10.124", "KWD")]
    [TestCase("-0.01", "EUR")]
    public void ToMinor_and_FromMinor_round_trip(string amount, string currency)
    {
        // Arrange
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

        // Act
        var roundTrip = KlarnaAmount.FromMinor(KlarnaAmount.ToMinor(value, currency), currency);

        // Assert
        Assert.That(roundTrip, Is.EqualTo(value));
    }

    [Test]
    public void Exponent_rejects_a_missing_currency()
    {
        // Act & Assert
        Assert.That(() => KlarnaAmount.Exponent(" "), Throws.ArgumentException);
    }
}
