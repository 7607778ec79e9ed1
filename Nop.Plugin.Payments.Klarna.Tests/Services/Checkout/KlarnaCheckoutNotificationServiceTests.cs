using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

/// <summary>
/// Klarna's fraud notifications: the secret and the body are checked, then the order engine reconciles the order (under its
/// lock, on a fresh read, through the policy). Repeated and out-of-order notifications change only what Klarna's order says
/// </summary>
[TestFixture]
public class KlarnaCheckoutNotificationServiceTests
{
    private OrderManagementHarness _harness;
    private Order _order;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
        _harness.Settings.NotificationSecret = "s3cret";
        _order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Pending);
        _order.PaymentStatusId = (int)PaymentStatus.Pending;
        _order.OrderStatusId = (int)OrderStatus.Pending;
        var record = _harness.RecordTable.Rows.Single(r => r.OrderId == _order.Id);
        record.FraudStatus = KlarnaFraudStatus.Pending;
        record.AppliedStatusEvents = nameof(KlarnaStatusEvent.FraudPending);
        _harness.RecordTable.UpdateAsync(record).GetAwaiter().GetResult();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private string KlarnaOrderId => _harness.KlarnaOrderId(_order);

    private void SetKlarna(Action<KlarnaOrder> change)
    {
        var order = _harness.KlarnaOrderOf(_order);
        change(order);
        _harness.Klarna.AddOrder(order);
    }

    private string Body(string eventType) => $"{{\"order_id\":\"{KlarnaOrderId}\",\"event_type\":\"{eventType}\"}}";

    private Task<Nop.Plugin.Payments.Klarna.Services.Checkout.KlarnaNotificationOutcome> NotifyAsync(string eventType, string secret = "s3cret") =>
        _harness.NotificationService.HandleAsync(secret, Body(eventType));

    private void AssertNothingChanged()
    {
        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Pending));
        Assert.That(_harness.RecordTable.Rows.Single(r => r.OrderId == _order.Id).FraudStatus, Is.EqualTo(KlarnaFraudStatus.Pending));
        Assert.That(_harness.Notes, Is.Empty);
        Assert.That(_harness.OperationTable.Rows, Is.Empty);
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [TestCase("wrong", 403)]
    [TestCase("", 401)]
    [TestCase(null, 401)]
    public async Task HandleAsync_refuses_a_wrong_or_missing_secret_without_reading_klarna(string secret, int expected)
    {
        var outcome = await NotifyAsync("FRAUD_RISK_ACCEPTED", secret);

        Assert.That(outcome.StatusCode, Is.EqualTo(expected));
        AssertNothingChanged();
        Assert.That(_harness.Klarna.Reads, Is.Zero);
    }

    private List<string> Warnings() => _harness.Logger.Invocations
        .Where(i => i.Method.Name == nameof(Nop.Services.Logging.ILogger.WarningAsync)).Select(i => (string)i.Arguments[0]).ToList();

    [Test]
    public async Task A_flood_of_wrong_secrets_within_a_minute_writes_one_warning_and_each_is_still_answered_403()
    {
        var outcomes = new List<int>();
        for (var i = 0; i < 1000; i++)
        {
            outcomes.Add((await NotifyAsync("FRAUD_RISK_ACCEPTED", "wrong-" + i)).StatusCode);
            _harness.Time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.That(outcomes, Has.All.EqualTo(403));
        Assert.That(Warnings(), Has.Count.EqualTo(1));
        Assert.That(Warnings()[0], Does.Contain("wrong secret").And.Not.Contain("wrong-0"), "the forged secret itself is not logged");
        AssertNothingChanged();
        Assert.That(_harness.Klarna.Reads, Is.Zero);
    }

    [Test]
    public async Task After_a_minute_the_next_wrong_secret_writes_a_warning_with_the_count_since_the_last_warning()
    {
        for (var i = 0; i < 1000; i++)
            await NotifyAsync("FRAUD_RISK_ACCEPTED", "wrong");
        _harness.Time.Advance(TimeSpan.FromMinutes(1));

        var outcome = await NotifyAsync("FRAUD_RISK_ACCEPTED", "wrong");

        Assert.That(outcome, Is.EqualTo(new Nop.Plugin.Payments.Klarna.Services.Checkout.KlarnaNotificationOutcome(403, "wrong_secret")));
        Assert.That(Warnings(), Has.Count.EqualTo(2));
        Assert.That(Warnings()[1], Does.Contain("1000 notifications with a wrong secret refused since the last warning"));
    }

    [Test]
    public async Task A_notification_with_the_right_secret_is_handled_during_a_flood_of_wrong_ones()
    {
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Accepted);
        for (var i = 0; i < 100; i++)
            await NotifyAsync("FRAUD_RISK_ACCEPTED", "wrong");

        var outcome = await NotifyAsync("FRAUD_RISK_ACCEPTED");

        Assert.That(outcome.StatusCode, Is.EqualTo(200));
        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(Warnings(), Has.Count.EqualTo(1), "only the wrong secrets' first warning");
    }

    [TestCase("not json")]
    [TestCase("{\"order_id\":")]
    [TestCase("[1,2]")]
    [TestCase("{\"event_type\":\"FRAUD_RISK_ACCEPTED\"}")]
    [TestCase("{\"order_id\":{\"a\":1}}")]
    [TestCase("")]
    public async Task HandleAsync_answers_400_to_a_malformed_body_and_changes_nothing(string body)
    {
        var outcome = await _harness.NotificationService.HandleAsync("s3cret", body);

        Assert.That(outcome.StatusCode, Is.EqualTo(400));
        AssertNothingChanged();
        Assert.That(_harness.Klarna.Reads, Is.Zero);
    }

    [Test]
    public async Task HandleAsync_answers_400_to_an_oversized_body()
    {
        var body = $"{{\"order_id\":\"{KlarnaOrderId}\",\"x\":\"" + new string('a', KlarnaDefaults.Checkout.MaxNotificationBytes) + "\"}";

        var outcome = await _harness.NotificationService.HandleAsync("s3cret", body);

        Assert.That(outcome.StatusCode, Is.EqualTo(400));
        AssertNothingChanged();
    }

    [Test]
    public async Task HandleAsync_answers_404_to_an_unknown_order()
    {
        var outcome = await _harness.NotificationService.HandleAsync("s3cret", "{\"order_id\":\"unknown\",\"event_type\":\"FRAUD_RISK_ACCEPTED\"}");

        Assert.That(outcome.StatusCode, Is.EqualTo(404));
        AssertNothingChanged();
    }

    [Test]
    public async Task HandleAsync_never_trusts_the_body_and_keeps_the_order_pending_while_klarna_still_says_pending()
    {
        var outcome = await NotifyAsync("FRAUD_RISK_ACCEPTED");

        Assert.That(outcome.StatusCode, Is.EqualTo(200));
        AssertNothingChanged();
    }

    [Test]
    public async Task HandleAsync_answers_503_when_klarna_cannot_be_read_so_that_klarna_sends_it_again_and_changes_nothing()
    {
        _harness.Klarna.FailReads = true;

        var outcome = await NotifyAsync("FRAUD_RISK_ACCEPTED");

        Assert.That(outcome.StatusCode, Is.EqualTo(503));
        AssertNothingChanged();
    }

    [Test]
    public async Task HandleAsync_answers_503_while_another_operation_holds_the_order()
    {
        _harness.EngineOptions.LockWait = TimeSpan.FromMilliseconds(50);
        _harness.Locker.Hold(KlarnaDefaults.OrderLockKey(_order.Id));
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Accepted);

        var outcome = await NotifyAsync("FRAUD_RISK_ACCEPTED");

        Assert.That(outcome.StatusCode, Is.EqualTo(503));
        AssertNothingChanged();
    }

    [Test]
    public async Task An_accepted_order_is_authorized_once_with_its_mapped_status_also_when_klarna_repeats_the_notification()
    {
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Accepted);

        var first = await NotifyAsync("FRAUD_RISK_ACCEPTED");
        var second = await NotifyAsync("FRAUD_RISK_ACCEPTED");

        Assert.Multiple(() =>
        {
            Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((200, 200)));
            Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
            Assert.That((OrderStatus)_order.OrderStatusId, Is.EqualTo(OrderStatus.Processing));
            Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("fraud status changed from PENDING to ACCEPTED")), Is.EqualTo(1));
            Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("(Authorized)")), Is.EqualTo(1), "the mapped status once");
            Assert.That(_harness.Klarna.Writes, Is.Empty);
        });
    }

    [Test]
    public async Task A_rejected_order_is_cancelled_at_klarna_through_the_engine_voided_and_given_the_cancel_status_once()
    {
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Rejected);

        var first = await NotifyAsync("FRAUD_RISK_REJECTED");
        var second = await NotifyAsync("FRAUD_RISK_REJECTED");

        var cancel = _harness.OperationsOf(_order).Single();
        Assert.Multiple(() =>
        {
            Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((200, 200)));
            Assert.That(_harness.KlarnaOrderOf(_order).Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
            Assert.That(_harness.Klarna.Writes.Count(w => w.Method == "cancel"), Is.EqualTo(1));
            Assert.That((cancel.Kind, cancel.Status, cancel.Initiator), Is.EqualTo((KlarnaOperationKind.Cancel, KlarnaOperationStatus.Succeeded, KlarnaInitiator.Notification)));
            Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided));
            Assert.That((OrderStatus)_order.OrderStatusId, Is.EqualTo(OrderStatus.Cancelled));
            Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("rejected this order")), Is.EqualTo(1));
            Assert.That(_harness.NotesOf(_order).Count(n => n.Contains("order cancelled")), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_rejected_order_whose_cancel_klarna_refuses_is_answered_503_and_cancelled_on_klarnas_resend()
    {
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Rejected);
        _harness.Klarna.NextFault["cancel"] = "drop";

        var first = await NotifyAsync("FRAUD_RISK_REJECTED");
        var pending = _harness.OperationsOf(_order).Single();
        var resend = await NotifyAsync("FRAUD_RISK_REJECTED");

        var cancel = _harness.OperationsOf(_order).Single();
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(503), "not 2xx: Klarna sends it again");
            Assert.That(pending.Status, Is.EqualTo(KlarnaOperationStatus.Pending));
            Assert.That(resend.StatusCode, Is.EqualTo(200));
            Assert.That(cancel.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded), "the same operation, sent again with its key");
            Assert.That(_harness.Klarna.Writes.Where(w => w.Method == "cancel").Select(w => w.Key).Distinct(), Is.EqualTo(new[] { cancel.IdempotencyKey }));
            Assert.That(_harness.KlarnaOrderOf(_order).Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
            Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided));
        });
    }

    [Test]
    public async Task A_late_accepted_notification_never_reopens_an_order_klarna_rejected_and_cancelled()
    {
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Rejected);
        await NotifyAsync("FRAUD_RISK_REJECTED");
        var notes = _harness.NotesOf(_order).Count;

        var late = await NotifyAsync("FRAUD_RISK_ACCEPTED");

        Assert.That(late.StatusCode, Is.EqualTo(200));
        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided));
        Assert.That((OrderStatus)_order.OrderStatusId, Is.EqualTo(OrderStatus.Cancelled));
        Assert.That(_harness.NotesOf(_order), Has.Count.EqualTo(notes));
    }

    [Test]
    public async Task A_stopped_order_klarna_had_accepted_stops_captures_gets_the_stopped_status_and_a_note_but_is_not_cancelled()
    {
        //accepted earlier (captured in part), then Klarna asks not to ship it (FRAUD_RISK_STOPPED)
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Accepted);
        await NotifyAsync("FRAUD_RISK_ACCEPTED");
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id, AmountMinor = 2000 });
        SetKlarna(order => order.FraudStatus = KlarnaFraudStatus.Stopped);
        _harness.Settings.OrderStatusFraudStoppedId = (int)OrderStatus.Pending;

        var outcome = await NotifyAsync("FRAUD_RISK_STOPPED");
        var capture = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id });
        var automatic = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = _order.Id, Initiator = KlarnaInitiator.CaptureUponFulfillment });
        var view = await _harness.Reader.ReadAsync(_order);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.StatusCode, Is.EqualTo(200));
            Assert.That(_harness.Klarna.Writes.Count(w => w.Method == "cancel"), Is.Zero, "the merchant decides what happens to a stopped order");
            Assert.That((OrderStatus)_order.OrderStatusId, Is.EqualTo(OrderStatus.Pending), "the mapped status of a stopped order");
            Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized), "the money: part captured, the rest still authorized");
            Assert.That(_harness.NotesOf(_order).Count(n => n.StartsWith("Klarna stopped this order (fraud status ACCEPTED to STOPPED)")), Is.EqualTo(1));
            Assert.That(capture.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.FraudStopped));
            Assert.That(automatic.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.FraudStopped));
            Assert.That(_harness.NotesOf(_order), Has.Some.StartsWith("Klarna: Capture not done. Klarna stopped this order"), "the automatic capture's refusal is noted");
            Assert.That(_harness.KlarnaOrderOf(_order).Captures, Has.Count.EqualTo(1));
            Assert.That(view.Decision.FraudHold, Is.EqualTo(KlarnaFraudHold.Stopped));
            Assert.That(view.Decision.Capture.Allowed, Is.False);
            Assert.That(view.Decision.Refund.Allowed, Is.True, "what was captured can still be refunded");
        });
    }
}
