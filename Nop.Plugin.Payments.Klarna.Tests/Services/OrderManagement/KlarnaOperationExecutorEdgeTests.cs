using Moq;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The executor's answers off the main path: a retried click whose write Klarna refused, automatic actions nobody watches,
/// an unexpected error inside the order's lock, and calls without a command
/// </summary>
[TestFixture]
public class KlarnaOperationExecutorEdgeTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp() => _harness = new OrderManagementHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task The_same_caller_key_after_Klarna_refused_answers_Klarnas_refusal_again_without_a_second_write()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        var command = new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 3000, Initiator = KlarnaInitiator.Admin, IdempotencyKey = "click-7" };
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";

        var first = await _harness.Executor.ExecuteAsync(command);
        var second = await _harness.Executor.ExecuteAsync(command);

        Assert.That(first.Success || second.Success, Is.False);
        Assert.That(second.Operation.Id, Is.EqualTo(first.Operation.Id));
        Assert.That(second.KlarnaError.ErrorCode, Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That(second.KlarnaError.Messages, Is.EqualTo(new[] { "Fault injected by the test" }));
        Assert.That(second.KlarnaError.CorrelationId, Is.EqualTo(first.Operation.CorrelationId).And.StartWith("corr-"));
        Assert.That(second.KlarnaError.OutcomeUnknown, Is.False);
        Assert.That(_harness.Klarna.Writes, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_automatic_capture_Klarna_cannot_take_leaves_a_note_and_a_warning_naming_the_order()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.CaptureUponFulfillment });

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.CaptureNotAllowed));
        Assert.That(_harness.NotesOf(order), Has.Some.Contains("CANCELLED"));
        _harness.Logger.Verify(l => l.WarningAsync(It.Is<string>(m => m.Contains($"Capture of order {order.Id}") && m.Contains("not done") && m.Contains("CaptureNotAllowed")),
            It.IsAny<Exception>(), It.IsAny<Customer>()), Times.Once);
    }

    [Test]
    public async Task An_admins_refused_capture_is_answered_to_the_admin_without_a_note_or_warning()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        await _harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });
        var notes = _harness.NotesOf(order).Count;

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.CaptureNotAllowed));
        Assert.That(_harness.NotesOf(order), Has.Count.EqualTo(notes));
        _harness.Logger.Verify(l => l.WarningAsync(It.Is<string>(m => m.Contains("not done")), It.IsAny<Exception>(), It.IsAny<Customer>()), Times.Never);
    }

    [Test]
    public async Task An_unexpected_error_inside_the_lock_is_logged_and_answered_as_unexpected_with_nothing_written()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var failure = new InvalidOperationException("shipment table gone");
        _harness.ShipmentService.Setup(s => s.GetShipmentByIdAsync(It.IsAny<int>())).ThrowsAsync(failure);

        var result = await _harness.Executor.ExecuteAsync(new KlarnaShipmentCaptureCommand { OrderId = order.Id, ShipmentId = 1, Initiator = KlarnaInitiator.CaptureUponFulfillment });

        Assert.That(result.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.Unexpected));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
        _harness.Logger.Verify(l => l.ErrorAsync(It.Is<string>(m => m.Contains($"unexpected error in a Capture of order {order.Id}")), failure, It.IsAny<Customer>()), Times.Once);
    }

    [Test]
    public void No_command_or_reconciliation_request_is_refused()
    {
        Assert.ThrowsAsync<ArgumentNullException>(() => _harness.Executor.ExecuteAsync(null));
        Assert.ThrowsAsync<ArgumentNullException>(() => _harness.Executor.ReconcileAsync(null));
    }

    private async Task RecordCaptureAsync(Order order, KlarnaOperationStatus status, string key, TimeSpan age, string errorCode = null)
    {
        var now = _harness.Time.GetUtcNow().UtcDateTime;
        var operation = new KlarnaOperation
        {
            OrderId = order.Id, KlarnaOrderId = _harness.KlarnaOrderId(order), Kind = KlarnaOperationKind.Capture, Status = status,
            AmountMinor = 3000, CurrencyCode = "EUR", IdempotencyKey = key, ErrorCode = errorCode, Initiator = KlarnaInitiator.Admin,
            CreatedOnUtc = now - age, UpdatedOnUtc = now - age
        };
        await _harness.RecordService.InsertOperationAsync(operation);
    }

    private Task<KlarnaOperationResult> AutomaticCaptureAsync(Order order) =>
        _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.CaptureUponFulfillment, InitiatedBy = "fulfillment" });

    [Test]
    public async Task An_automatic_capture_of_an_order_without_credentials_is_not_done_with_a_note()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Settings.EuropePlaygroundPassword = null;

        var result = await AutomaticCaptureAsync(order);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.NoCredentials));
        Assert.That(_harness.NotesOf(order).Count(n => n.Contains("not done")), Is.EqualTo(1));
        Assert.That(_harness.Klarna.Reads + _harness.Klarna.Writes.Count, Is.Zero);
    }

    [Test]
    public async Task An_automatic_capture_when_Klarna_cannot_be_read_answers_Klarnas_failure_without_a_refusal_note()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Klarna.FailReads = true;

        var result = await AutomaticCaptureAsync(order);

        Assert.That(result.Success, Is.False);
        Assert.That(result.KlarnaError, Is.Not.Null);
        Assert.That(_harness.NotesOf(order).Where(n => n.Contains("not done")), Is.Empty, "the failed read was noted where it happened");
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task An_automatic_capture_of_an_order_busy_elsewhere_is_not_done_with_a_note()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.EngineOptions.LockWait = TimeSpan.FromMilliseconds(30);
        _harness.Locker.Hold(KlarnaDefaults.OrderLockKey(order.Id));

        var result = await AutomaticCaptureAsync(order);

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.OrderBusy));
        Assert.That(_harness.NotesOf(order).Count(n => n.Contains("not done")), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_caller_key_of_a_failed_write_without_a_message_answers_no_message()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        await RecordCaptureAsync(order, KlarnaOperationStatus.Failed, "click-9", TimeSpan.Zero, "CAPTURE_NOT_ALLOWED");

        var again = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 3000, Initiator = KlarnaInitiator.Admin, IdempotencyKey = "click-9" });

        Assert.That(again.KlarnaError.ErrorCode, Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That(again.KlarnaError.Messages, Is.Empty);
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task A_capture_that_needed_attention_and_shows_up_at_Klarna_does_not_stop_a_new_capture()
    {
        //the earlier capture was reported as needing attention long before this click: the click is new intent, not its retry
        var order = _harness.CreateOrder(Line("sku-1", 10, 1000));
        var now = _harness.Time.GetUtcNow().UtcDateTime;
        await RecordCaptureAsync(order, KlarnaOperationStatus.NeedsAttention, "lost-long-ago", TimeSpan.FromHours(30));
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        klarnaOrder.Captures.Add(new Nop.Plugin.Payments.Klarna.Services.Api.Models.KlarnaCapture { CaptureId = "cap-late", CapturedAmount = 3000, CapturedAt = now.AddHours(-29) });
        klarnaOrder.CapturedAmount = 3000;
        klarnaOrder.RemainingAuthorizedAmount -= 3000;
        klarnaOrder.Status = Nop.Plugin.Payments.Klarna.Services.Api.Models.KlarnaOrderStatus.PartCaptured;
        _harness.Klarna.AddOrder(klarnaOrder);

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 2000, Initiator = KlarnaInitiator.Admin });

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.OperationsOf(order).Single(op => op.IdempotencyKey == "lost-long-ago").Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(_harness.KlarnaOrderOf(order).CapturedAmount, Is.EqualTo(5000));
    }
}
