using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaOrderAmountsTests
{
    [TestCase(19.99, 1.0, "EUR", 1999)]
    [TestCase(0.005, 1.0, "EUR", 1)]
    [TestCase(1000000, 1.0, "EUR", 100000000)]
    [TestCase(10, 10.5, "SEK", 10500)]
    [TestCase(1.99, 10.5, "SEK", 2090)]
    [TestCase(10, 150.123, "JPY", 1501)]
    [TestCase(10, 0.0, "EUR", 1000)]
    public void ToKlarnaMinor_multiplies_by_the_order_rate_then_rounds_half_away_from_zero(decimal primary, decimal rate, string currency, long expected)
    {
        var order = new Order { CurrencyRate = rate, CustomerCurrencyCode = currency };

        Assert.That(KlarnaOrderAmounts.ToKlarnaMinor(primary, order, currency), Is.EqualTo(expected));
    }

    [TestCase(2090, 10.5, "SEK", 1.99)]
    [TestCase(1999, 1.0, "EUR", 19.99)]
    [TestCase(1501, 150.123, "JPY", 10.00)]
    public void ToPrimaryAmount_divides_by_the_rate_and_rounds_to_cents(long minor, decimal rate, string currency, decimal expected)
    {
        var order = new Order { CurrencyRate = rate };

        Assert.That(KlarnaOrderAmounts.ToPrimaryAmount(minor, order, currency), Is.EqualTo(expected));
    }

    [TestCase(0, 10000, 1.0, 100.00, 0)]
    [TestCase(2500, 10000, 1.0, 100.00, 25.00)]
    [TestCase(2500, 10000, 2.0, 50.00, 12.50)]
    [TestCase(3333, 10000, 3.0, 33.33, 11.11)]
    [TestCase(10000, 10000, 3.0, 33.33, 33.33)]
    public void RefundedAmountOf_converts_klarnas_refunds_and_gives_exactly_the_order_total_once_everything_is_refunded(long refunded, long orderAmount,
        decimal rate, decimal orderTotal, decimal expected)
    {
        var order = new Order { CurrencyRate = rate, OrderTotal = orderTotal };

        Assert.That(KlarnaOrderAmounts.RefundedAmountOf(order, refunded, orderAmount, "EUR"), Is.EqualTo(expected));
    }

    [Test]
    public void RefundedAmountOf_handles_zero_decimal_currencies()
    {
        var order = new Order { CurrencyRate = 150m, OrderTotal = 100m };

        Assert.That(KlarnaOrderAmounts.RefundedAmountOf(order, 1500, 15000, "JPY"), Is.EqualTo(10m));
    }

    [Test]
    public void Prorate_parts_add_up_to_the_whole()
    {
        Assert.That(KlarnaOrderLineMath.Prorate(100, 1, 3), Is.EqualTo(33));
        Assert.That(KlarnaOrderLineMath.Prorate(-100, 1, 3), Is.EqualTo(-33));
        Assert.That(KlarnaOrderLineMath.Prorate(150, 1, 2), Is.EqualTo(75));
        Assert.That(KlarnaOrderLineMath.Prorate(151, 3, 3), Is.EqualTo(151));
    }
}
