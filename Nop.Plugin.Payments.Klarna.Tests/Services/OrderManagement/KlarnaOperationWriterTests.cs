using Microsoft.Extensions.DependencyInjection;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// One write: recorded as pending with its key before the call, guarded against a rival, settled from Klarna's answer
/// </summary>
[TestFixture]
public class KlarnaOperationWriterTests
{
    private OrderManagementHarness _harness;
    private KlarnaOperationWriter _writer;
    private Order _order;
    private KlarnaOrderSession _session;

    [SetUp]
    public async Task SetUp()
    {
        _harness = new OrderManagementHarness();
        _writer = _harness.Services.GetRequiredService<KlarnaOperationWriter>();
        _order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        var sessions = _harness.Services.GetRequiredService<KlarnaOrderSessions>();
        (_session, _) = await sessions.OpenAsync(_order, 0, KlarnaInitiator.Admin);
        await sessions.LoadAsync(_session, null, CancellationToken.None);
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static KlarnaWritePlan Capture(long amount) => new() { Kind = KlarnaOperationKind.Capture, AmountMinor = amount, Reference = "1001" };

    private static KlarnaCaptureCommand Command(string key = null) => new() { IdempotencyKey = key, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin@shop.test" };

    [Test]
    public async Task A_successful_write_is_recorded_pending_before_the_call_then_succeeded_with_klarnas_id_and_a_note()
    {
        KlarnaOperationStatus? atCall = null;
        _harness.Klarna.OnWrite = (_, key) => atCall = _harness.OperationTable.Rows.Single(op => op.IdempotencyKey == key).Status;

        var result = await _writer.WriteAsync(_session, Command(), Capture(4000));

        Assert.That(atCall, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(result.Operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(result.Operation.KlarnaId, Is.EqualTo(_harness.KlarnaOrderOf(_order).Captures.Single().CaptureId));
        Assert.That((result.Operation.Reference, result.Operation.InitiatedBy, result.Operation.CurrencyCode), Is.EqualTo(("1001", "admin@shop.test", "EUR")));
        Assert.That(_session.KlarnaOrder.CapturedAmount, Is.EqualTo(4000), "the read copy follows the write: no second read");
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("captured 40.00 EUR"));
    }

    [Test]
    public async Task Every_new_operation_gets_its_own_key_and_a_callers_key_is_kept()
    {
        var first = await _writer.WriteAsync(_session, Command(), Capture(1000));
        var second = await _writer.WriteAsync(_session, Command("click-1"), Capture(1000));

        Assert.That(first.Operation.IdempotencyKey, Is.Not.Empty.And.Not.EqualTo("click-1"));
        Assert.That(Guid.TryParse(first.Operation.IdempotencyKey, out _), Is.True);
        Assert.That(second.Operation.IdempotencyKey, Is.EqualTo("click-1"));
    }

    [Test]
    public async Task A_key_that_belongs_to_another_operation_is_refused_without_a_call()
    {
        await _writer.WriteAsync(_session, Command("click-1"), Capture(1000));

        var result = await _writer.WriteAsync(_session, Command("click-1"), Capture(1000));

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.IdempotencyKeyInUse));
        Assert.That(_harness.Klarna.Writes, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_operation_of_the_family_recorded_by_a_rival_since_the_read_stops_the_write()
    {
        await _harness.RecordService.InsertOperationAsync(new KlarnaOperation
        {
            OrderId = _order.Id, KlarnaOrderId = _harness.KlarnaOrderId(_order), Kind = KlarnaOperationKind.Capture, Status = KlarnaOperationStatus.Pending,
            AmountMinor = 4000, CurrencyCode = "EUR", IdempotencyKey = "rival", CreatedOnUtc = DateTime.UtcNow
        });

        var result = await _writer.WriteAsync(_session, Command(), Capture(4000));

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.OrderChanged));
        Assert.That(result.Operation.Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task A_refund_recorded_by_a_rival_since_the_read_stops_a_capture_too()
    {
        //found by the model-based suite: two flows that both held the order's key (DistributedCacheLocker's check and set
        //are two steps) sent a capture and a refund at once
        await _harness.RecordService.InsertOperationAsync(new KlarnaOperation
        {
            OrderId = _order.Id, KlarnaOrderId = _harness.KlarnaOrderId(_order), Kind = KlarnaOperationKind.Refund, Status = KlarnaOperationStatus.Pending,
            AmountMinor = 100, CurrencyCode = "EUR", IdempotencyKey = "refund", CreatedOnUtc = DateTime.UtcNow
        });

        var result = await _writer.WriteAsync(_session, Command(), Capture(4000));

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.OrderChanged));
        Assert.That(result.Operation.Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task A_lost_answer_stays_pending_with_a_note_saying_it_is_settled_from_klarna()
    {
        _harness.Klarna.NextFault["capture"] = "drop";

        var result = await _writer.WriteAsync(_session, Command(), Capture(4000));

        Assert.That(result.OutcomeUnknown, Is.True);
        Assert.That(result.Operation.Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("Klarna did not answer").And.Contain("reuses the same idempotency key"));
    }

    [Test]
    public async Task A_lost_answer_after_another_flow_settled_the_operation_meanwhile_keeps_that_outcome_without_a_second_note()
    {
        // Arrange: this call outlives its lock; another flow takes the order, replays the key and records the capture as done
        _harness.Klarna.NextFault["capture"] = "drop";
        _harness.Klarna.OnWrite = (_, key) =>
        {
            var settled = _harness.OperationTable.Rows.Single(op => op.IdempotencyKey == key);
            settled.Status = KlarnaOperationStatus.Succeeded;
            settled.KlarnaId = "capture-settled-by-the-other-flow";
            _harness.OperationTable.UpdateAsync(settled).GetAwaiter().GetResult();
        };

        // Act
        var result = await _writer.WriteAsync(_session, Command(), Capture(4000));

        // Assert
        var stored = _harness.OperationTable.Rows.Single();
        Assert.That(result.Success, Is.True, "the write is done, whoever learned it");
        Assert.That((stored.Status, stored.KlarnaId), Is.EqualTo((KlarnaOperationStatus.Succeeded, "capture-settled-by-the-other-flow")), "not put back to pending");
        Assert.That(result.Operation.KlarnaId, Is.EqualTo("capture-settled-by-the-other-flow"));
        Assert.That(_session.KlarnaOrder.CapturedAmount, Is.EqualTo(4000), "the read copy follows the settled write");
        Assert.That(_harness.NotesOf(_order), Is.Empty, "the other flow noted it; no 'did not answer' note for a settled write");
    }

    [Test]
    public async Task Klarnas_refusal_fails_the_operation_with_its_code_message_and_correlation_id()
    {
        _harness.Klarna.NextFault["capture"] = "CAPTURE_NOT_ALLOWED";

        var result = await _writer.WriteAsync(_session, Command(), Capture(4000));

        Assert.That(result.Operation.Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(result.Operation.ErrorCode, Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That(result.Operation.ErrorMessage, Is.EqualTo("Fault injected by the test"));
        Assert.That(result.Operation.CorrelationId, Is.EqualTo(result.CorrelationId).And.StartWith("corr-"));
        Assert.That(_harness.NotesOf(_order).Single(), Does.Contain("Klarna refused it: error code CAPTURE_NOT_ALLOWED"));
    }
}
