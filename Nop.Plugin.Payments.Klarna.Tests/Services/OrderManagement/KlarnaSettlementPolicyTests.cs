using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// A pending operation is settled by its visible effect in Klarna's order, sent again with its own key within the replay
/// window, or flagged for a person after it; never failed by its age
/// </summary>
[TestFixture]
public partial class KlarnaSettlementPolicyTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly KlarnaEngineOptions Options = new();

    private static KlarnaOrder Order(string status = KlarnaOrderStatus.Authorized, long orderAmount = 10000) => new()
    {
        OrderId = "k-1",
        Status = status,
        FraudStatus = KlarnaFraudStatus.Accepted,
        OrderAmount = orderAmount,
        RemainingAuthorizedAmount = orderAmount,
        PurchaseCurrency = "EUR",
        ExpiresAt = Now.AddDays(20),
        OrderLines = new List<KlarnaOrderLine> { Line("A", 4, 2500) },
        Captures = new List<KlarnaCapture>(),
        Refunds = new List<KlarnaRefund>()
    };

    private static KlarnaCapture AddCapture(KlarnaOrder order, string id, long amount, DateTime at, string reference = null, params KlarnaOrderLine[] lines)
    {
        var capture = new KlarnaCapture { CaptureId = id, CapturedAmount = amount, CapturedAt = at, Reference = reference, KlarnaReference = "KR-" + id, OrderLines = lines.ToList() };
        order.Captures.Add(capture);
        order.CapturedAmount += amount;
        order.RemainingAuthorizedAmount -= amount;
        order.Status = order.RemainingAuthorizedAmount == 0 ? KlarnaOrderStatus.Captured : KlarnaOrderStatus.PartCaptured;
        return capture;
    }

    private static KlarnaOperation Operation(int id, KlarnaOperationKind kind, long amount, DateTime createdOn,
        KlarnaOperationStatus status = KlarnaOperationStatus.Pending, string reference = null, string klarnaId = null, IList<KlarnaOrderLine> lines = null) => new()
    {
        Id = id,
        Kind = kind,
        Status = status,
        AmountMinor = amount,
        CurrencyCode = "EUR",
        CreatedOnUtc = createdOn,
        Reference = reference,
        KlarnaId = klarnaId,
        IdempotencyKey = $"key-{id}",
        LinesJson = lines is null ? null : JsonConvert.SerializeObject(lines)
    };

    private static KlarnaSettlementPlan Plan(KlarnaOrder order, params KlarnaOperation[] operations) => KlarnaSettlementPolicy.Plan(order, operations, Now, Options);

    [Test]
    public void A_pending_capture_whose_capture_klarna_shows_is_settled_with_its_capture_id()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now.AddMinutes(-1), "1001");

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddMinutes(-2), reference: "1001"));

        Assert.That(plan.Settled.Single().KlarnaId, Is.EqualTo("cap-1"));
        Assert.That(plan.Settled.Single().KlarnaReference, Is.EqualTo("KR-cap-1"));
        Assert.That(plan.ExternalCaptures, Is.Empty);
        Assert.That(plan.ToReplay, Is.Empty);
    }

    [Test]
    public void Pending_captures_are_matched_oldest_first_and_only_the_unclaimed_capture_is_external()
    {
        var order = Order();
        AddCapture(order, "cap-1", 1000, Now.AddMinutes(-9));
        AddCapture(order, "cap-2", 1000, Now.AddMinutes(-5));
        AddCapture(order, "cap-3", 1000, Now.AddMinutes(-4));

        var plan = Plan(order,
            Operation(2, KlarnaOperationKind.Capture, 1000, Now.AddMinutes(-6)),
            Operation(1, KlarnaOperationKind.Capture, 1000, Now.AddMinutes(-10)));

        Assert.That(plan.Settled.Select(s => (s.Operation.Id, s.KlarnaId)), Is.EqualTo(new[] { (1, "cap-1"), (2, "cap-2") }));
        Assert.That(plan.ExternalCaptures.Single().CaptureId, Is.EqualTo("cap-3"));
    }

    [Test]
    public void A_capture_made_before_the_pending_operation_beyond_the_clock_skew_is_not_its_effect()
    {
        var order = Order();
        AddCapture(order, "portal", 4000, Now.AddHours(-2));

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddMinutes(-1)));

        Assert.That(plan.Settled, Is.Empty);
        Assert.That(plan.ToReplay.Single().Id, Is.EqualTo(1));
        Assert.That(plan.ExternalCaptures.Single().CaptureId, Is.EqualTo("portal"));
    }

    [Test]
    public void A_capture_with_another_amount_reference_or_lines_is_not_the_effect_of_a_pending_capture()
    {
        var order = Order(orderAmount: 20000);
        AddCapture(order, "amount", 3000, Now, "1001");
        AddCapture(order, "reference", 5000, Now, "other");
        AddCapture(order, "lines", 5000, Now, "1001", Line("A", 2, 2500));

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Capture, 5000, Now.AddMinutes(-1), reference: "1001", lines: new[] { Line("B", 2, 2500) }));

        Assert.That(plan.Settled, Is.Empty);
        Assert.That(plan.ExternalCaptures, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_pending_capture_without_effect_is_replayed_within_the_window_and_needs_attention_after_it_never_failed()
    {
        var order = Order();

        var plan = Plan(order,
            Operation(1, KlarnaOperationKind.Capture, 4000, Now - Options.ReplayWindow + TimeSpan.FromMinutes(1)),
            Operation(2, KlarnaOperationKind.Capture, 4000, Now - Options.ReplayWindow - TimeSpan.FromMinutes(1)));

        Assert.That(plan.ToReplay.Select(op => op.Id), Is.EqualTo(new[] { 1 }));
        Assert.That(plan.ToNeedsAttention.Select(op => op.Id), Is.EqualTo(new[] { 2 }));
        Assert.That(plan.IsEmpty, Is.False);
    }

    [Test]
    public void An_operation_that_needs_attention_is_settled_when_its_effect_shows_up_later_and_never_replayed()
    {
        var order = Order();
        var waiting = Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddDays(-2), KlarnaOperationStatus.NeedsAttention);

        var before = Plan(order, waiting);
        AddCapture(order, "late", 4000, Now.AddDays(-2).AddMinutes(1));
        var after = Plan(order, waiting);

        Assert.That(before.IsEmpty, Is.True);
        Assert.That(after.Settled.Single().KlarnaId, Is.EqualTo("late"));
    }

    [Test]
    public void A_refund_is_settled_by_its_refund_and_a_refund_nobody_claims_is_external()
    {
        var order = Order();
        AddCapture(order, "cap-1", 10000, Now.AddHours(-1));
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-1", RefundedAmount = 2000, RefundedAt = Now });
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-2", RefundedAmount = 500, RefundedAt = Now });

        var plan = Plan(order,
            Operation(1, KlarnaOperationKind.Capture, 10000, Now.AddHours(-1), KlarnaOperationStatus.Succeeded, klarnaId: "cap-1"),
            Operation(2, KlarnaOperationKind.Refund, 2000, Now.AddMinutes(-1)));

        Assert.That(plan.Settled.Single().KlarnaId, Is.EqualTo("ref-1"));
        Assert.That(plan.ExternalRefunds.Single().RefundId, Is.EqualTo("ref-2"));
        Assert.That(plan.ExternalCaptures, Is.Empty);
    }

    [Test]
    public void A_cancelled_order_replays_a_pending_cancel_in_the_replay_window_leaves_it_to_a_person_after_and_is_an_external_cancel_without_one()
    {
        var order = Order(KlarnaOrderStatus.Cancelled);

        //the Merchant Portal may have cancelled it: only the key tells whose cancel it was, and Klarna replays a key for 24 h
        //(found by the model-based suite: past the window the portal's cancel was taken for the plugin's)
        var replayed = Plan(order, Operation(1, KlarnaOperationKind.Cancel, 10000, Now.AddMinutes(-1)));
        var pastWindow = Plan(order, Operation(1, KlarnaOperationKind.Cancel, 10000, Now.AddDays(-2)));
        var external = Plan(order);
        var failedCancel = Plan(order, Operation(1, KlarnaOperationKind.Cancel, 10000, Now.AddMinutes(-1), KlarnaOperationStatus.Failed));

        Assert.That(replayed.ToReplay.Single().Kind, Is.EqualTo(KlarnaOperationKind.Cancel));
        Assert.That(replayed.Settled, Is.Empty);
        Assert.That(replayed.ExternalCancel, Is.False);
        Assert.That(pastWindow.Settled, Is.Empty, "a cancelled state past the replay window does not tell whose cancel it was");
        Assert.That(pastWindow.ToNeedsAttentionUnattributed.Single().Id, Is.EqualTo(1));
        Assert.That(pastWindow.ToNeedsAttention, Is.Empty);
        Assert.That(pastWindow.ExternalCancel, Is.False, "nor that it was the portal's");
        Assert.That(external.ExternalCancel, Is.True);
        Assert.That(failedCancel.ExternalCancel, Is.True, "a failed cancel did not cancel it");
    }

    [Test]
    public void A_pending_cancel_past_the_replay_window_of_an_order_klarna_shows_open_needs_attention_as_without_effect()
    {
        var plan = Plan(Order(), Operation(1, KlarnaOperationKind.Cancel, 10000, Now.AddDays(-2)));

        Assert.That(plan.ToNeedsAttention.Single().Id, Is.EqualTo(1));
        Assert.That(plan.ToNeedsAttentionUnattributed, Is.Empty);
        Assert.That(plan.ToReplay, Is.Empty);
        Assert.That(plan.ExternalCancel, Is.False);
    }

    [Test]
    public void A_cancel_or_release_that_already_needs_attention_is_never_settled_by_a_state_change_that_shows_up_later()
    {
        var cancelled = Order(KlarnaOrderStatus.Cancelled);
        var released = Order();
        AddCapture(released, "cap-1", 4000, Now.AddDays(-3));
        released.RemainingAuthorizedAmount = 0;
        released.Status = KlarnaOrderStatus.Captured;
        var capture = Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddDays(-3), KlarnaOperationStatus.Succeeded, klarnaId: "cap-1");

        var cancelPlan = Plan(cancelled, Operation(2, KlarnaOperationKind.Cancel, 10000, Now.AddDays(-2), KlarnaOperationStatus.NeedsAttention));
        var releasePlan = Plan(released, capture, Operation(2, KlarnaOperationKind.Release, 6000, Now.AddDays(-2), KlarnaOperationStatus.NeedsAttention));

        Assert.That(cancelPlan.IsEmpty, Is.True, "neither settled nor taken for the portal's: it stays for the person");
        Assert.That(releasePlan.IsEmpty, Is.True);
    }

    [Test]
    public void A_cancel_klarna_answered_claims_the_cancelled_state_so_an_older_unanswered_cancel_is_not_settled_by_it()
    {
        var order = Order(KlarnaOrderStatus.Cancelled);
        var unanswered = Operation(1, KlarnaOperationKind.Cancel, 10000, Now.AddDays(-2), KlarnaOperationStatus.NeedsAttention);
        var pastWindow = Operation(3, KlarnaOperationKind.Cancel, 10000, Now.AddDays(-2));
        var answered = Operation(2, KlarnaOperationKind.Cancel, 10000, Now.AddDays(-1), KlarnaOperationStatus.Succeeded);

        //found by the model-based suite (seed 3lUhfG04kSS6): a cancel whose answer was lost, past the replay window, and a
        //later cancel with a new key that Klarna executed; the cancelled state is the later one's, not the first one's
        var afterAnswer = Plan(order, unanswered, answered);
        var pendingAfterAnswer = Plan(order, pastWindow, answered);

        Assert.That(afterAnswer.Settled, Is.Empty);
        Assert.That(afterAnswer.ExternalCancel, Is.False);
        Assert.That(afterAnswer.IsEmpty, Is.True);
        Assert.That(pendingAfterAnswer.Settled, Is.Empty);
        Assert.That(pendingAfterAnswer.ToNeedsAttention.Single().Id, Is.EqualTo(3), "the state shown is the answered cancel's, so none of it is this one's");
        Assert.That(pendingAfterAnswer.ToNeedsAttentionUnattributed, Is.Empty);
    }

    [Test]
    public void Two_unanswered_cancels_past_the_replay_window_are_not_settled_by_the_one_cancelled_state()
    {
        var order = Order(KlarnaOrderStatus.Cancelled);

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Cancel, 10000, Now.AddDays(-3), KlarnaOperationStatus.NeedsAttention),
            Operation(2, KlarnaOperationKind.Cancel, 10000, Now.AddDays(-2)));

        Assert.That(plan.Settled, Is.Empty, "the state does not tell which of the two Klarna executed");
        Assert.That(plan.ToNeedsAttentionUnattributed.Single().Id, Is.EqualTo(2));
        Assert.That(plan.ExternalCancel, Is.False);
    }

    [Test]
    public void A_release_klarna_answered_claims_the_released_rest_so_an_unanswered_release_is_not_settled_by_it()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now.AddHours(-30));
        order.RemainingAuthorizedAmount = 0;
        order.Status = KlarnaOrderStatus.Captured;
        var capture = Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddHours(-30), KlarnaOperationStatus.Succeeded, klarnaId: "cap-1");

        var plan = Plan(order, capture, Operation(2, KlarnaOperationKind.Release, 6000, Now.AddDays(-2), KlarnaOperationStatus.NeedsAttention),
            Operation(3, KlarnaOperationKind.Release, 6000, Now.AddHours(-25), KlarnaOperationStatus.Succeeded));

        Assert.That(plan.Settled, Is.Empty);
        Assert.That(plan.ExternalReleaseAmount, Is.Null);
    }

    [Test]
    public void A_release_after_a_part_capture_replays_a_pending_release_in_the_replay_window_leaves_it_to_a_person_after_and_is_external_without_one()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now.AddHours(-1));
        order.RemainingAuthorizedAmount = 0;
        order.Status = KlarnaOrderStatus.Captured;
        var capture = Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddHours(-1), KlarnaOperationStatus.Succeeded, klarnaId: "cap-1");

        var replayed = Plan(order, capture, Operation(2, KlarnaOperationKind.Release, 6000, Now.AddMinutes(-1)));
        var pastWindow = Plan(order, capture, Operation(2, KlarnaOperationKind.Release, 6000, Now.AddDays(-2)));
        var external = Plan(order, capture);

        Assert.That(replayed.ToReplay.Single().Id, Is.EqualTo(2));
        Assert.That(pastWindow.Settled, Is.Empty, "the released rest past the replay window does not tell whose release it was");
        Assert.That(pastWindow.ToNeedsAttentionUnattributed.Single().Id, Is.EqualTo(2));
        Assert.That(pastWindow.ExternalReleaseAmount, Is.Null);
        Assert.That(external.ExternalReleaseAmount, Is.EqualTo(6000));
    }

    [Test]
    public void An_authorization_that_simply_expired_is_no_release()
    {
        var order = ClosedAfterPartCapture(Now.AddDays(-1));

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddDays(-30), KlarnaOperationStatus.Succeeded, klarnaId: "cap-1"));

        Assert.That(plan.ExternalReleaseAmount, Is.Null);
        Assert.That(plan.IsEmpty, Is.True);
    }

    [Test]
    public void Shipping_info_is_settled_when_the_capture_carries_its_tracking_number()
    {
        var order = Order();
        var capture = AddCapture(order, "cap-1", 4000, Now.AddHours(-1));
        var operation = Operation(2, KlarnaOperationKind.ShippingInfo, 0, Now.AddMinutes(-1), klarnaId: "cap-1");
        operation.ShippingInfoJson = JsonConvert.SerializeObject(new[] { new KlarnaShippingInfo { TrackingNumber = "T-1" } });
        var captureOperation = Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddHours(-1), KlarnaOperationStatus.Succeeded, klarnaId: "cap-1");

        var before = Plan(order, captureOperation, operation);
        capture.ShippingInfo = new List<KlarnaShippingInfo> { new() { TrackingNumber = "T-1" } };
        var after = Plan(order, captureOperation, operation);

        Assert.That(before.ToReplay.Single().Id, Is.EqualTo(2));
        Assert.That(after.Settled.Single().Operation.Id, Is.EqualTo(2));
    }

    [Test]
    public void An_extension_has_no_visible_effect_and_is_sent_again_within_the_window()
    {
        var plan = Plan(Order(), Operation(1, KlarnaOperationKind.ExtendAuthorization, 0, Now.AddMinutes(-1)));

        Assert.That(plan.ToReplay.Single().Kind, Is.EqualTo(KlarnaOperationKind.ExtendAuthorization));
    }

    [Test]
    public void Nothing_unsettled_and_nothing_external_is_an_empty_plan()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now.AddHours(-1));

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddHours(-1), KlarnaOperationStatus.Succeeded, klarnaId: "cap-1"),
            Operation(2, KlarnaOperationKind.Capture, 6000, Now.AddMinutes(-1), KlarnaOperationStatus.Failed));

        Assert.That(plan.IsEmpty, Is.True);
    }
}
