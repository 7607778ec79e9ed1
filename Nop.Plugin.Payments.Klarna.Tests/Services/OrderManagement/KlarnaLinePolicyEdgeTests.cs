using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The per-line policy at its edges: the amounts of one to n units, the most units a limit lets through, what is left and
/// refundable per line, selections without a reference or quantity, and everything left of a part-refunded order
/// </summary>
[TestFixture]
public class KlarnaLinePolicyEdgeTests
{
    private static KlarnaOrder Order(List<KlarnaOrderLine> lines, List<KlarnaCapture> captures = null, List<KlarnaRefund> refunds = null) => new()
    {
        OrderId = "k-1",
        Status = KlarnaOrderStatus.Authorized,
        PurchaseCurrency = "eur",
        OrderLines = lines,
        Captures = captures ?? new List<KlarnaCapture>(),
        Refunds = refunds ?? new List<KlarnaRefund>()
    };

    private static KlarnaCapture Captured(params KlarnaOrderLine[] lines) => new() { CaptureId = Guid.NewGuid().ToString(), CapturedAmount = lines.Sum(l => l.TotalAmount), OrderLines = lines.ToList() };

    private static KlarnaRefund Refunded(params KlarnaOrderLine[] lines) => new() { RefundId = Guid.NewGuid().ToString(), RefundedAmount = lines.Sum(l => l.TotalAmount), OrderLines = lines.ToList() };

    private static KlarnaLineSelection Select(string reference, long quantity) => new() { Reference = reference, Quantity = quantity };

    [Test]
    public void The_amounts_of_one_to_n_units_of_a_line_are_listed_in_order()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 3, 1000) });

        Assert.That(KlarnaLinePolicy.AmountsByQuantity(order, "sku-1", 3, false), Is.EqualTo(new[] { 1000L, 2000L, 3000L }));
        Assert.That(KlarnaLinePolicy.AmountsByQuantity(order, "sku-1", 1, false), Is.EqualTo(new[] { 1000L }));
    }

    [Test]
    public void The_refund_amounts_of_units_follow_what_was_captured()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 3, 1000, discount: 300) }, new List<KlarnaCapture> { Captured(Line("sku-1", 3, 1000, discount: 300)) });

        var amounts = KlarnaLinePolicy.AmountsByQuantity(order, "sku-1", 3, true);

        Assert.That(amounts, Has.Count.EqualTo(3));
        Assert.That(amounts[2], Is.EqualTo(2700));
        Assert.That(amounts, Is.Ordered.Ascending);
    }

    [Test]
    public void No_amounts_for_an_unknown_line_or_no_units()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 3, 1000) });

        Assert.That(KlarnaLinePolicy.AmountsByQuantity(order, "other", 2, false), Is.Empty);
        Assert.That(KlarnaLinePolicy.AmountsByQuantity(order, "sku-1", 0, false), Is.Empty);
        Assert.That(KlarnaLinePolicy.AmountsByQuantity(order, "sku-1", -1, false), Is.Empty);
    }

    [Test]
    public void A_capture_limit_lets_through_exactly_the_units_it_covers()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 3, 1000) });

        var line = KlarnaLinePolicy.Allowances(order, KlarnaAllowance.Allow(2000), KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingCaptured)).Single();

        Assert.That(line.CapturableQuantity, Is.EqualTo(2));
        Assert.That(line.CaptureNote.Code, Is.EqualTo(KlarnaRefusalCode.LineLimitedByRemaining));
        Assert.That(line.CaptureNote.Args, Is.EqualTo(new object[] { 2L, new KlarnaMoney(2000, "EUR") }));
    }

    [Test]
    public void A_capture_limit_below_one_unit_names_the_price_of_one_unit()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 2, 1000) });

        var line = KlarnaLinePolicy.Allowances(order, KlarnaAllowance.Allow(500), KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingCaptured)).Single();

        Assert.That(line.CapturableQuantity, Is.Zero);
        Assert.That(line.CaptureNote.Code, Is.EqualTo(KlarnaRefusalCode.LineExceedsRemaining));
        Assert.That(line.CaptureNote.Args, Is.EqualTo(new object[] { new KlarnaMoney(1000, "EUR"), new KlarnaMoney(500, "EUR") }));
    }

    [Test]
    public void A_refund_limit_counts_the_discounted_price_of_the_captured_units()
    {
        var discounted = Line("sku-1", 3, 1000, discount: 300);
        var order = Order(new List<KlarnaOrderLine> { discounted }, new List<KlarnaCapture> { Captured(Line("sku-1", 3, 1000, discount: 300)) });

        var fitting = KlarnaLinePolicy.Allowances(order, KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingToCapture), KlarnaAllowance.Allow(1800)).Single();
        var tooSmall = KlarnaLinePolicy.Allowances(order, KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingToCapture), KlarnaAllowance.Allow(500)).Single();

        Assert.That(fitting.RefundableQuantity, Is.EqualTo(2));
        Assert.That(fitting.RefundNote.Code, Is.EqualTo(KlarnaRefusalCode.LineLimitedByRefundable));
        Assert.That(tooSmall.RefundableQuantity, Is.Zero);
        Assert.That(tooSmall.RefundNote.Code, Is.EqualTo(KlarnaRefusalCode.LineExceedsRefundable));
        Assert.That(tooSmall.RefundNote.Args[0], Is.EqualTo(new KlarnaMoney(900, "EUR")));
    }

    [Test]
    public void A_line_not_captured_yet_is_not_refundable_while_another_line_is()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 1, 1000), Line("sku-2", 1, 500) }, new List<KlarnaCapture> { Captured(Line("sku-1", 1, 1000)) });

        var lines = KlarnaLinePolicy.Allowances(order, KlarnaAllowance.Allow(500), KlarnaAllowance.Allow(1000));

        Assert.That(lines.Single(l => l.Reference == "sku-2").RefundNote.Code, Is.EqualTo(KlarnaRefusalCode.LineNotCaptured));
        Assert.That(lines.Single(l => l.Reference == "sku-1").RefundableQuantity, Is.EqualTo(1));
        Assert.That(lines.Single(l => l.Reference == "sku-1").RefundNote, Is.Null);
    }

    [Test]
    public void Each_line_shows_its_amount_left_to_capture_and_left_to_refund()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 3, 1000) },
            new List<KlarnaCapture> { Captured(Line("sku-1", 2, 1000)) }, new List<KlarnaRefund> { Refunded(Line("sku-1", 1, 1000)) });

        var line = KlarnaLinePolicy.Allowances(order, KlarnaAllowance.Allow(1000), KlarnaAllowance.Allow(1000)).Single();

        Assert.That((line.UncapturedQuantity, line.UncapturedAmount), Is.EqualTo((1L, 1000L)));
        Assert.That((line.UnrefundedQuantity, line.UnrefundedAmount), Is.EqualTo((1L, 1000L)));
        Assert.That((line.CapturedQuantity, line.RefundedQuantity), Is.EqualTo((2L, 1L)));
    }

    [Test]
    public void Everything_left_to_refund_of_a_part_refunded_line_is_what_was_captured_and_not_refunded()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 3, 1000) },
            new List<KlarnaCapture> { Captured(Line("sku-1", 2, 1000)) }, new List<KlarnaRefund> { Refunded(Line("sku-1", 1, 1000)) });

        var lines = KlarnaLinePolicy.BuildEverythingLeft(order, true, 1000);

        Assert.That(lines.Select(l => (l.Reference, l.Quantity, l.TotalAmount)), Is.EqualTo(new[] { ("sku-1", 1L, 1000L) }));
        Assert.That(KlarnaLinePolicy.BuildEverythingLeft(order, true, 999), Is.Null, "lines that do not add up to the amount are not sent");
    }

    [Test]
    public void A_selection_without_a_reference_is_an_unknown_line_named_empty()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 3, 1000) });

        var (lines, refusal) = KlarnaLinePolicy.Build(order, new List<KlarnaLineSelection> { Select(null, 1) }, false, false);

        Assert.That(lines, Is.Null);
        Assert.That(refusal.Code, Is.EqualTo(KlarnaRefusalCode.UnknownLine));
        Assert.That(refusal.Args, Is.EqualTo(new object[] { string.Empty }));
    }

    [Test]
    public void A_clamped_selection_of_no_units_is_left_out()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 3, 1000), Line("sku-2", 1, 500) });

        var (lines, refusal) = KlarnaLinePolicy.Build(order, new List<KlarnaLineSelection> { Select("sku-1", 0), Select("sku-2", 1) }, false, true);

        Assert.That(refusal, Is.Null);
        Assert.That(lines.Select(l => (l.Reference, l.Quantity)), Is.EqualTo(new[] { ("sku-2", 1L) }));
    }

    private static KlarnaOrderLine WithTax(KlarnaOrderLine line, long tax)
    {
        line.TotalTaxAmount = tax;
        return line;
    }

    [Test]
    public void The_rest_of_a_line_takes_exactly_the_tax_left_after_a_capture_whose_tax_Klarna_rounded_the_other_way()
    {
        //a Merchant Portal capture of one unit with 2.01 tax (within Klarna's one minor unit): the rest carries 1.99, not 2.00
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 2, 1000) }, new List<KlarnaCapture> { Captured(WithTax(Line("sku-1", 1, 1000), 201)) });

        var (lines, refusal) = KlarnaLinePolicy.Build(order, new List<KlarnaLineSelection> { Select("sku-1", 1) }, false, false);

        Assert.That(refusal, Is.Null);
        Assert.That(order.OrderLines.Single().TotalTaxAmount, Is.EqualTo(400));
        Assert.That((lines.Single().TotalAmount, lines.Single().TotalTaxAmount), Is.EqualTo((1000L, 199L)), "the parts' tax adds up to the line's");
    }

    [Test]
    public void The_rest_of_a_captured_line_refunds_exactly_the_tax_left_after_a_refund_whose_tax_Klarna_rounded_the_other_way()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 2, 1000) }, new List<KlarnaCapture> { Captured(Line("sku-1", 2, 1000)) },
            new List<KlarnaRefund> { Refunded(WithTax(Line("sku-1", 1, 1000), 201)) });

        var (lines, refusal) = KlarnaLinePolicy.Build(order, new List<KlarnaLineSelection> { Select("sku-1", 1) }, true, false);

        Assert.That(refusal, Is.Null);
        Assert.That((lines.Single().TotalAmount, lines.Single().TotalTaxAmount), Is.EqualTo((1000L, 199L)), "the refunds' tax adds up to the captured tax");
    }

    [Test]
    public void A_capture_limit_below_one_discounted_unit_names_the_discounted_price_of_one_unit()
    {
        var order = Order(new List<KlarnaOrderLine> { Line("sku-1", 2, 1000, discount: 300) });

        var line = KlarnaLinePolicy.Allowances(order, KlarnaAllowance.Allow(500), KlarnaAllowance.Refuse(KlarnaRefusalCode.NothingCaptured)).Single();

        Assert.That(line.CaptureNote.Code, Is.EqualTo(KlarnaRefusalCode.LineExceedsRemaining));
        Assert.That(line.CaptureNote.Args, Is.EqualTo(new object[] { new KlarnaMoney(850, "EUR"), new KlarnaMoney(500, "EUR") }));
    }
}
