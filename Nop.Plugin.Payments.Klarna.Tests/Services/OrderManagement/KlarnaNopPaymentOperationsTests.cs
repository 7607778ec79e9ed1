using Moq;
using Nop.Core.Domain.Cms;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Payments;
using Nop.Services.ScheduleTasks;
using Nop.Web.Framework.Mvc.Routing;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// nopCommerce's own Capture / Refund / Partial refund / Void buttons as commands of the order engine
/// </summary>
[TestFixture]
public class KlarnaNopPaymentOperationsTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private Task<KlarnaOperationResult> CaptureAsync(Nop.Core.Domain.Orders.Order order, long amount) =>
        _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = amount, Initiator = KlarnaInitiator.Admin });

    private KlarnaPaymentMethod PaymentMethod() => new(new Mock<IKlarnaCheckoutService>().Object, _harness.NopOperations,
        new Mock<ILocalizationService>().Object, new Mock<INopUrlHelper>().Object, new Mock<IScheduleTaskService>().Object,
        new Mock<ISettingService>().Object, new PaymentSettings(), new WidgetSettings());

    [Test]
    public async Task CaptureAsync_captures_the_rest_and_returns_paid_with_the_capture_id()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await CaptureAsync(order, 3000);

        var result = await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Paid));
        Assert.That(result.CaptureTransactionId, Is.EqualTo(_harness.KlarnaOrderOf(order).Captures[1].CaptureId));
        Assert.That(_harness.KlarnaOrderOf(order).Captures[1].CapturedAmount, Is.EqualTo(7000));
        Assert.That(_harness.PublishedEvents.OfType<Nop.Core.Domain.Orders.OrderPaidEvent>(), Is.Empty, "nopCommerce publishes OrderPaidEvent after its own button");
    }

    [Test]
    public async Task CaptureAsync_failure_keeps_the_payment_status_and_reports_klarnas_error()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";

        var result = await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Not.Empty, "failure");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(result.Errors.Single(), Does.Contain("CAPTURE_NOT_ALLOWED").And.Contain("correlation id corr-"));
    }

    [Test]
    public async Task RefundAsync_converts_the_primary_currency_amount_with_the_order_rate_and_does_not_touch_the_refunded_amount()
    {
        var order = _harness.CreateOrder("SEK", 10.5m, Line("sku-1", 2, 5000));
        await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });

        var result = await _harness.NopOperations.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = 1.99m, IsPartialRefund = true });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.PartiallyRefunded));
        Assert.That(_harness.KlarnaOrderOf(order).Refunds.Single().RefundedAmount, Is.EqualTo(2090), "1.99 * 10.5 = 20.895 SEK -> 20.90");
        Assert.That(order.RefundedAmount, Is.EqualTo(0m), "nopCommerce adds the refunded amount itself");
    }

    [Test]
    public async Task RefundAsync_of_the_order_total_after_a_partial_capture_is_refused_with_the_real_maximum()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await CaptureAsync(order, 3000);

        var result = await _harness.NopOperations.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = order.OrderTotal, IsPartialRefund = false });

        Assert.That(result.Errors.Single(), Is.EqualTo("100.00 EUR is more than Klarna can refund: at most 30.00 EUR (captured and not yet refunded)."));
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(_harness.KlarnaOrderOf(order).Refunds, Is.Empty);
        Assert.That(_harness.OperationsOf(order).Where(op => op.Kind == KlarnaOperationKind.Refund), Is.Empty);
    }

    [Test]
    public async Task PartiallyRefundAsync_as_nopCommerce_calls_it_above_what_klarna_can_refund_is_refused_with_the_real_maximum_and_writes_nothing()
    {
        //the order of issue 17: 1199.50 USD authorized, 399.50 captured, the rest released; nopCommerce's popup offers 1199.50
        var order = _harness.CreateOrder("USD", 1m, Line("sku-1", 2, 59975));
        await CaptureAsync(order, 39950);
        await _harness.Executor.ExecuteAsync(new KlarnaReleaseCommand { OrderId = order.Id });
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
        Assert.That(NopOrderProcessing.CanPartiallyRefund(order, 1000m), Is.True, "nopCommerce's popup allows more than Klarna can refund");
        var writes = _harness.Klarna.Writes.Count;
        var notes = _harness.NotesOf(order).Count;

        var refused = await NopOrderProcessing.PartiallyRefundAsync(PaymentMethod(), order, 1000m);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Single(), Is.EqualTo("1000.00 USD is more than Klarna can refund: at most 399.50 USD (captured and not yet refunded)."));
            Assert.That(_harness.Klarna.Writes, Has.Count.EqualTo(writes), "nothing sent to Klarna");
            Assert.That(_harness.OperationsOf(order).Where(op => op.Kind == KlarnaOperationKind.Refund), Is.Empty, "nothing recorded");
            Assert.That(_harness.NotesOf(order), Has.Count.EqualTo(notes), "no note of the plugin's (nopCommerce notes the error itself)");
            Assert.That(order.RefundedAmount, Is.Zero);
            Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task PartiallyRefundAsync_as_nopCommerce_calls_it_up_to_what_klarna_can_refund_never_marks_more_refunded_than_klarna()
    {
        var order = _harness.CreateOrder("USD", 1m, Line("sku-1", 2, 59975));
        await CaptureAsync(order, 39950);
        await _harness.Executor.ExecuteAsync(new KlarnaReleaseCommand { OrderId = order.Id });

        var first = await NopOrderProcessing.PartiallyRefundAsync(PaymentMethod(), order, 100m);
        var second = await NopOrderProcessing.PartiallyRefundAsync(PaymentMethod(), order, 299.50m);

        var klarnaOrder = _harness.KlarnaOrderOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Empty);
            Assert.That(second, Is.Empty);
            Assert.That(NopOrderProcessing.CanPartiallyRefund(order, 0.01m), Is.False, "nopCommerce offers no more refund");
            Assert.That(klarnaOrder.RefundedAmount, Is.EqualTo(39950));
            Assert.That(order.RefundedAmount, Is.EqualTo(KlarnaAmount.FromMinor(klarnaOrder.RefundedAmount, "USD")), "nopCommerce's refunded amount = Klarna's");
            Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Refunded), "everything captured is refunded and nothing more can be captured");
        });
    }

    [Test]
    public async Task RefundAsync_full_refund_returns_refunded()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });

        var result = await _harness.NopOperations.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = order.OrderTotal });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Refunded));
    }

    [Test]
    public async Task RefundAsync_refuses_an_order_in_another_currency_than_klarnas()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.NopOperations.CaptureAsync(new CapturePaymentRequest { Order = order });
        order.CustomerCurrencyCode = "USD";

        var result = await _harness.NopOperations.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = 1m, IsPartialRefund = true });

        Assert.That(result.Errors.Single(), Is.EqualTo("The amount is in USD, but the Klarna order is in EUR."));
        Assert.That(_harness.KlarnaOrderOf(order).Refunds, Is.Empty);
    }

    [Test]
    public async Task VoidAsync_cancels_before_any_capture_and_returns_voided()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));

        var result = await _harness.NopOperations.VoidAsync(new VoidPaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Voided));
        Assert.That(_harness.Klarna.Writes.Single().Method, Is.EqualTo("cancel"));
    }

    [Test]
    public async Task VoidAsync_after_a_partial_capture_releases_the_rest_and_returns_paid()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await CaptureAsync(order, 3000);

        var result = await _harness.NopOperations.VoidAsync(new VoidPaymentRequest { Order = order });

        Assert.That(result.Errors, Is.Null.Or.Empty, "success");
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Paid));
        Assert.That(_harness.Klarna.Writes.Last().Method, Is.EqualTo("release"));
    }

    [Test]
    public async Task VoidAsync_of_an_order_klarna_already_cancelled_is_refused_and_the_payment_status_follows_klarna()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id });
        order.PaymentStatusId = (int)PaymentStatus.Authorized;

        var result = await _harness.NopOperations.VoidAsync(new VoidPaymentRequest { Order = order });

        Assert.That(result.Errors.Single(), Is.EqualTo("The Klarna order is already cancelled."));
        Assert.That(_harness.Klarna.Writes.Count(w => w.Method == "cancel"), Is.EqualTo(1));
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided));
    }
}
