using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The read side of the order block: one GET of Klarna's order without a lock; a reconciliation under the lock only when
/// the record or nopCommerce is behind Klarna
/// </summary>
[TestFixture]
public class KlarnaOrderReaderTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private void ResetCounters()
    {
        Interlocked.Exchange(ref _harness.Klarna.Reads, 0);
        Interlocked.Exchange(ref _harness.Locker.Acquisitions, 0);
    }

    [Test]
    public async Task The_block_of_an_order_in_step_costs_one_read_and_no_lock_and_shows_per_line_quantities()
    {
        var order = _harness.CreateOrder(Line("sku-1", 3, 1000), Line("sku-2", 2, 500));
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            Lines = new[] { new KlarnaLineSelection { Reference = "sku-1", Quantity = 2 }, new KlarnaLineSelection { Reference = "sku-2", Quantity = 1 } }
        });
        await _harness.Executor.ExecuteAsync(new KlarnaRefundCommand { OrderId = order.Id, Lines = new[] { new KlarnaLineSelection { Reference = "sku-1", Quantity = 1 } } });
        ResetCounters();

        var view = await _harness.Reader.ReadAsync(order);

        var decision = view.Decision;
        var sku1 = decision.Lines.Single(l => l.Reference == "sku-1");
        var sku2 = decision.Lines.Single(l => l.Reference == "sku-2");
        Assert.Multiple(() =>
        {
            Assert.That((_harness.Klarna.Reads, _harness.Locker.Acquisitions), Is.EqualTo((1, 0)));
            Assert.That((sku1.CapturedQuantity, sku1.RefundedQuantity, sku1.CapturableQuantity, sku1.RefundableQuantity), Is.EqualTo((2L, 1L, 1L, 1L)));
            Assert.That((sku2.CapturedQuantity, sku2.RefundedQuantity, sku2.CapturableQuantity, sku2.RefundableQuantity), Is.EqualTo((1L, 0L, 1L, 1L)));
            Assert.That(decision.OrderAmountMinor, Is.EqualTo(4000));
            Assert.That(decision.CapturedAmountMinor, Is.EqualTo(2500));
            Assert.That(decision.RefundedAmountMinor, Is.EqualTo(1000));
            Assert.That(decision.RemainingAuthorizedAmountMinor, Is.EqualTo(1500));
            Assert.That(decision.RefundableAmountMinor, Is.EqualTo(1500));
            Assert.That(decision.Capture.Allowed && decision.Refund.Allowed && decision.Release.Allowed && decision.Extend.Allowed, Is.True);
            Assert.That(decision.Cancel.Allowed, Is.False);
            Assert.That(view.Operations, Has.Count.EqualTo(2));
            Assert.That(decision.CurrencyCode, Is.EqualTo("EUR"));
            Assert.That(view.ReadError, Is.Null);
            Assert.That(view.Busy, Is.False);
        });
    }

    [Test]
    public async Task An_order_not_paid_with_klarna_has_no_block()
    {
        var order = new Nop.Core.Domain.Orders.Order { Id = 424242, PaymentMethodSystemName = "Payments.Manual" };

        Assert.That(await _harness.Reader.ReadAsync(order), Is.Null);
        Assert.That(_harness.Klarna.Reads, Is.Zero);
    }

    [Test]
    public async Task When_klarna_cannot_be_read_the_block_shows_the_record_and_klarnas_error_and_nothing_is_recorded()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Klarna.FailReads = true;

        var view = await _harness.Reader.ReadAsync(order);

        Assert.That(view.KlarnaOrder, Is.Null);
        Assert.That(view.Decision, Is.Null);
        Assert.That(view.ReadError.ErrorCode, Is.EqualTo("TEMPORARILY_UNAVAILABLE"));
        Assert.That(view.ReadError.CorrelationId, Does.StartWith("corr-"));
        Assert.That(view.Record.RemainingAuthorizedAmountMinor, Is.EqualTo(5000));
        Assert.That(_harness.OperationsOf(order), Is.Empty, "a failed read is not an operation");
        Assert.That(_harness.NotesOf(order), Is.Empty);
    }

    [Test]
    public async Task A_capture_made_in_the_merchant_portal_is_recorded_under_the_lock_when_the_block_is_read()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.Klarna.CaptureAsync(null, _harness.KlarnaOrderId(order), new KlarnaCaptureRequest { CapturedAmount = 5000 }, null);
        ResetCounters();

        var view = await _harness.Reader.ReadAsync(order);

        var operation = view.Operations.Single();
        Assert.That(operation.Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
        Assert.That(operation.AmountMinor, Is.EqualTo(5000));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        Assert.That(_harness.Locker.Acquisitions, Is.EqualTo(1));
        Assert.That(view.Decision.Capture.Allowed, Is.False);
    }

    [Test]
    public async Task An_order_behind_klarna_while_another_operation_holds_it_is_shown_as_read_and_marked_busy()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.Klarna.CaptureAsync(null, _harness.KlarnaOrderId(order), new KlarnaCaptureRequest { CapturedAmount = 5000 }, null);
        _harness.Locker.Hold(KlarnaDefaults.OrderLockKey(order.Id));

        var view = await _harness.Reader.ReadAsync(order);

        Assert.That(view.Busy, Is.True);
        Assert.That(view.Decision.CapturedAmountMinor, Is.EqualTo(5000));
        Assert.That(_harness.OperationsOf(order), Is.Empty, "nothing is written without the lock");
    }

    [Test]
    public void The_read_honours_the_requests_cancellation()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Klarna.ReadDelay = TimeSpan.FromSeconds(30);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        Assert.That(() => _harness.Reader.ReadAsync(order, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
