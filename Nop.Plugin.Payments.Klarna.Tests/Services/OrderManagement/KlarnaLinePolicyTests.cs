using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// Which lines and quantities can still be captured or refunded within the remaining amounts, and why a line is left out
/// </summary>
[TestFixture]
public class KlarnaLinePolicyTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static KlarnaOrder Order(params KlarnaOrderLine[] lines)
    {
        var amount = lines.Sum(l => l.TotalAmount);
        return new KlarnaOrder
        {
            OrderId = "k-1",
            Status = KlarnaOrderStatus.Authorized,
            FraudStatus = KlarnaFraudStatus.Accepted,
            OrderAmount = amount,
            RemainingAuthorizedAmount = amount,
            PurchaseCurrency = "USD",
            ExpiresAt = Now.AddDays(20),
            CreatedAt = Now.AddDays(-1),
            OrderLines = lines.ToList(),
            Captures = new List<KlarnaCapture>(),
            Refunds = new List<KlarnaRefund>()
        };
    }

    private static void Capture(KlarnaOrder order, long amount, params KlarnaOrderLine[] lines)
    {
        order.Captures.Add(new KlarnaCapture { CaptureId = $"c-{order.Captures.Count + 1}", CapturedAmount = amount, OrderLines = lines.ToList() });
        order.CapturedAmount += amount;
        order.RemainingAuthorizedAmount -= amount;
        order.Status = order.RemainingAuthorizedAmount == 0 ? KlarnaOrderStatus.Captured : KlarnaOrderStatus.PartCaptured;
    }

    private static void Refund(KlarnaOrder order, long amount, params KlarnaOrderLine[] lines)
    {
        order.Refunds.Add(new KlarnaRefund { RefundId = $"r-{order.Refunds.Count + 1}", RefundedAmount = amount, OrderLines = lines.ToList() });
        order.RefundedAmount += amount;
    }

    private static KlarnaOrderDecision Decide(KlarnaOrder order) => KlarnaOrderPolicy.Decide(order, Array.Empty<KlarnaOperation>(), Now);

    private static KlarnaLineSelection Select(string reference, long quantity) => new() { Reference = reference, Quantity = quantity };

    [Test]
    public void After_a_capture_by_amount_a_unit_dearer_than_the_remaining_authorization_is_left_out_with_its_reason()
    {
        // Arrange: issue 17's order: one line of 2 x 1,300.00 USD; one unit captured by line, then 500.00 by amount
        var order = Order(Line("laptop", 2, 130000));
        Capture(order, 130000, Line("laptop", 1, 130000));
        Capture(order, 50000);

        // Act
        var line = Decide(order).Lines.Single();

        // Assert: 800.00 left; the remaining unit (1,300.00) does not fit, so the modal does not offer it
        Assert.Multiple(() =>
        {
            Assert.That(line.UncapturedQuantity, Is.EqualTo(1));
            Assert.That(line.CapturableQuantity, Is.EqualTo(0));
            Assert.That(line.CaptureNote.Code, Is.EqualTo(KlarnaRefusalCode.LineExceedsRemaining));
            Assert.That(line.CaptureNote.Args, Is.EqualTo(new object[] { new KlarnaMoney(130000, "USD"), new KlarnaMoney(80000, "USD") }));
        });
    }

    [Test]
    public void A_line_of_which_only_some_units_fit_is_limited_to_them_with_its_reason()
    {
        var order = Order(Line("cup", 5, 1000));
        Capture(order, 2500);

        var line = Decide(order).Lines.Single();

        Assert.That(line.UncapturedQuantity, Is.EqualTo(5));
        Assert.That(line.CapturableQuantity, Is.EqualTo(2));
        Assert.That(line.CaptureNote.Code, Is.EqualTo(KlarnaRefusalCode.LineLimitedByRemaining));
        Assert.That(line.CaptureNote.Args, Is.EqualTo(new object[] { 2L, new KlarnaMoney(2500, "USD") }));
    }

    [Test]
    public void A_line_whose_units_all_fit_carries_no_note()
    {
        var order = Order(Line("cup", 5, 1000), Line("plate", 1, 3000));

        var lines = Decide(order).Lines;

        Assert.That(lines.Select(l => (l.Reference, l.CapturableQuantity)), Is.EqualTo(new[] { ("cup", 5L), ("plate", 1L) }));
        Assert.That(lines.Select(l => l.CaptureNote), Is.All.Null);
        Assert.That(lines.Select(l => l.RefundNote?.Code), Is.All.EqualTo(KlarnaRefusalCode.NothingCaptured), "nothing captured: the order's reason");
    }

    [Test]
    public void A_line_captured_in_full_is_left_out_of_captures_and_offered_for_refunds()
    {
        var order = Order(Line("cup", 2, 1000), Line("plate", 1, 3000));
        Capture(order, 2000, Line("cup", 2, 1000));

        var cup = Decide(order).Lines.First();

        Assert.That(cup.CaptureNote.Code, Is.EqualTo(KlarnaRefusalCode.LineFullyCaptured));
        Assert.That(cup.CapturableQuantity, Is.EqualTo(0));
        Assert.That(cup.RefundableQuantity, Is.EqualTo(2));
        Assert.That(cup.RefundNote, Is.Null);
        Assert.That(cup.UnrefundedAmount, Is.EqualTo(2000));
    }

    [Test]
    public void After_a_refund_by_amount_a_line_is_refundable_only_within_what_klarna_can_still_refund()
    {
        // Arrange: 3 x 40.00 captured by line, then 90.00 refunded by amount: 30.00 refundable
        var order = Order(Line("shirt", 3, 4000));
        Capture(order, 12000, Line("shirt", 3, 4000));
        Refund(order, 9000);

        // Act
        var line = Decide(order).Lines.Single();

        // Assert
        Assert.That(line.UnrefundedQuantity, Is.EqualTo(3));
        Assert.That(line.RefundableQuantity, Is.EqualTo(0));
        Assert.That(line.RefundNote.Code, Is.EqualTo(KlarnaRefusalCode.LineExceedsRefundable));
        Assert.That(line.RefundNote.Args, Is.EqualTo(new object[] { new KlarnaMoney(4000, "USD"), new KlarnaMoney(3000, "USD") }));
    }

    [Test]
    public void After_a_partial_refund_by_amount_a_line_is_limited_to_the_units_that_fit()
    {
        var order = Order(Line("shirt", 3, 4000));
        Capture(order, 12000, Line("shirt", 3, 4000));
        Refund(order, 3000);

        var line = Decide(order).Lines.Single();

        Assert.That(line.RefundableQuantity, Is.EqualTo(2));
        Assert.That(line.RefundNote.Code, Is.EqualTo(KlarnaRefusalCode.LineLimitedByRefundable));
        Assert.That(line.RefundNote.Args, Is.EqualTo(new object[] { 2L, new KlarnaMoney(9000, "USD") }));
    }

    [Test]
    public void A_line_refunded_in_full_is_left_out_of_refunds()
    {
        var order = Order(Line("shirt", 1, 4000), Line("hat", 1, 1000));
        Capture(order, 5000, Line("shirt", 1, 4000), Line("hat", 1, 1000));
        Refund(order, 4000, Line("shirt", 1, 4000));

        var lines = Decide(order).Lines;

        Assert.That(lines[0].RefundNote.Code, Is.EqualTo(KlarnaRefusalCode.LineFullyRefunded));
        Assert.That(lines[0].RefundableQuantity, Is.EqualTo(0));
        Assert.That(lines[1].RefundableQuantity, Is.EqualTo(1));
    }

    [Test]
    public void When_the_order_cannot_be_captured_every_line_carries_the_orders_reason()
    {
        var order = Order(Line("cup", 2, 1000));
        order.FraudStatus = KlarnaFraudStatus.Stopped;

        var line = Decide(order).Lines.Single();

        Assert.That(line.CapturableQuantity, Is.EqualTo(0));
        Assert.That(line.CaptureNote.Code, Is.EqualTo(KlarnaRefusalCode.FraudStopped));
    }

    [Test]
    public void The_units_offered_of_a_discounted_line_fit_with_their_share_of_the_discount()
    {
        // 3 x 10.00 - 1.00 discount: one unit costs 9.67, two 19.33; 19.50 left fits two units
        var order = Order(Line("cup", 3, 1000, discount: 100));
        Capture(order, 950);

        var line = Decide(order).Lines.Single();

        Assert.That(line.CapturableQuantity, Is.EqualTo(2));
        var (built, refusal) = KlarnaLinePolicy.Build(order, new[] { Select("cup", line.CapturableQuantity) }, false, false);
        Assert.That(refusal, Is.Null);
        Assert.That(built.Single().TotalAmount, Is.LessThanOrEqualTo(order.RemainingAuthorizedAmount));
    }

    [Test]
    public void Build_refuses_an_unknown_reference_a_quantity_not_above_zero_and_more_than_is_left()
    {
        var order = Order(Line("cup", 2, 1000));
        Capture(order, 1000, Line("cup", 1, 1000));

        var unknown = KlarnaLinePolicy.Build(order, new[] { Select("mug", 1) }, false, false).Refusal;
        var zero = KlarnaLinePolicy.Build(order, new[] { Select("cup", 0) }, false, false).Refusal;
        var tooMany = KlarnaLinePolicy.Build(order, new[] { Select("cup", 2) }, false, false).Refusal;

        Assert.That((unknown.Code, unknown.Args[0]), Is.EqualTo((KlarnaRefusalCode.UnknownLine, (object)"mug")));
        Assert.That(zero.Code, Is.EqualTo(KlarnaRefusalCode.LineQuantityNotPositive));
        Assert.That((tooMany.Code, tooMany.Args[1]), Is.EqualTo((KlarnaRefusalCode.LineQuantityTooHigh, (object)1L)));
    }

    [Test]
    public void Build_with_clamp_takes_what_is_left_of_a_line_and_skips_lines_with_nothing_left()
    {
        var order = Order(Line("cup", 2, 1000), Line("plate", 1, 3000));
        Capture(order, 4000, Line("cup", 1, 1000), Line("plate", 1, 3000));

        var (lines, refusal) = KlarnaLinePolicy.Build(order, new[] { Select("cup", 5), Select("plate", 1) }, false, true);

        Assert.That(refusal, Is.Null);
        Assert.That(lines.Select(l => (l.Reference, l.Quantity, l.TotalAmount)), Is.EqualTo(new[] { ("cup", 1L, 1000L) }));
    }

    [Test]
    public void Build_sums_the_quantities_of_a_reference_selected_twice()
    {
        var order = Order(Line("cup", 3, 1000));

        var (lines, _) = KlarnaLinePolicy.Build(order, new[] { Select("cup", 1), Select("cup", 1) }, false, false);

        Assert.That(lines.Single().Quantity, Is.EqualTo(2));
    }

    [Test]
    public void Build_of_a_refund_takes_captured_and_not_refunded_units_and_the_last_unit_takes_exactly_the_rest()
    {
        var order = Order(Line("cup", 3, 1000, discount: 100));
        Capture(order, 2900, Line("cup", 3, 1000, discount: 100));

        var first = KlarnaLinePolicy.Build(order, new[] { Select("cup", 2) }, true, false).Lines.Single();
        Refund(order, first.TotalAmount, first);
        var last = KlarnaLinePolicy.Build(order, new[] { Select("cup", 1) }, true, false).Lines.Single();

        Assert.That(first.TotalAmount + last.TotalAmount, Is.EqualTo(2900));
        Assert.That(first.TotalDiscountAmount + last.TotalDiscountAmount, Is.EqualTo(100));
    }

    [Test]
    public void BuildEverythingLeft_gives_the_lines_left_when_they_add_up_to_the_amount_and_null_otherwise()
    {
        var order = Order(Line("cup", 2, 1000), Line("plate", 1, 3000));
        Capture(order, 1000, Line("cup", 1, 1000));

        var lines = KlarnaLinePolicy.BuildEverythingLeft(order, false, 4000);
        var afterAmount = Order(Line("cup", 2, 1000));
        Capture(afterAmount, 500);

        Assert.That(lines.Select(l => (l.Reference, l.Quantity)), Is.EqualTo(new[] { ("cup", 1L), ("plate", 1L) }));
        Assert.That(KlarnaLinePolicy.BuildEverythingLeft(afterAmount, false, 1500), Is.Null, "a capture by amount breaks the lines");
        Assert.That(KlarnaLinePolicy.BuildEverythingLeft(order, true, 1000).Single().Reference, Is.EqualTo("cup"));
    }
}
