using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The order policy at the edges Klarna's answers can reach: nothing left of an open authorization, captures known only by
/// their list, the 180-day limit of extensions, the first and last moment of the expiry warning, odd status texts
/// </summary>
[TestFixture]
public class KlarnaOrderPolicyBoundaryTests
{
    private static readonly DateTime Now = new(2027, 2, 1, 12, 0, 0, DateTimeKind.Utc);

    private static KlarnaOrder Order(string status, long amount = 10000, long captured = 0, long refunded = 0, long remaining = 10000,
        List<KlarnaCapture> captures = null, DateTimeOffset? expiresAt = null, DateTimeOffset? createdAt = null) => new()
    {
        OrderId = "k-1",
        Status = status,
        FraudStatus = KlarnaFraudStatus.Accepted,
        PurchaseCurrency = "eur",
        OrderAmount = amount,
        CapturedAmount = captured,
        RefundedAmount = refunded,
        RemainingAuthorizedAmount = remaining,
        Captures = captures,
        ExpiresAt = expiresAt ?? new DateTimeOffset(Now.AddDays(20)),
        CreatedAt = createdAt ?? new DateTimeOffset(Now.AddDays(-5))
    };

    [Test]
    public void An_open_authorization_with_nothing_left_has_nothing_to_capture_or_release()
    {
        var decision = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.PartCaptured, captured: 10000, remaining: 0), null, Now);

        Assert.That(decision.Capture.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.NothingToCapture));
        Assert.That(decision.Release.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.NothingToRelease));
        Assert.That(decision.ExpiresSoon, Is.False);
    }

    [Test]
    public void A_closed_order_has_nothing_left_to_capture_whatever_Klarna_reports_as_remaining()
    {
        var decision = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Cancelled, remaining: 10000), null, Now);

        Assert.That(decision.RemainingAuthorizedAmountMinor, Is.Zero);
        Assert.That(decision.Capture.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.CaptureNotAllowed));
        Assert.That(decision.Capture.Refusal.Args, Is.EqualTo(new object[] { KlarnaOrderStatus.Cancelled }));
    }

    [Test]
    public void Status_texts_are_read_trimmed_and_in_capitals_and_a_blank_one_is_named_as_a_dash()
    {
        var lower = KlarnaOrderPolicy.Decide(Order(" authorized "), null, Now);
        var blank = KlarnaOrderPolicy.Decide(Order("  "), null, Now);

        Assert.That(lower.KlarnaStatus, Is.EqualTo(KlarnaOrderStatus.Authorized));
        Assert.That(lower.Capture.Allowed, Is.True);
        Assert.That(lower.CurrencyCode, Is.EqualTo("EUR"));
        Assert.That(blank.KlarnaStatus, Is.Null);
        Assert.That(blank.Capture.Refusal.Args, Is.EqualTo(new object[] { "-" }));
        Assert.That(blank.Cancel.Refusal.Args, Is.EqualTo(new object[] { "-" }));
        Assert.That(blank.Extend.Refusal.Args, Is.EqualTo(new object[] { "-" }));
    }

    [Test]
    public void An_expired_order_without_captures_cannot_be_cancelled_and_the_refusal_names_its_status()
    {
        var decision = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Expired, remaining: 0), null, Now);

        Assert.That(decision.Cancel.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.CancelNotAllowed));
        Assert.That(decision.Cancel.Refusal.Args, Is.EqualTo(new object[] { KlarnaOrderStatus.Expired }));
    }

    [Test]
    public void Captures_Klarna_lists_count_even_when_the_captured_amount_reads_zero()
    {
        var decision = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Authorized, captures: new List<KlarnaCapture> { new() { CaptureId = "c-1" } }), null, Now);

        Assert.That(decision.Cancel.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.CancelNotAllowedAfterCapture));
        Assert.That(decision.Release.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.NothingToRelease), "only a part-captured order has something to release");
    }

    [Test]
    public void A_captured_amount_counts_even_when_Klarna_lists_no_captures()
    {
        var decision = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.PartCaptured, captured: 4000, remaining: 6000), null, Now);

        Assert.That(decision.Release.Allowed, Is.True);
        Assert.That(decision.Release.LimitMinor, Is.EqualTo(6000));
        Assert.That(decision.Cancel.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.CancelNotAllowedAfterCapture));
    }

    [Test]
    public void Without_captures_there_is_nothing_to_release()
    {
        var decision = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Authorized, captures: new List<KlarnaCapture>()), null, Now);

        Assert.That(decision.Release.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ReleaseWithoutCapture));
        Assert.That(decision.Cancel.Allowed, Is.True);
    }

    [Test]
    public void An_authorization_older_than_180_days_cannot_be_extended_and_the_refusal_names_the_limit()
    {
        var created = new DateTimeOffset(Now.AddDays(-181));

        var decision = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Authorized, createdAt: created), null, Now);

        Assert.That(decision.Extend.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.ExtendTooLate));
        Assert.That(decision.Extend.Refusal.Args, Is.EqualTo(new object[] { created.UtcDateTime.AddDays(180) }));
    }

    [Test]
    public void An_authorization_younger_than_180_days_can_be_extended()
    {
        var decision = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Authorized, createdAt: new DateTimeOffset(Now.AddDays(-179))), null, Now);

        Assert.That(decision.Extend.Allowed, Is.True);
    }

    [Test]
    public void The_expiry_warning_starts_exactly_the_warning_days_before_and_ends_at_the_expiry()
    {
        var atStart = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Authorized, expiresAt: new DateTimeOffset(Now.AddDays(3))), null, Now, 3);
        var before = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Authorized, expiresAt: new DateTimeOffset(Now.AddDays(3).AddSeconds(1))), null, Now, 3);
        var atExpiry = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Authorized, expiresAt: new DateTimeOffset(Now)), null, Now, 3);
        var justBefore = KlarnaOrderPolicy.Decide(Order(KlarnaOrderStatus.Authorized, expiresAt: new DateTimeOffset(Now.AddSeconds(1))), null, Now, 3);

        Assert.That((atStart.ExpiresSoon, before.ExpiresSoon, atExpiry.ExpiresSoon, justBefore.ExpiresSoon), Is.EqualTo((true, false, false, true)));
    }

    [Test]
    public void A_fully_refunded_order_with_nothing_left_to_capture_is_refunded_else_partially_refunded()
    {
        Assert.That(KlarnaOrderPolicy.PaymentStatusOf(KlarnaOrderStatus.PartCaptured, null, 5000, 5000, 0), Is.EqualTo(PaymentStatus.Refunded));
        Assert.That(KlarnaOrderPolicy.PaymentStatusOf(KlarnaOrderStatus.PartCaptured, null, 5000, 5000, 1), Is.EqualTo(PaymentStatus.PartiallyRefunded));
        Assert.That(KlarnaOrderPolicy.PaymentStatusOf(KlarnaOrderStatus.Captured, null, 5000, 5000, 0), Is.EqualTo(PaymentStatus.Refunded));
    }

    [Test]
    public void No_order_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => KlarnaOrderPolicy.Decide(null, null, Now));
    }
}
