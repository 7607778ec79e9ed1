using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The settler at its edges: no replay without a whole write's worst case left of the lock, each Merchant Portal refund and
/// release recorded with its note, and a Merchant Portal change another flow recorded first neither recorded nor noted again
/// </summary>
public partial class KlarnaPendingSettlerTests
{
    [Test]
    public async Task A_pending_write_is_not_replayed_when_the_lock_no_longer_has_a_whole_writes_worst_case_left()
    {
        //the read took longer than its worst case (50 ms, no retries): the lock cannot cover a replay, so it waits for the next turn
        _harness.ClientOptions.Timeout = TimeSpan.FromMilliseconds(50);
        _harness.ClientOptions.MaxRetries = 0;
        _harness.EngineOptions.LockMargin = TimeSpan.Zero;
        _harness.Settings.RequestTimeoutSeconds = 0;
        var pending = await PendingAsync("lost-1", 3000, TimeSpan.FromMinutes(5));
        _harness.Klarna.ReadDelay = TimeSpan.FromMilliseconds(200);

        await ReconcileAsync();

        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.OperationsOf(_order).Single(op => op.Id == pending.Id).Status, Is.EqualTo(KlarnaOperationStatus.Pending));
    }

    [Test]
    public async Task Two_refunds_made_in_the_merchant_portal_are_recorded_as_two_with_a_note_each()
    {
        PortalCapture("cap-1", 5000, Now.AddMinutes(-5));
        PortalRefund("ref-1", 1000);
        PortalRefund("ref-2", 1500);

        await ReconcileAsync();
        await ReconcileAsync();

        var refunds = _harness.OperationsOf(_order).Where(op => op.Kind == KlarnaOperationKind.Refund).ToList();
        Assert.That(refunds.Select(op => (op.KlarnaId, op.AmountMinor)), Is.EquivalentTo(new[] { ("ref-1", 1000L), ("ref-2", 1500L) }));
        Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("refunded in the Klarna Merchant Portal")), Is.EqualTo(2));
        Assert.That(_order.RefundedAmount, Is.EqualTo(25m));
    }

    [Test]
    public async Task A_release_made_in_the_merchant_portal_is_recorded_once_with_its_note()
    {
        PortalCapture("cap-1", 3000, Now.AddMinutes(-5));
        var klarnaOrder = _harness.KlarnaOrderOf(_order);
        klarnaOrder.Status = KlarnaOrderStatus.Captured;
        klarnaOrder.RemainingAuthorizedAmount = 0;
        _harness.Klarna.AddOrder(klarnaOrder);

        await ReconcileAsync();
        await ReconcileAsync();

        var release = _harness.OperationsOf(_order).Single(op => op.Kind == KlarnaOperationKind.Release);
        Assert.That((release.AmountMinor, release.Initiator), Is.EqualTo((7000L, KlarnaInitiator.MerchantPortal)));
        Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("remaining authorization of") && n.Contains("released in the Klarna Merchant Portal")), Is.EqualTo(1));
    }

    [Test]
    public async Task A_merchant_portal_capture_another_flow_recorded_first_is_neither_recorded_nor_noted_again()
    {
        //a record under the same key that this order's session did not read (another flow stored it first)
        PortalCapture("cap-1", 3000, Now.AddMinutes(-5));
        var key = $"external:{_harness.KlarnaOrderId(_order)}:capture:cap-1";
        var other = new KlarnaOperation
        {
            OrderId = _order.Id + 1000, KlarnaOrderId = _harness.KlarnaOrderId(_order), Kind = KlarnaOperationKind.Capture,
            Status = KlarnaOperationStatus.Succeeded, AmountMinor = 3000, CurrencyCode = "EUR", IdempotencyKey = key,
            Initiator = KlarnaInitiator.MerchantPortal, CreatedOnUtc = Now, UpdatedOnUtc = Now
        };
        await _harness.RecordService.InsertOperationAsync(other);

        await ReconcileAsync();

        Assert.That(_harness.OperationTable.Rows.Count(op => op.IdempotencyKey == key), Is.EqualTo(1));
        Assert.That(_harness.NotesOf(_order).Where(n => n.Contains("captured in the Klarna Merchant Portal")), Is.Empty);
    }

    [Test]
    public async Task A_merchant_portal_capture_whose_insert_loses_the_race_on_its_key_is_not_noted()
    {
        //the unique index on the key refuses the second insert of the same Klarna capture
        PortalCapture("cap-1", 3000, Now.AddMinutes(-5));
        _harness.OperationTable.AfterInsert = _ => throw new InvalidOperationException("duplicate key");

        Assert.DoesNotThrowAsync(ReconcileAsync);
        _harness.OperationTable.AfterInsert = null;

        Assert.That(_harness.NotesOf(_order).Where(n => n.Contains("captured in the Klarna Merchant Portal")), Is.Empty);
    }

    private Task<KlarnaOperationResult> AdminCaptureAsync(long amount) =>
        _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id, AmountMinor = amount, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin" });

    [Test]
    public async Task A_click_that_first_fails_a_pending_capture_Klarna_refuses_on_replay_then_sends_its_own_capture()
    {
        //the settler's own change of the record is not mistaken for another flow's (a rival) by the click's write
        var pending = await PendingAsync("refused-later", 3000, TimeSpan.FromMinutes(5));
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";

        var result = await AdminCaptureAsync(2000);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.OperationsOf(_order).Single(op => op.Id == pending.Id).Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(_harness.KlarnaOrderOf(_order).CapturedAmount, Is.EqualTo(2000));
    }

    [Test]
    public async Task A_click_that_first_marks_a_pending_capture_as_needing_attention_then_sends_its_own_capture()
    {
        var pending = await PendingAsync("lost-long-ago", 3000, TimeSpan.FromHours(25));

        var result = await AdminCaptureAsync(2000);

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.OperationsOf(_order).Single(op => op.Id == pending.Id).Status, Is.EqualTo(KlarnaOperationStatus.NeedsAttention));
        Assert.That(_harness.KlarnaOrderOf(_order).CapturedAmount, Is.EqualTo(2000));
    }

    private Task<KlarnaOperationResult> ClickFromViewAsync(KlarnaCommand command, KlarnaOperation shownUnsettled)
    {
        command.OrderId = _order.Id;
        command.Initiator = KlarnaInitiator.Admin;
        command.IdempotencyKey = "new-modal";
        command.UnsettledSeen = new[] { shownUnsettled.Id };
        return _harness.Executor.ExecuteAsync(command);
    }

    [Test]
    public async Task A_click_from_a_view_where_a_capture_had_no_outcome_is_refused_once_another_flow_found_it_done()
    {
        //the block showed the capture pending; a sync run found its effect before the admin's click arrived
        var pending = await PendingAsync("lost-answer", 3000, TimeSpan.FromMinutes(5));
        PortalCapture("cap-1", 3000, Now.AddMinutes(-4));
        await ReconcileAsync();

        var click = await ClickFromViewAsync(new KlarnaCaptureCommand { AmountMinor = 3000 }, pending);

        Assert.That(_harness.OperationsOf(_order).Single(op => op.Id == pending.Id).Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(click.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.EarlierOperationCompleted), _harness.TextOf(click));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.KlarnaOrderOf(_order).CapturedAmount, Is.EqualTo(3000));
    }

    [Test]
    public async Task A_click_from_a_view_where_a_capture_had_no_outcome_goes_ahead_once_Klarna_refused_that_capture()
    {
        var pending = await PendingAsync("refused-on-replay", 3000, TimeSpan.FromMinutes(5));
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";
        await ReconcileAsync();

        var click = await ClickFromViewAsync(new KlarnaCaptureCommand { AmountMinor = 3000 }, pending);

        Assert.That(_harness.OperationsOf(_order).Single(op => op.Id == pending.Id).Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(click.Success, Is.True, _harness.TextOf(click));
        Assert.That(_harness.KlarnaOrderOf(_order).CapturedAmount, Is.EqualTo(3000));
    }

    [Test]
    public async Task A_refund_from_a_view_where_a_capture_had_no_outcome_is_not_stopped_by_that_capture()
    {
        var pending = await PendingAsync("lost-answer", 3000, TimeSpan.FromMinutes(5));
        PortalCapture("cap-1", 3000, Now.AddMinutes(-4));
        await ReconcileAsync();

        var click = await ClickFromViewAsync(new KlarnaRefundCommand { AmountMinor = 1000 }, pending);

        Assert.That(click.Success, Is.True, _harness.TextOf(click));
    }
}
