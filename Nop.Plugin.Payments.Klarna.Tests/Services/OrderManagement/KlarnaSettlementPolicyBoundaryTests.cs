using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The settlement policy at its edges: the exact end of the replay window and of the clock skew, references present on one
/// side only, ties in time, tracking numbers, and a release told apart from an expiry or a cancel
/// </summary>
public partial class KlarnaSettlementPolicyTests
{
    private static KlarnaOperation Tracking(int id, string captureId, params string[] numbers)
    {
        var operation = Operation(id, KlarnaOperationKind.ShippingInfo, 0, Now.AddMinutes(-1), klarnaId: captureId);
        operation.ShippingInfoJson = JsonConvert.SerializeObject(numbers.Select(n => new KlarnaShippingInfo { TrackingNumber = n }));
        return operation;
    }

    private static KlarnaOrder ClosedAfterPartCapture(DateTime? expiresAt, long captured = 4000)
    {
        var order = Order();
        if (captured > 0)
            AddCapture(order, "cap-1", captured, Now.AddDays(-2));
        order.Status = KlarnaOrderStatus.Closed;
        order.RemainingAuthorizedAmount = 0;
        order.ExpiresAt = expiresAt;
        return order;
    }

    [Test]
    public void A_plan_without_Klarnas_order_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => KlarnaSettlementPolicy.Plan(null, Array.Empty<KlarnaOperation>(), Now, Options));
    }

    [Test]
    public void At_the_exact_end_of_the_replay_window_an_operation_is_no_longer_replayed()
    {
        var plan = Plan(Order(), Operation(1, KlarnaOperationKind.Capture, 4000, Now - Options.ReplayWindow));

        Assert.That(plan.ToReplay, Is.Empty);
        Assert.That(plan.ToNeedsAttention.Single().Id, Is.EqualTo(1));
    }

    [Test]
    public void The_replay_window_is_the_one_the_options_give()
    {
        var options = new KlarnaEngineOptions { ReplayWindow = TimeSpan.FromHours(1) };

        var plan = KlarnaSettlementPolicy.Plan(Order(), new[] { Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddHours(-2)) }, Now, options);

        Assert.That(plan.ToNeedsAttention.Single().Id, Is.EqualTo(1));
    }

    [Test]
    public void A_capture_made_exactly_the_clock_skew_before_the_operation_is_still_its_effect()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now.AddMinutes(-5) - Options.ClockSkew);

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddMinutes(-5)));

        Assert.That(plan.Settled.Single().KlarnaId, Is.EqualTo("cap-1"));
    }

    [Test]
    public void A_capture_Klarna_shows_without_a_time_is_the_effect_of_a_pending_capture()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now).CapturedAt = null;

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddMinutes(-5)));

        Assert.That(plan.Settled.Single().KlarnaId, Is.EqualTo("cap-1"));
    }

    [Test]
    public void An_operation_without_a_reference_is_settled_by_a_capture_or_refund_that_carries_one()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now.AddMinutes(-1), "shop-ref");
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-1", RefundedAmount = 1000, RefundedAt = Now.AddMinutes(-1), Reference = "shop-ref" });

        var plan = Plan(order,
            Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddMinutes(-2)),
            Operation(2, KlarnaOperationKind.Refund, 1000, Now.AddMinutes(-2)));

        Assert.That(plan.Settled.Select(s => s.KlarnaId), Is.EquivalentTo(new[] { "cap-1", "ref-1" }));
    }

    [Test]
    public void An_operation_with_a_reference_is_not_settled_by_a_capture_or_refund_with_another_one()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now.AddMinutes(-1), "other");
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-1", RefundedAmount = 1000, RefundedAt = Now.AddMinutes(-1), Reference = "other" });

        var plan = Plan(order,
            Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddMinutes(-2), reference: "mine"),
            Operation(2, KlarnaOperationKind.Refund, 1000, Now.AddMinutes(-2), reference: "mine"));

        Assert.That(plan.Settled, Is.Empty);
        Assert.That(plan.ToReplay.Select(op => op.Id), Is.EquivalentTo(new[] { 1, 2 }));
    }

    [Test]
    public void A_refund_is_neither_settled_by_another_amount_nor_by_a_refund_made_before_it()
    {
        var order = Order();
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-small", RefundedAmount = 500, RefundedAt = Now.AddMinutes(-1) });
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-old", RefundedAmount = 1000, RefundedAt = Now.AddHours(-5) });

        var plan = Plan(order, Operation(1, KlarnaOperationKind.Refund, 1000, Now.AddMinutes(-2)));

        Assert.That(plan.Settled, Is.Empty);
        Assert.That(plan.ExternalRefunds.Select(r => r.RefundId), Is.EquivalentTo(new[] { "ref-small", "ref-old" }));
    }

    [Test]
    public void Of_two_matching_captures_or_refunds_the_earliest_is_the_effect_whatever_Klarnas_listing_order()
    {
        var order = Order();
        AddCapture(order, "cap-late", 2000, Now.AddMinutes(-1));
        AddCapture(order, "cap-early", 2000, Now.AddMinutes(-3));
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-late", RefundedAmount = 500, RefundedAt = Now.AddMinutes(-1) });
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-early", RefundedAmount = 500, RefundedAt = Now.AddMinutes(-3) });

        var plan = Plan(order,
            Operation(1, KlarnaOperationKind.Capture, 2000, Now.AddMinutes(-4)),
            Operation(2, KlarnaOperationKind.Refund, 500, Now.AddMinutes(-4)));

        Assert.That(plan.Settled.Select(s => s.KlarnaId), Is.EquivalentTo(new[] { "cap-early", "ref-early" }));
    }

    [Test]
    public void One_refund_Klarna_shows_settles_only_one_of_two_equal_pending_refunds_the_first_stored()
    {
        var order = Order();
        order.Refunds.Add(new KlarnaRefund { RefundId = "ref-1", RefundedAmount = 500, RefundedAt = Now.AddMinutes(-1) });
        var createdOn = Now.AddMinutes(-2);

        var plan = Plan(order,
            Operation(8, KlarnaOperationKind.Refund, 500, createdOn),
            Operation(7, KlarnaOperationKind.Refund, 500, createdOn));

        Assert.That(plan.Settled.Single().Operation.Id, Is.EqualTo(7));
        Assert.That(plan.ToReplay.Single().Id, Is.EqualTo(8));
    }

    [Test]
    public void Tracking_for_a_capture_Klarna_does_not_show_stays_unsettled()
    {
        var order = Order();
        AddCapture(order, "cap-1", 4000, Now.AddHours(-1)).ShippingInfo = new List<KlarnaShippingInfo> { new() { TrackingNumber = "T-1" } };

        var plan = Plan(order, Tracking(2, "cap-gone", "T-1"));

        Assert.That(plan.Settled, Is.Empty);
        Assert.That(plan.ToReplay.Single().Id, Is.EqualTo(2));
    }

    [Test]
    public void Tracking_is_settled_when_the_capture_carries_its_number_among_others_and_not_when_it_carries_none()
    {
        var order = Order();
        var capture = AddCapture(order, "cap-1", 4000, Now.AddHours(-1));
        var captureOperation = Operation(1, KlarnaOperationKind.Capture, 4000, Now.AddHours(-1), KlarnaOperationStatus.Succeeded, klarnaId: "cap-1");

        capture.ShippingInfo = new List<KlarnaShippingInfo>();
        var none = Plan(order, captureOperation, Tracking(2, "cap-1", "T-1"));
        capture.ShippingInfo = new List<KlarnaShippingInfo> { new() { TrackingNumber = "T-0" }, new() { TrackingNumber = "T-1" } };
        var among = Plan(order, captureOperation, Tracking(2, "cap-1", "T-1"));

        Assert.That(none.Settled, Is.Empty);
        Assert.That(among.Settled.Single().Operation.Id, Is.EqualTo(2));
    }

    [Test]
    public void Tracking_on_a_merchant_portal_capture_does_not_hide_that_capture_from_the_portals_record()
    {
        var order = Order();
        AddCapture(order, "cap-p", 4000, Now.AddHours(-1)).ShippingInfo = new List<KlarnaShippingInfo> { new() { TrackingNumber = "T-1" } };
        var done = Tracking(1, "cap-p", "T-1");
        done.Status = KlarnaOperationStatus.Succeeded;

        var afterDone = Plan(order, done);
        var afterPending = Plan(order, Tracking(2, "cap-p", "T-1"));

        Assert.That(afterDone.ExternalCaptures.Single().CaptureId, Is.EqualTo("cap-p"));
        Assert.That(afterPending.Settled.Single().Operation.Id, Is.EqualTo(2));
        Assert.That(afterPending.ExternalCaptures.Single().CaptureId, Is.EqualTo("cap-p"));
    }

    [Test]
    public void A_closed_order_whose_authorization_has_not_expired_was_released_and_one_without_expiry_too()
    {
        Assert.That(Plan(ClosedAfterPartCapture(Now.AddDays(1))).ExternalReleaseAmount, Is.EqualTo(6000));
        Assert.That(Plan(ClosedAfterPartCapture(null)).ExternalReleaseAmount, Is.EqualTo(6000));
    }

    [Test]
    public void A_closed_order_expiring_at_this_very_moment_expired_and_was_not_released()
    {
        Assert.That(Plan(ClosedAfterPartCapture(Now)).ExternalReleaseAmount, Is.Null);
    }

    [Test]
    public void A_closed_order_with_nothing_captured_is_no_release()
    {
        Assert.That(Plan(ClosedAfterPartCapture(Now.AddDays(1), captured: 0)).ExternalReleaseAmount, Is.Null);
    }

    [Test]
    public void An_open_order_with_nothing_left_to_capture_is_no_release()
    {
        var order = Order(KlarnaOrderStatus.Authorized);
        AddCapture(order, "cap-1", 4000, Now.AddDays(-2));
        order.Status = KlarnaOrderStatus.PartCaptured;
        order.RemainingAuthorizedAmount = 0;

        Assert.That(Plan(order).ExternalReleaseAmount, Is.Null);
    }
}
