using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaOrderOverviewTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [Test]
    public async Task GetOrderOverviewAsync_computes_per_line_quantities_from_klarnas_captures_and_refunds()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000), Line("sku-2", 2, 500));
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            Lines = new[] { new KlarnaLineSelection { Reference = "sku-1", Quantity = 2 }, new KlarnaLineSelection { Reference = "sku-2", Quantity = 1 } },
            Initiator = KlarnaInitiator.Admin
        });
        await _harness.Service.RefundAsync(new KlarnaRefundCommand
        {
            OrderId = order.Id,
            Lines = new[] { new KlarnaLineSelection { Reference = "sku-1", Quantity = 1 } },
            Initiator = KlarnaInitiator.Admin
        });

        var overview = await _harness.Service.GetOrderOverviewAsync(order.Id);

        var sku1 = overview.Lines.Single(l => l.Reference == "sku-1");
        var sku2 = overview.Lines.Single(l => l.Reference == "sku-2");
        Assert.Multiple(() =>
        {
            Assert.That((sku1.CapturedQuantity, sku1.RefundedQuantity, sku1.CapturableQuantity, sku1.RefundableQuantity), Is.EqualTo((2L, 1L, 1L, 1L)));
            Assert.That((sku2.CapturedQuantity, sku2.RefundedQuantity, sku2.CapturableQuantity, sku2.RefundableQuantity), Is.EqualTo((1L, 0L, 1L, 1L)));
            Assert.That(overview.OrderAmountMinor, Is.EqualTo(4000));
            Assert.That(overview.CapturedAmountMinor, Is.EqualTo(2500));
            Assert.That(overview.RefundedAmountMinor, Is.EqualTo(1000));
            Assert.That(overview.RemainingAuthorizedAmountMinor, Is.EqualTo(1500));
            Assert.That(overview.RefundableAmountMinor, Is.EqualTo(1500));
            Assert.That(overview.CanCapture && overview.CanRefund && overview.CanRelease && overview.CanExtendAuthorization, Is.True);
            Assert.That(overview.CanCancel, Is.False);
            Assert.That(overview.Operations, Has.Count.EqualTo(2));
            Assert.That(overview.CurrencyCode, Is.EqualTo("EUR"));
            Assert.That(overview.ReadError, Is.Null);
        });
    }

    [Test]
    public async Task GetOrderOverviewAsync_returns_null_for_an_order_not_paid_with_klarna()
    {
        Assert.That(await _harness.Service.GetOrderOverviewAsync(424242), Is.Null);
    }

    [Test]
    public async Task GetOrderOverviewAsync_shows_the_records_amounts_and_the_error_when_klarna_cannot_be_read()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Klarna.FailReads = true;

        var overview = await _harness.Service.GetOrderOverviewAsync(order.Id);

        Assert.That(overview.KlarnaOrder, Is.Null);
        Assert.That(overview.ReadError, Does.Contain("Klarna is down"));
        Assert.That(overview.RemainingAuthorizedAmountMinor, Is.EqualTo(5000));
        Assert.That(overview.CanCapture, Is.False);
        Assert.That(_harness.OperationsOf(order), Is.Empty, "a failed read is not an operation");
    }

    [Test]
    public async Task GetOrderOverviewAsync_records_a_capture_made_in_the_merchant_portal()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.Klarna.CaptureAsync(null, _harness.KlarnaOrderId(order), new KlarnaCaptureRequest { CapturedAmount = 5000 }, null);

        var overview = await _harness.Service.GetOrderOverviewAsync(order.Id);

        var operation = overview.Operations.Single();
        Assert.That(operation.Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
        Assert.That(operation.AmountMinor, Is.EqualTo(5000));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)Nop.Core.Domain.Payments.PaymentStatus.Paid));
    }
}
