using System.Globalization;
using Moq;
using NUnit.Framework;
using Nop.Core;
using Nop.Core.Domain.Localization;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Catalog;

namespace Nop.Plugin.Payments.Klarna.Tests.Localization;

[TestFixture]
public class KlarnaMoneyFormatTests
{
    private static string NopFormat(long minor, string currency, string culture, string customFormatting = null) =>
        KlarnaAmount.FromMinor(minor, currency).ToString(customFormatting ?? "C", CultureInfo.GetCultureInfo(culture));

    private static KlarnaMoneyFormatter Formatter(Func<decimal, string, string> priceFormatter, string languageCulture = "en-US")
    {
        var prices = new Mock<IPriceFormatter>();
        prices.Setup(f => f.FormatPriceAsync(It.IsAny<decimal>(), true, It.IsAny<string>(), false, It.IsAny<int>()))
            .ReturnsAsync((decimal price, bool _, string code, bool _, int _) => priceFormatter(price, code));
        var work = new Mock<IWorkContext>();
        work.Setup(w => w.GetWorkingLanguageAsync()).ReturnsAsync(new Language { Id = 3, LanguageCulture = languageCulture });
        return new KlarnaMoneyFormatter(prices.Object, work.Object);
    }

    [TestCase("en-US", "USD")]
    [TestCase("de-DE", "EUR")]
    [TestCase("sv-SE", "SEK")]
    [TestCase("fr-CH", "CHF")]
    [TestCase("ja-JP", "JPY")]
    [TestCase("ar-KW", "KWD")]
    [TestCase("hi-IN", "INR")]
    public void The_format_read_from_nopCommerces_probe_writes_every_amount_as_nopCommerce_does(string culture, string currency)
    {
        var exponent = KlarnaAmount.Exponent(currency);
        var format = KlarnaMoneyFormat.Read(NopFormat(KlarnaMoneyFormat.ProbeMinor(exponent), currency, culture), exponent);

        Assert.That(format, Is.Not.Null);
        foreach (var minor in new long[] { 0, 1, 5, 99, 100, 12345, 100000, 123456789, 1234567890123 })
            Assert.That(format.Format(minor), Is.EqualTo(NopFormat(minor, currency, culture)), $"{minor}");
    }

    [Test]
    public async Task Amounts_are_written_by_nopCommerces_price_formatter_for_the_currency_and_the_admins_language()
    {
        var formatter = Formatter((price, code) => NopFormat(KlarnaAmount.ToMinor(price, code), code, "en-US"));

        Assert.That(await formatter.FormatAsync(260001, "USD"), Is.EqualTo("$2,600.01"));
        Assert.That((await formatter.GetWorkingCultureAsync()).Name, Is.EqualTo("en-US"));
    }

    [Test]
    public async Task A_format_the_script_cannot_repeat_exactly_is_not_handed_out()
    {
        //e.g. cash rounding to 0.05 in the shop's formatting: the script would write other figures than nopCommerce
        var formatter = Formatter((price, code) => (Math.Round(price * 20, MidpointRounding.AwayFromZero) / 20).ToString("C", CultureInfo.GetCultureInfo("de-CH")));

        Assert.That(await formatter.GetFormatAsync("CHF"), Is.Null);
    }

    [Test]
    public async Task The_format_for_the_script_matches_nopCommerces_custom_currency_formatting()
    {
        var formatter = Formatter((price, code) => price.ToString("#,##0.00 'kr'", CultureInfo.GetCultureInfo("sv-SE")));

        var format = await formatter.GetFormatAsync("SEK");

        Assert.That(format, Is.Not.Null);
        Assert.That(format.Format(260001), Is.EqualTo(2600.01m.ToString("#,##0.00 'kr'", CultureInfo.GetCultureInfo("sv-SE"))));
    }

    [Test]
    public async Task Outside_a_request_the_working_culture_is_invariant()
    {
        var work = new Mock<IWorkContext>();
        work.Setup(w => w.GetWorkingLanguageAsync()).ThrowsAsync(new InvalidOperationException("no HTTP context"));
        var formatter = new KlarnaMoneyFormatter(new Mock<IPriceFormatter>().Object, work.Object);

        Assert.That(await formatter.GetWorkingCultureAsync(), Is.EqualTo(CultureInfo.InvariantCulture));
    }
}
