using Moq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The reconciliation path of the executor (status sync, notifications, the order block): the record and the nopCommerce
/// order follow Klarna through the policy, under the same lock as the commands
/// </summary>
[TestFixture]
public class KlarnaOperationExecutorReconcileTests
{
    private OrderManagementHarness _harness;
    private Order _order;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
        _order = _harness.CreateOrder(Line("sku-1", 1, 10000));
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private Task<KlarnaOperationResult> ReconcileAsync(bool wait = false) =>
        _harness.Executor.ReconcileAsync(new KlarnaReconcileRequest { OrderId = _order.Id, Initiator = KlarnaInitiator.StatusSync, Wait = wait });

    private void ChangeAtKlarna(Action<KlarnaOrder> change)
    {
        var klarnaOrder = _harness.KlarnaOrderOf(_order);
        change(klarnaOrder);
        _harness.Klarna.AddOrder(klarnaOrder);
    }

    [Test]
    public async Task A_second_reconciliation_of_the_same_klarna_order_changes_nothing()
    {
        ChangeAtKlarna(k => k.FraudStatus = KlarnaFraudStatus.Accepted);
        await ReconcileAsync();
        var notes = _harness.NotesOf(_order).Count;
        _harness.OrderService.Invocations.Clear();

        var second = await ReconcileAsync();

        Assert.That(second.Changed, Is.False);
        Assert.That(_harness.NotesOf(_order).Count, Is.EqualTo(notes));
        _harness.OrderService.Verify(s => s.UpdateOrderAsync(It.IsAny<Order>()), Times.Never);
    }

    [Test]
    public async Task An_extension_made_outside_the_plugin_is_noted_once_and_recorded()
    {
        var record = await _harness.RecordService.GetByOrderIdAsync(_order.Id);
        record.ExpiresAtUtc = _harness.KlarnaOrderOf(_order).ExpiresAt.Value.UtcDateTime;
        await _harness.RecordService.UpdateAsync(record);
        ChangeAtKlarna(k => k.ExpiresAt = k.ExpiresAt.Value.AddDays(28));

        await ReconcileAsync();
        await ReconcileAsync();

        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("the authorization now expires on"));
        Assert.That((await _harness.RecordService.GetByOrderIdAsync(_order.Id)).ExpiresAtUtc, Is.EqualTo(_harness.KlarnaOrderOf(_order).ExpiresAt.Value.UtcDateTime));
    }

    [Test]
    public async Task A_payment_status_out_of_step_with_klarna_is_set_back_with_one_note()
    {
        _order.PaymentStatusId = (int)PaymentStatus.Paid;

        var result = await ReconcileAsync();

        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("payment status set from Paid to Authorized to match Klarna"));
        Assert.That(result.Changed, Is.True);
    }

    [Test]
    public async Task A_capture_in_the_merchant_portal_sets_paid_and_the_mapped_status_and_publishes_after_the_lock()
    {
        ChangeAtKlarna(k =>
        {
            k.Captures.Add(new KlarnaCapture { CaptureId = "portal", CapturedAmount = 10000, CapturedAt = DateTimeOffset.UtcNow });
            k.CapturedAmount = 10000;
            k.RemainingAuthorizedAmount = 0;
            k.Status = KlarnaOrderStatus.Captured;
        });

        await ReconcileAsync();

        Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        Assert.That(_order.OrderStatusId, Is.EqualTo((int)OrderStatus.Complete));
        Assert.That(_harness.PublishedEvents.OfType<OrderStatusChangedEvent>().Count(), Is.EqualTo(1));
        Assert.That(_harness.Locker.HeldKeys, Is.Empty);
    }

    [Test]
    public async Task Without_waiting_a_busy_order_is_skipped_without_reading_or_noting()
    {
        _harness.Locker.Hold(KlarnaDefaults.OrderLockKey(_order.Id));

        var result = await ReconcileAsync();

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.OrderBusy));
        Assert.That(_harness.Klarna.Reads, Is.Zero);
        Assert.That(_harness.NotesOf(_order), Is.Empty);
    }

    [Test]
    public async Task A_rejected_order_is_cancelled_at_klarna_through_the_command_path_once()
    {
        ChangeAtKlarna(k => k.FraudStatus = KlarnaFraudStatus.Rejected);

        var first = await ReconcileAsync();
        var second = await ReconcileAsync();

        Assert.That(first.Operation.Kind, Is.EqualTo(KlarnaOperationKind.Cancel));
        Assert.That(second.Operation, Is.Null);
        Assert.That(_harness.Klarna.Writes.Select(w => w.Method), Is.EqualTo(new[] { "cancel" }));
        Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Voided));
        Assert.That(_order.OrderStatusId, Is.EqualTo((int)OrderStatus.Cancelled));
    }

    [Test]
    public async Task A_rejected_order_is_not_cancelled_when_the_caller_asks_not_to()
    {
        ChangeAtKlarna(k => k.FraudStatus = KlarnaFraudStatus.Rejected);

        await _harness.Executor.ReconcileAsync(new KlarnaReconcileRequest { OrderId = _order.Id, CancelFraudRejected = false });

        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Authorized), "the payment stays authorized until Klarna cancels it");
        Assert.That(_harness.NotesOf(_order), Has.Some.Contains("Klarna rejected this order"));
    }

    [Test]
    public async Task A_stopped_order_gets_the_stopped_status_and_a_note_and_is_not_cancelled()
    {
        ChangeAtKlarna(k => k.FraudStatus = KlarnaFraudStatus.Stopped);

        await ReconcileAsync();

        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_order.OrderStatusId, Is.EqualTo(_harness.Settings.OrderStatusFraudStoppedId));
        Assert.That(_harness.NotesOf(_order), Has.Some.Contains("Klarna stopped this order"));
    }

    [Test]
    public async Task An_order_klarna_cannot_be_read_for_is_answered_with_klarnas_error_and_changes_nothing()
    {
        _harness.Klarna.FailReads = true;

        var result = await ReconcileAsync();

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.KlarnaUnreadable));
        Assert.That(result.KlarnaError.ErrorCode, Is.EqualTo("TEMPORARILY_UNAVAILABLE"));
        Assert.That(_harness.NotesOf(_order), Is.Empty, "a sync run reports its failures in the run, not per order note");
    }
}
