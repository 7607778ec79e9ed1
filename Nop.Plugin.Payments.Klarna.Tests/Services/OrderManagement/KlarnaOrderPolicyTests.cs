using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The one status map: every Klarna status x fraud status x captured/refunded combination of a 100.00 order, and what the
/// policy decides for it
/// </summary>
[TestFixture]
public class KlarnaOrderPolicyTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static KlarnaOrder Order(string status, string fraud, long captured, long refunded, long remaining, DateTimeOffset? expiresAt = null) => new()
    {
        OrderId = "k-1",
        Status = status,
        FraudStatus = fraud,
        OrderAmount = 10000,
        CapturedAmount = captured,
        RefundedAmount = refunded,
        RemainingAuthorizedAmount = remaining,
        PurchaseCurrency = "eur",
        ExpiresAt = expiresAt ?? Now.AddDays(20),
        CreatedAt = Now.AddDays(-5),
        OrderLines = new List<KlarnaOrderLine> { new() { Reference = "A", Name = "A", Quantity = 1, UnitPrice = 10000, TotalAmount = 10000 } },
        Captures = captured > 0 ? new List<KlarnaCapture> { new() { CaptureId = "c-1", CapturedAmount = captured } } : new List<KlarnaCapture>(),
        Refunds = refunded > 0 ? new List<KlarnaRefund> { new() { RefundId = "r-1", RefundedAmount = refunded } } : new List<KlarnaRefund>()
    };

    private static KlarnaOperation Pending(KlarnaOperationKind kind) => new()
    {
        Id = 7, Kind = kind, Status = KlarnaOperationStatus.Pending, AmountMinor = 500, CurrencyCode = "EUR", CreatedOnUtc = Now.AddMinutes(-1)
    };

[TestCase("AUTHORIZED", "ACCEPTED", 0, 0, 10000, PaymentStatus.Authorized, KlarnaStatusEvent.Authorized, null, KlarnaRefusalCode.NothingCaptured, null, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("AUTHORIZED", "PENDING", 0, 0, 10000, PaymentStatus.Pending, KlarnaStatusEvent.FraudPending, KlarnaRefusalCode.FraudPending, KlarnaRefusalCode.NothingCaptured, null, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("AUTHORIZED", "REJECTED", 0, 0, 10000, PaymentStatus.Authorized, KlarnaStatusEvent.FraudRejected, KlarnaRefusalCode.FraudRejected, KlarnaRefusalCode.NothingCaptured, null, KlarnaRefusalCode.ReleaseWithoutCapture, true)]
    [TestCase("AUTHORIZED", "STOPPED", 0, 0, 10000, PaymentStatus.Authorized, KlarnaStatusEvent.FraudStopped, KlarnaRefusalCode.FraudStopped, KlarnaRefusalCode.NothingCaptured, null, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("PART_CAPTURED", "ACCEPTED", 4000, 0, 6000, PaymentStatus.Authorized, KlarnaStatusEvent.PartiallyCaptured, null, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "PENDING", 4000, 0, 6000, PaymentStatus.Authorized, KlarnaStatusEvent.PartiallyCaptured, KlarnaRefusalCode.FraudPending, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "REJECTED", 4000, 0, 6000, PaymentStatus.Authorized, KlarnaStatusEvent.FraudRejected, KlarnaRefusalCode.FraudRejected, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "STOPPED", 4000, 0, 6000, PaymentStatus.Authorized, KlarnaStatusEvent.FraudStopped, KlarnaRefusalCode.FraudStopped, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "ACCEPTED", 4000, 1000, 6000, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.PartiallyRefunded, null, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "PENDING", 4000, 1000, 6000, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.PartiallyRefunded, KlarnaRefusalCode.FraudPending, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "REJECTED", 4000, 1000, 6000, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.FraudRejected, KlarnaRefusalCode.FraudRejected, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "STOPPED", 4000, 1000, 6000, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.FraudStopped, KlarnaRefusalCode.FraudStopped, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "ACCEPTED", 4000, 4000, 6000, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.PartiallyRefunded, null, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "PENDING", 4000, 4000, 6000, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.PartiallyRefunded, KlarnaRefusalCode.FraudPending, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "REJECTED", 4000, 4000, 6000, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.FraudRejected, KlarnaRefusalCode.FraudRejected, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("PART_CAPTURED", "STOPPED", 4000, 4000, 6000, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.FraudStopped, KlarnaRefusalCode.FraudStopped, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, null, false)]
    [TestCase("CAPTURED", "ACCEPTED", 10000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "PENDING", 10000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "REJECTED", 10000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "STOPPED", 10000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "ACCEPTED", 10000, 2500, 0, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.PartiallyRefunded, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "PENDING", 10000, 2500, 0, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.PartiallyRefunded, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "REJECTED", 10000, 2500, 0, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.PartiallyRefunded, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "STOPPED", 10000, 2500, 0, PaymentStatus.PartiallyRefunded, KlarnaStatusEvent.PartiallyRefunded, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "ACCEPTED", 10000, 10000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "PENDING", 10000, 10000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "REJECTED", 10000, 10000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "STOPPED", 10000, 10000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "ACCEPTED", 4000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "PENDING", 4000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "REJECTED", 4000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "STOPPED", 4000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.NothingToCapture, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "ACCEPTED", 4000, 4000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "PENDING", 4000, 4000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "REJECTED", 4000, 4000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CAPTURED", "STOPPED", 4000, 4000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CANCELLED", "ACCEPTED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Cancelled, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.RefundNotAllowed, KlarnaRefusalCode.AlreadyCancelled, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("CANCELLED", "PENDING", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Cancelled, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.RefundNotAllowed, KlarnaRefusalCode.AlreadyCancelled, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("CANCELLED", "REJECTED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Cancelled, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.RefundNotAllowed, KlarnaRefusalCode.AlreadyCancelled, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("CANCELLED", "STOPPED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Cancelled, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.RefundNotAllowed, KlarnaRefusalCode.AlreadyCancelled, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("EXPIRED", "ACCEPTED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Expired, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingCaptured, KlarnaRefusalCode.CancelNotAllowed, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("EXPIRED", "PENDING", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Expired, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingCaptured, KlarnaRefusalCode.CancelNotAllowed, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("EXPIRED", "REJECTED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Expired, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingCaptured, KlarnaRefusalCode.CancelNotAllowed, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("EXPIRED", "STOPPED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Expired, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingCaptured, KlarnaRefusalCode.CancelNotAllowed, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("CLOSED", "ACCEPTED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Expired, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingCaptured, KlarnaRefusalCode.CancelNotAllowed, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("CLOSED", "PENDING", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Expired, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingCaptured, KlarnaRefusalCode.CancelNotAllowed, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("CLOSED", "REJECTED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Expired, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingCaptured, KlarnaRefusalCode.CancelNotAllowed, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("CLOSED", "STOPPED", 0, 0, 0, PaymentStatus.Voided, KlarnaStatusEvent.Expired, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingCaptured, KlarnaRefusalCode.CancelNotAllowed, KlarnaRefusalCode.ReleaseWithoutCapture, false)]
    [TestCase("CLOSED", "ACCEPTED", 4000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.CaptureNotAllowed, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CLOSED", "PENDING", 4000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.CaptureNotAllowed, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CLOSED", "REJECTED", 4000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.CaptureNotAllowed, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CLOSED", "STOPPED", 4000, 0, 0, PaymentStatus.Paid, KlarnaStatusEvent.Captured, KlarnaRefusalCode.CaptureNotAllowed, null, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CLOSED", "ACCEPTED", 4000, 4000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CLOSED", "PENDING", 4000, 4000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CLOSED", "REJECTED", 4000, 4000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    [TestCase("CLOSED", "STOPPED", 4000, 4000, 0, PaymentStatus.Refunded, KlarnaStatusEvent.Refunded, KlarnaRefusalCode.CaptureNotAllowed, KlarnaRefusalCode.NothingToRefund, KlarnaRefusalCode.CancelNotAllowedAfterCapture, KlarnaRefusalCode.NothingToRelease, false)]
    public void Decide_maps_every_status_fraud_status_and_money_combination(string status, string fraud, long captured, long refunded, long remaining,
        PaymentStatus paymentStatus, KlarnaStatusEvent statusEvent, KlarnaRefusalCode? capture, KlarnaRefusalCode? refund, KlarnaRefusalCode? cancel,
        KlarnaRefusalCode? release, bool fraudCancelDue)
    {
        var decision = KlarnaOrderPolicy.Decide(Order(status, fraud, captured, refunded, remaining), Array.Empty<KlarnaOperation>(), Now);

        Assert.Multiple(() =>
        {
            Assert.That(decision.PaymentStatus, Is.EqualTo(paymentStatus), "payment status");
            Assert.That(decision.StatusEvent, Is.EqualTo(statusEvent), "status event");
            Assert.That(decision.Capture.Refusal?.Code, Is.EqualTo(capture), "capture");
            Assert.That(decision.Capture.Allowed, Is.EqualTo(capture is null));
            Assert.That(decision.Refund.Refusal?.Code, Is.EqualTo(refund), "refund");
            Assert.That(decision.Cancel.Refusal?.Code, Is.EqualTo(cancel), "cancel");
            Assert.That(decision.Release.Refusal?.Code, Is.EqualTo(release), "release");
            Assert.That(decision.FraudCancelDue, Is.EqualTo(fraudCancelDue), "fraud cancel due");
            Assert.That(decision.RefundedAmountMinor, Is.EqualTo(refunded));
            Assert.That(decision.RefundableAmountMinor, Is.EqualTo(captured - refunded));
            Assert.That(decision.CurrencyCode, Is.EqualTo("EUR"));
            if (decision.Capture.Allowed)
                Assert.That(decision.Capture.LimitMinor, Is.EqualTo(remaining), "capture up to the remaining authorization");
            if (decision.Refund.Allowed)
                Assert.That(decision.Refund.LimitMinor, Is.EqualTo(captured - refunded), "refund up to captured and not refunded");
        });
    }

    [Test]
    public void Every_status_event_and_fraud_status_the_policy_knows_is_covered_by_the_table()
    {
        var events = new HashSet<KlarnaStatusEvent?>();
        foreach (var status in new[] { "AUTHORIZED", "PART_CAPTURED", "CAPTURED", "CANCELLED", "EXPIRED", "CLOSED" })
        foreach (var fraud in new[] { "ACCEPTED", "PENDING", "REJECTED", "STOPPED" })
        foreach (var (captured, refunded) in new[] { (0L, 0L), (4000L, 0L), (4000L, 1000L), (4000L, 4000L), (10000L, 0L) })
            events.Add(KlarnaOrderPolicy.EventFor(status, fraud, captured, refunded));

        Assert.That(events, Is.EquivalentTo(Enum.GetValues<KlarnaStatusEvent>().Cast<KlarnaStatusEvent?>()));
    }

    [Test]
    public void Statuses_and_fraud_statuses_are_compared_case_insensitively_and_an_unknown_status_maps_to_no_event()
    {
        var decision = KlarnaOrderPolicy.Decide(Order("part_captured", "accepted", 4000, 0, 6000), Array.Empty<KlarnaOperation>(), Now);

        Assert.That(decision.StatusEvent, Is.EqualTo(KlarnaStatusEvent.PartiallyCaptured));
        Assert.That(decision.Capture.Allowed, Is.True);
        Assert.That(KlarnaOrderPolicy.EventFor("SOMETHING_NEW", "ACCEPTED", 0, 0), Is.Null);
    }

    [Test]
    public void A_pending_capture_blocks_captures_cancels_and_releases_but_not_refunds()
    {
        var decision = KlarnaOrderPolicy.Decide(Order("PART_CAPTURED", "ACCEPTED", 4000, 0, 6000), new[] { Pending(KlarnaOperationKind.Capture) }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Capture.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.OperationPending));
            Assert.That(decision.Capture.Refusal.Args[0], Is.EqualTo(KlarnaOperationKind.Capture));
            Assert.That(decision.Capture.Refusal.Args[1], Is.EqualTo(new KlarnaMoney(500, "EUR")));
            Assert.That(decision.Release.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.OperationPending));
            Assert.That(decision.Refund.Allowed, Is.True);
            Assert.That(decision.Pending.Single().Id, Is.EqualTo(7));
        });
    }

    [Test]
    public void A_pending_refund_blocks_refunds_only()
    {
        var decision = KlarnaOrderPolicy.Decide(Order("PART_CAPTURED", "ACCEPTED", 4000, 0, 6000), new[] { Pending(KlarnaOperationKind.Refund) }, Now);

        Assert.That(decision.Refund.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.OperationPending));
        Assert.That(decision.Capture.Allowed, Is.True);
    }

    [Test]
    public void A_pending_cancel_of_a_rejected_order_means_no_second_fraud_cancel_is_due()
    {
        var decision = KlarnaOrderPolicy.Decide(Order("AUTHORIZED", "REJECTED", 0, 0, 10000), new[] { Pending(KlarnaOperationKind.Cancel) }, Now);

        Assert.That(decision.FraudCancelDue, Is.False);
    }

    [Test]
    public void An_operation_that_needs_attention_is_shown_but_blocks_nothing()
    {
        var operation = Pending(KlarnaOperationKind.Capture);
        operation.Status = KlarnaOperationStatus.NeedsAttention;

        var decision = KlarnaOrderPolicy.Decide(Order("AUTHORIZED", "ACCEPTED", 0, 0, 10000), new[] { operation }, Now);

        Assert.That(decision.NeedsAttention.Single().Id, Is.EqualTo(7));
        Assert.That(decision.Pending, Is.Empty);
        Assert.That(decision.Capture.Allowed, Is.True);
    }

    [Test]
    public void An_expired_authorization_cannot_be_captured_or_extended_even_before_klarna_changed_its_status()
    {
        var decision = KlarnaOrderPolicy.Decide(Order("AUTHORIZED", "ACCEPTED", 0, 0, 10000, Now.AddMinutes(-1)), Array.Empty<KlarnaOperation>(), Now);

        Assert.That(decision.Capture.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.AuthorizationExpired));
        Assert.That(decision.Capture.Refusal.Args[0], Is.EqualTo(Now.AddMinutes(-1)));
        Assert.That(decision.Extend.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.AuthorizationExpired));
        Assert.That(decision.ExpiresSoon, Is.False);
    }

    [Test]
    public void An_authorization_is_extended_only_while_open_and_within_180_days_of_the_purchase()
    {
        var open = KlarnaOrderPolicy.Decide(Order("PART_CAPTURED", "ACCEPTED", 4000, 0, 6000), Array.Empty<KlarnaOperation>(), Now);
        var captured = KlarnaOrderPolicy.Decide(Order("CAPTURED", "ACCEPTED", 10000, 0, 0), Array.Empty<KlarnaOperation>(), Now);
        var old = Order("AUTHORIZED", "ACCEPTED", 0, 0, 10000);
        old.CreatedAt = Now.AddDays(-181);
        var late = KlarnaOrderPolicy.Decide(old, Array.Empty<KlarnaOperation>(), Now);
        var pending = KlarnaOrderPolicy.Decide(Order("AUTHORIZED", "ACCEPTED", 0, 0, 10000), new[] { Pending(KlarnaOperationKind.ExtendAuthorization) }, Now);

        Assert.That(open.Extend.Allowed, Is.True);
        Assert.That(captured.Extend.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ExtendNotAllowed));
        Assert.That(late.Extend.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ExtendTooLate));
        Assert.That(pending.Extend.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.OperationPending));
    }

    [TestCase(2, 3, true)]
    [TestCase(4, 3, false)]
    [TestCase(2, 0, false)]
    public void An_authorization_that_can_still_be_captured_expires_soon_within_the_warning_days(int daysLeft, int warningDays, bool expected)
    {
        var order = Order("AUTHORIZED", "ACCEPTED", 0, 0, 10000, Now.AddDays(daysLeft));

        Assert.That(KlarnaOrderPolicy.Decide(order, Array.Empty<KlarnaOperation>(), Now, warningDays).ExpiresSoon, Is.EqualTo(expected));
    }

    [Test]
    public void A_fully_captured_order_whose_authorization_expires_tomorrow_does_not_expire_soon()
    {
        var order = Order("CAPTURED", "ACCEPTED", 10000, 0, 0, Now.AddDays(1));

        Assert.That(KlarnaOrderPolicy.Decide(order, Array.Empty<KlarnaOperation>(), Now, 3).ExpiresSoon, Is.False);
    }

    [Test]
    public void An_order_without_a_status_is_not_extended_and_the_refusal_names_no_status()
    {
        var decision = KlarnaOrderPolicy.Decide(Order(null, "ACCEPTED", 0, 0, 10000), Array.Empty<KlarnaOperation>(), Now);

        Assert.That(decision.Extend.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ExtendNotAllowed));
        Assert.That(decision.Extend.Refusal.Args, Is.EqualTo(new object[] { "-" }));
    }

    [Test]
    public void Only_a_status_mapped_for_an_authorized_order_starts_capture_upon_fulfillment()
    {
        foreach (var statusEvent in Enum.GetValues<KlarnaStatusEvent>())
            Assert.That(KlarnaOrderPolicy.MappedStatusTriggersCapture(statusEvent), Is.EqualTo(statusEvent == KlarnaStatusEvent.Authorized), statusEvent.ToString());
    }

    [TestCase("CAPTURED", 10000, 2500, new[] { KlarnaStatusEvent.Captured, KlarnaStatusEvent.PartiallyRefunded })]
    [TestCase("CAPTURED", 10000, 10000, new[] { KlarnaStatusEvent.Captured, KlarnaStatusEvent.Refunded })]
    [TestCase("CLOSED", 4000, 4000, new[] { KlarnaStatusEvent.Captured, KlarnaStatusEvent.Refunded })]
    [TestCase("PART_CAPTURED", 4000, 1000, new[] { KlarnaStatusEvent.PartiallyRefunded })]
    [TestCase("CAPTURED", 10000, 0, new[] { KlarnaStatusEvent.Captured })]
    [TestCase("CANCELLED", 0, 0, new[] { KlarnaStatusEvent.Cancelled })]
    [TestCase("SOMETHING_NEW", 0, 0, new KlarnaStatusEvent[0])]
    public void The_events_of_a_refunded_order_whose_authorization_is_captured_in_full_start_with_its_capture(string status, long captured, long refunded, KlarnaStatusEvent[] expected)
    {
        Assert.That(KlarnaOrderPolicy.EventsFor(status, "ACCEPTED", captured, refunded), Is.EqualTo(expected));
        Assert.That(KlarnaOrderPolicy.Decide(Order(status, "ACCEPTED", captured, refunded, 0), Array.Empty<KlarnaOperation>(), Now).StatusEvents, Is.EqualTo(expected));
    }
}
