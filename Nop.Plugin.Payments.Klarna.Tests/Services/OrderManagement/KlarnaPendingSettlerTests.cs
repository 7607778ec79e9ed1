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
/// Settling the plan of the settlement policy under the lock (driven through a reconciliation): succeeded, replayed with the
/// recorded key, needs attention, Merchant Portal changes recorded once
/// </summary>
[TestFixture]
public partial class KlarnaPendingSettlerTests
{
    private OrderManagementHarness _harness;
    private Order _order;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
        _order = _harness.CreateOrder(Line("sku-1", 10, 1000));
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private DateTime Now => _harness.Time.GetUtcNow().UtcDateTime;

    private async Task<KlarnaOperation> PendingAsync(string key, long amount, TimeSpan age, KlarnaOperationKind kind = KlarnaOperationKind.Capture)
    {
        var operation = new KlarnaOperation
        {
            OrderId = _order.Id, KlarnaOrderId = _harness.KlarnaOrderId(_order), Kind = kind, Status = KlarnaOperationStatus.Pending,
            AmountMinor = amount, CurrencyCode = "EUR", IdempotencyKey = key, Initiator = KlarnaInitiator.Admin,
            CreatedOnUtc = Now - age, UpdatedOnUtc = Now - age
        };
        await _harness.RecordService.InsertOperationAsync(operation);
        return operation;
    }

    private void PortalCapture(string id, long amount, DateTime at)
    {
        var klarnaOrder = _harness.KlarnaOrderOf(_order);
        klarnaOrder.Captures.Add(new KlarnaCapture { CaptureId = id, CapturedAmount = amount, CapturedAt = at, KlarnaReference = "KR-" + id });
        klarnaOrder.CapturedAmount += amount;
        klarnaOrder.RemainingAuthorizedAmount -= amount;
        klarnaOrder.Status = klarnaOrder.CapturedAmount >= klarnaOrder.OrderAmount ? KlarnaOrderStatus.Captured : KlarnaOrderStatus.PartCaptured;
        _harness.Klarna.AddOrder(klarnaOrder);
    }

    private void PortalRefund(string id, long amount, DateTime? at = null)
    {
        var klarnaOrder = _harness.KlarnaOrderOf(_order);
        klarnaOrder.Refunds.Add(new KlarnaRefund { RefundId = id, RefundedAmount = amount, RefundedAt = at ?? Now });
        klarnaOrder.RefundedAmount += amount;
        _harness.Klarna.AddOrder(klarnaOrder);
    }

    private void CancelInKlarna()
    {
        var klarnaOrder = _harness.KlarnaOrderOf(_order);
        klarnaOrder.Status = KlarnaOrderStatus.Cancelled;
        klarnaOrder.RemainingAuthorizedAmount = 0;
        _harness.Klarna.AddOrder(klarnaOrder);
    }

    private Task<KlarnaOperationResult> ReconcileAsync() =>
        _harness.Executor.ReconcileAsync(new KlarnaReconcileRequest { OrderId = _order.Id, Initiator = KlarnaInitiator.StatusSync });

    [Test]
    public async Task Pending_captures_are_matched_oldest_first_and_only_the_unclaimed_capture_is_recorded_as_a_merchant_portal_capture()
    {
        var old = await PendingAsync("old", 3000, TimeSpan.FromMinutes(10));
        PortalCapture("cap-a", 3000, Now.AddMinutes(-9));
        PortalCapture("cap-b", 1000, Now.AddMinutes(-1));

        await ReconcileAsync();

        var operations = _harness.OperationsOf(_order);
        Assert.Multiple(() =>
        {
            Assert.That(operations.Single(op => op.IdempotencyKey == "old").KlarnaId, Is.EqualTo("cap-a"));
            Assert.That(operations.Single(op => op.IdempotencyKey == "old").Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
            var portal = operations.Single(op => op.KlarnaId == "cap-b");
            Assert.That(portal.Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
            Assert.That(portal.IdempotencyKey, Is.EqualTo($"external:{_harness.KlarnaOrderId(_order)}:capture:cap-b"));
            Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("Merchant Portal")), Is.EqualTo(1));
            Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("was found in Klarna's order")), Is.EqualTo(1));
            Assert.That(_harness.Klarna.Writes, Is.Empty);
        });
    }

    [Test]
    public async Task A_merchant_portal_capture_made_before_a_pending_capture_is_not_its_effect_and_the_pending_one_is_replayed_with_its_key()
    {
        PortalCapture("portal", 3000, Now.AddHours(-1));
        await PendingAsync("now", 3000, TimeSpan.Zero);

        await ReconcileAsync();

        var operations = _harness.OperationsOf(_order);
        Assert.That(operations.Single(op => op.KlarnaId == "portal").Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
        var replayed = operations.Single(op => op.IdempotencyKey == "now");
        Assert.That(replayed.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(replayed.KlarnaId, Is.Not.EqualTo("portal"));
        Assert.That(_harness.Klarna.Writes.Single().Key, Is.EqualTo("now"));
    }

    [Test]
    public async Task A_replay_klarna_refuses_fails_the_operation_with_klarnas_error_in_a_note()
    {
        await PendingAsync("lost", 3000, TimeSpan.FromMinutes(5));
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";

        await ReconcileAsync();

        var operation = _harness.OperationsOf(_order).Single();
        Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(operation.ErrorCode, Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("Klarna refused it").And.Contain("CAPTURE_NOT_ALLOWED"));
    }

    [Test]
    public async Task A_replay_whose_answer_is_lost_again_stays_pending()
    {
        await PendingAsync("lost", 3000, TimeSpan.FromMinutes(5));
        _harness.Klarna.NextFault["capture"] = "drop";

        await ReconcileAsync();

        Assert.That(_harness.OperationsOf(_order).Single().Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(_harness.Klarna.Writes.Single().Key, Is.EqualTo("lost"));
        Assert.That(_harness.NotesOf(_order), Is.Empty, "a sync run settles again and again: it logs, no note per attempt");
    }

    [Test]
    public async Task A_replay_an_admin_asked_for_whose_answer_is_lost_again_leaves_a_note_with_the_error_the_admin_saw()
    {
        //found by the model-based suite: an admin repeated a click whose write was pending, the replay lost its answer
        //again, the admin saw the error and no order note told of it
        await PendingAsync("lost", 3000, TimeSpan.FromMinutes(5));
        _harness.Klarna.NextFault["capture"] = "drop";

        await _harness.Executor.ReconcileAsync(new KlarnaReconcileRequest { OrderId = _order.Id, Initiator = KlarnaInitiator.Admin });

        var operation = _harness.OperationsOf(_order).Single();
        Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(operation.ErrorCode, Is.Not.Empty);
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain(operation.ErrorCode));
    }

    [Test]
    public async Task After_the_replay_window_a_pending_capture_without_effect_needs_attention_once_and_is_settled_if_its_effect_shows_up()
    {
        var waiting = await PendingAsync("late", 3000, TimeSpan.FromHours(24));

        await ReconcileAsync();
        await ReconcileAsync();
        PortalCapture("cap-late", 3000, waiting.CreatedOnUtc.AddMinutes(1));
        await ReconcileAsync();

        var operation = _harness.OperationsOf(_order).Single();
        Assert.That(_harness.Klarna.Writes, Is.Empty, "never sent again after the window");
        Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("needs attention")), Is.EqualTo(1));
        Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(operation.KlarnaId, Is.EqualTo("cap-late"));
    }

    [Test]
    public async Task A_cancel_and_a_release_made_in_the_merchant_portal_are_recorded_once_each()
    {
        CancelInKlarna();

        await ReconcileAsync();
        await ReconcileAsync();

        Assert.That(_harness.OperationsOf(_order).Single().Kind, Is.EqualTo(KlarnaOperationKind.Cancel));
        Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("cancelled in the Klarna Merchant Portal")), Is.EqualTo(1));
        Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Voided));
    }

    [Test]
    public async Task A_pending_cancel_past_the_replay_window_of_a_cancelled_order_needs_attention_once_and_is_neither_ours_nor_the_portals()
    {
        //found by the model-based suite: the plugin's cancel lost its answer, the Merchant Portal cancelled, the clocks moved
        //24 h; the cancelled state no longer tells whose it was, so it is left to a person, never guessed
        var cancel = await PendingAsync("cancel-lost", 10000, TimeSpan.FromHours(25), KlarnaOperationKind.Cancel);
        CancelInKlarna();

        await ReconcileAsync();
        await ReconcileAsync();

        var operation = _harness.OperationsOf(_order).Single();
        var notes = _harness.NotesOf(_order);
        Assert.Multiple(() =>
        {
            Assert.That(operation.Id, Is.EqualTo(cancel.Id), "no Merchant Portal cancel was recorded");
            Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.NeedsAttention));
            Assert.That(_harness.Klarna.Writes, Is.Empty, "never sent again after the window");
            Assert.That(notes.Count(n => n.Contains("cancel-lost") && n.Contains("may have been made in the Klarna Merchant Portal")), Is.EqualTo(1));
            Assert.That(notes, Has.None.Contains("cancelled in the Klarna Merchant Portal"));
            Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Voided), "nopCommerce still follows Klarna's money");
        });
    }

    [Test]
    public async Task A_refund_made_in_the_merchant_portal_is_recorded_with_the_refunded_amount_in_nopCommerce()
    {
        PortalCapture("cap-1", 10000, Now.AddHours(-1));
        PortalRefund("ref-1", 2500);

        await ReconcileAsync();

        Assert.That(_harness.OperationsOf(_order).Select(op => (op.Kind, op.KlarnaId)),
            Is.EquivalentTo(new[] { (KlarnaOperationKind.Capture, "cap-1"), (KlarnaOperationKind.Refund, "ref-1") }));
        Assert.That(_order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded));
        Assert.That(_order.RefundedAmount, Is.EqualTo(25m));
    }
}
