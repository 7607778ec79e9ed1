using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Validators;

namespace Nop.Plugin.Payments.Klarna.Tests.Validators;

[TestFixture]
public class KlarnaAmountInputTests
{
    [TestCase("12.50", "EUR", 1250)]
    [TestCase("12.5", "EUR", 1250)]
    [TestCase("12", "EUR", 1200)]
    [TestCase(" 0.01 ", "EUR", 1)]
    [TestCase("1234", "JPY", 1234)]
    [TestCase("1.234", "KWD", 1234)]
    [TestCase("999999999.99", "EUR", 99999999999)]
    public void Valid_amounts_convert_to_minor_units(string text, string currency, long expected)
    {
        Assert.That(KlarnaAmountInput.TryParse(text, currency, out var minor, out var error), Is.True, error);
        Assert.That(minor, Is.EqualTo(expected));
    }

    [TestCase(null, "EUR")]
    [TestCase("", "EUR")]
    [TestCase("-1", "EUR")]
    [TestCase("0", "EUR")]
    [TestCase("0.001", "EUR")]
    [TestCase("1.5", "JPY")]
    [TestCase("1.234,56", "EUR")]
    [TestCase("1,234.56", "EUR")]
    [TestCase("1,5", "EUR")]
    [TestCase("١٢", "EUR")]
    [TestCase("12.", "EUR")]
    [TestCase(".5", "EUR")]
    [TestCase("NaN", "EUR")]
    [TestCase("1e2", "EUR")]
    [TestCase("1234567890123456", "EUR")]
    public void Invalid_amounts_are_refused(string text, string currency)
    {
        Assert.That(KlarnaAmountInput.TryParse(text, currency, out var minor, out var error), Is.False);
        Assert.That(minor, Is.Zero);
        Assert.That(error, Does.StartWith("Plugins.Payments.Klarna.Admin.Error."));
    }
}
