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

    [TestCase(0, 0, 0, KlarnaOrderStatus.Cancelled, Nop.Core.Domain.Payments.PaymentStatus.Voided)]
    [TestCase(0, 0, 0, KlarnaOrderStatus.Expired, Nop.Core.Domain.Payments.PaymentStatus.Voided)]
    [TestCase(0, 0, 1000, KlarnaOrderStatus.Authorized, Nop.Core.Domain.Payments.PaymentStatus.Authorized)]
    [TestCase(400, 0, 600, KlarnaOrderStatus.PartCaptured, Nop.Core.Domain.Payments.PaymentStatus.Authorized)]
    [TestCase(1000, 0, 0, KlarnaOrderStatus.Captured, Nop.Core.Domain.Payments.PaymentStatus.Paid)]
    [TestCase(400, 0, 0, KlarnaOrderStatus.Captured, Nop.Core.Domain.Payments.PaymentStatus.Paid)]
    [TestCase(1000, 100, 0, KlarnaOrderStatus.Captured, Nop.Core.Domain.Payments.PaymentStatus.PartiallyRefunded)]
    [TestCase(1000, 1000, 0, KlarnaOrderStatus.Captured, Nop.Core.Domain.Payments.PaymentStatus.Refunded)]
    public void ComputePaymentStatus_follows_the_money(long captured, long refunded, long remaining, string status, Nop.Core.Domain.Payments.PaymentStatus expected)
    {
        var record = new KlarnaOrderRecord { CapturedAmountMinor = captured, RefundedAmountMinor = refunded, RemainingAuthorizedAmountMinor = remaining, KlarnaStatus = status };

        Assert.That(KlarnaOrderManagementService.ComputePaymentStatus(record, Nop.Core.Domain.Payments.PaymentStatus.Authorized), Is.EqualTo(expected));
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
