using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// What the settler leaves behind for the people who look later: the order notes name Klarna's ids, the log names the
/// operation, its order, its key and Klarna's error, and the records carry what Klarna's order tells of them
/// </summary>
public partial class KlarnaPendingSettlerTests
{
    private List<string> Logged(string level) =>
        _harness.Logger.Invocations.Where(i => i.Method.Name == level).Select(i => (string)i.Arguments[0]).ToList();

    [Test]
    public async Task An_operation_found_in_Klarnas_order_takes_Klarnas_id_and_reference_and_its_note_names_the_id()
    {
        await PendingAsync("found", 3000, TimeSpan.FromMinutes(10));
        PortalCapture("cap-f", 3000, Now.AddMinutes(-9));

        await ReconcileAsync();

        var operation = _harness.OperationsOf(_order).Single();
        Assert.That((operation.KlarnaId, operation.KlarnaReference), Is.EqualTo(("cap-f", "KR-cap-f")));
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("was found in Klarna's order").And.Contain("(Klarna id cap-f)"));
    }

    [Test]
    public async Task A_replay_Klarna_confirms_names_Klarnas_id_in_its_note()
    {
        await PendingAsync("again", 3000, TimeSpan.FromMinutes(5));

        await ReconcileAsync();

        var operation = _harness.OperationsOf(_order).Single();
        Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(operation.KlarnaId, Is.Not.Empty);
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("Klarna confirmed it").And.Contain($"(Klarna id {operation.KlarnaId})"));
    }

    [Test]
    public async Task A_replay_whose_answer_is_lost_again_is_logged_with_the_operation_its_order_and_the_error()
    {
        var operation = await PendingAsync("lost", 3000, TimeSpan.FromMinutes(5));
        _harness.Klarna.NextFault["capture"] = "drop";

        await ReconcileAsync();

        var warning = Logged("WarningAsync").Single(m => m.Contains("sent again"));
        var stored = _harness.OperationsOf(_order).Single();
        Assert.That(warning, Does.Contain($"pending Capture {operation.Id} of order {_order.Id} sent again with its key, still no answer"));
        Assert.That(warning, Does.Contain($"(error {stored.ErrorCode}, correlation id none)"));
    }

    [Test]
    public async Task A_replay_Klarna_refuses_is_logged_with_the_operation_its_order_and_Klarnas_error()
    {
        var operation = await PendingAsync("refused", 3000, TimeSpan.FromMinutes(5));
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";

        await ReconcileAsync();

        var warning = Logged("WarningAsync").Single(m => m.Contains("refused by Klarna"));
        Assert.That(warning, Does.Contain($"pending Capture {operation.Id} of order {_order.Id} refused by Klarna when sent again with its key"));
        Assert.That(warning, Does.Contain("(error CAPTURE_NOT_ALLOWED, correlation id "));
    }

    [Test]
    public async Task An_operation_past_the_replay_window_without_effect_is_logged_as_an_error_naming_its_key()
    {
        var operation = await PendingAsync("late-key", 3000, TimeSpan.FromHours(25));

        await ReconcileAsync();

        var error = Logged("ErrorAsync").Single();
        Assert.That(error, Does.Contain($"Capture {operation.Id} of order {_order.Id} (key late-key) stayed without an outcome"));
        Assert.That(error, Does.Contain("shows no effect of it: it needs attention"));
        Assert.That(_harness.OperationsOf(_order).Single().Status, Is.EqualTo(KlarnaOperationStatus.NeedsAttention));
    }

    [Test]
    public async Task A_cancel_past_the_replay_window_of_a_cancelled_order_is_logged_as_possibly_the_portals()
    {
        var cancel = await PendingAsync("cancel-key", 10000, TimeSpan.FromHours(25), KlarnaOperationKind.Cancel);
        CancelInKlarna();

        await ReconcileAsync();

        var error = Logged("ErrorAsync").Single();
        Assert.That(error, Does.Contain($"Cancel {cancel.Id} of order {_order.Id} (key cancel-key)"));
        Assert.That(error, Does.Contain("may have been made in the Merchant Portal: it needs attention"));
    }

    [Test]
    public async Task A_merchant_portal_capture_is_recorded_at_its_capture_time_with_its_lines_and_its_note_names_its_ids()
    {
        var capturedAt = Now.AddHours(-3);
        PortalCapture("cap-p", 2000, capturedAt);
        var klarnaOrder = _harness.KlarnaOrderOf(_order);
        klarnaOrder.Captures.Single().OrderLines = new List<KlarnaOrderLine>
        {
            new() { Reference = "sku-1", Name = "Lamp", Quantity = 2, UnitPrice = 1000, TotalAmount = 2000 }
        };
        _harness.Klarna.AddOrder(klarnaOrder);

        await ReconcileAsync();

        var portal = _harness.OperationsOf(_order).Single();
        Assert.That(portal.CreatedOnUtc, Is.EqualTo(capturedAt).Within(TimeSpan.FromSeconds(1)));
        Assert.That(portal.LinesJson, Does.Contain("sku-1"));
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("captured in the Klarna Merchant Portal (capture cap-p, KR-cap-p)"));
    }

    [Test]
    public async Task A_merchant_portal_capture_without_lines_is_recorded_without_lines()
    {
        PortalCapture("cap-n", 2000, Now.AddHours(-3));

        await ReconcileAsync();

        Assert.That(_harness.OperationsOf(_order).Single().LinesJson, Is.Null);
    }

    [Test]
    public async Task A_merchant_portal_refund_is_recorded_once_at_its_refund_time_with_one_note_naming_it()
    {
        PortalCapture("cap-1", 10000, Now.AddHours(-5));
        var refundedAt = Now.AddHours(-2);
        PortalRefund("ref-9", 2500, refundedAt);

        await ReconcileAsync();
        await ReconcileAsync();

        var refund = _harness.OperationsOf(_order).Single(op => op.Kind == KlarnaOperationKind.Refund);
        Assert.That(refund.CreatedOnUtc, Is.EqualTo(refundedAt).Within(TimeSpan.FromSeconds(1)));
        Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("refunded in the Klarna Merchant Portal (refund ref-9)")), Is.EqualTo(1));
    }
}
