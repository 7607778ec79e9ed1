using System.Text;
using Moq;
using Newtonsoft.Json.Linq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// Klarna's notifications end to end: the sandbox posts the fraud decision to the order's merchant_urls.notification - the
/// plugin's real notification route in a real ASP.NET Core pipeline - and sends it again until it is answered 200. The shop
/// fails the first delivery (its order lock held by another instance, Klarna's order unreadable for a moment, the cancel of
/// a rejected order losing its answer), answers 200 to a resend, and answers 200 to a later delivery of the same
/// notification without doing anything again: the event is applied exactly once (one note, one change of each status, one
/// record, for a rejection one cancel) and Klarna stops resending after the 200
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class NotificationResendTests
{
    public enum Failure { OrderLockHeld, KlarnaReadFails, CancelAnswerLost }

    private ReliabilityShop _shop;
    private PluginPipelineHost _host;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        //Klarna's resends need a quick answer: a notification that finds the order busy waits briefly, then asks for a resend
        _shop = new ReliabilityShop(ReliabilityEnvironment.ClientWithoutRetries);
        _shop.Harness.EngineOptions.LockWait = TimeSpan.FromMilliseconds(100);
        _shop.Harness.OrderService.Setup(s => s.UpdateOrderAsync(It.IsAny<Order>()))
            .Callback((Order saved) => _saved.Enqueue((saved.Id, (PaymentStatus)saved.PaymentStatusId, (OrderStatus)saved.OrderStatusId)))
            .Returns(Task.CompletedTask);
        _host = await ReliabilityPipeline.StartAsync(_shop, new ReliabilityAdmin(_shop));
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<(int OrderId, PaymentStatus Payment, OrderStatus Status)> _saved = new();

    /// <summary>
    /// Gets the payment and order statuses of an order at each save, each change once (a save that changed neither shows as a repeat)
    /// </summary>
    private List<string> Saves(Order order) => _saved.Where(s => s.OrderId == order.Id).Select(s => $"{s.Payment}/{s.Status}").ToList();

    /// <summary>
    /// Gets the payment statuses the order went through, from the first (each change once)
    /// </summary>
    private List<PaymentStatus> PaymentStatuses(Order order, PaymentStatus initial)
    {
        var statuses = new List<PaymentStatus> { initial };
        foreach (var (_, payment, _) in _saved.Where(s => s.OrderId == order.Id))
        {
            if (payment != statuses[^1])
                statuses.Add(payment);
        }

        return statuses;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _shop?.CaptureAll("notification resends");
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private static async Task<int?> DecideAsync(string klarnaOrderId, string fraudStatus)
    {
        var response = await ReliabilityEnvironment.Control.PostAsync($"_sandbox/orders/{klarnaOrderId}/fraud-decision",
            new StringContent($"{{\"fraud_status\":\"{fraudStatus}\",\"notify\":true}}", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, body);
        return JObject.Parse(body).Value<int?>("notification_status");
    }

    private static List<global::Klarna.Sandbox.SandboxNotificationDelivery> Deliveries(string klarnaOrderId) =>
        ReliabilityEnvironment.Sandbox.State.Notifier.Deliveries.Where(d => d.OrderId == klarnaOrderId).ToList();

    /// <summary>
    /// What the event changed in the shop: notes, payment status changes, mapped order status events, operations, record
    /// </summary>
    private (int Notes, int PaymentChanges, int StatusEvents, string Operations, string Record) Snapshot(Order order)
    {
        var record = _shop.Record(order);
        return (_shop.Notes(order).Count,
            PaymentStatuses(order, PaymentStatus.Pending).Count - 1,
            _shop.Harness.PublishedEvents.OfType<OrderStatusChangedEvent>().Count(e => e.Order.Id == order.Id),
            string.Join("; ", _shop.Operations(order).Select(op => $"{op.Kind} {op.Status} {op.KlarnaId}")),
            $"{record.KlarnaStatus} {record.FraudStatus} {record.RemainingAuthorizedAmountMinor} {(PaymentStatus)order.PaymentStatusId}");
    }

    [TestCase(Failure.OrderLockHeld)]
    [TestCase(Failure.KlarnaReadFails)]
    [TestCase(Failure.CancelAnswerLost)]
    public async Task A_notification_the_shop_failed_is_resent_until_answered_200_and_applied_once_also_when_delivered_again(Failure failure)
    {
        var url = $"{_host.BaseUrl}/{KlarnaDefaults.Checkout.NotificationPath}/{ReliabilityShop.NotificationSecret}";
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync(notificationUrl: url, fraudPending: true);
        var decision = failure == Failure.CancelAnswerLost ? KlarnaFraudStatus.Rejected : KlarnaFraudStatus.Accepted;
        var scenario = $"{decision} notification with {failure} at the first delivery, order {order.Id} / {klarnaOrderId}";
        var lockKey = KlarnaOrderLock.KeyOf(order.Id);
        var refusalsBefore = _shop.Harness.Locker.Refusals;
        var faultKind = failure switch { Failure.KlarnaReadFails => "status", Failure.CancelAnswerLost => "commit_then_drop", _ => null };
        switch (failure)
        {
            case Failure.OrderLockHeld:
                _shop.Harness.Locker.Hold(lockKey);
                break;
            case Failure.KlarnaReadFails:
                await ReliabilityEnvironment.AddFaultAsync(new { method = "GET", path_pattern = $"/ordermanagement/v1/orders/{klarnaOrderId}", kind = "status", status = 503, times = 1 });
                break;
            case Failure.CancelAnswerLost:
                await ReliabilityEnvironment.AddFaultAsync(new { method = "POST", path_pattern = $"/ordermanagement/v1/orders/{klarnaOrderId}/cancel", kind = "commit_then_drop", times = 1 });
                break;
        }
        ReliabilityLedger.FaultInjected();
        ReliabilityLedger.Scenario();

        //Klarna decides and notifies; the shop fails the first delivery, then (the other instance done) answers a resend
        var firstStatus = await DecideAsync(klarnaOrderId, decision);
        if (failure == Failure.OrderLockHeld)
            _shop.Harness.Locker.Release(lockKey);
        await ExactlyOnceVerdict.WaitUntilAsync(() => Deliveries(klarnaOrderId).Any(d => d.Status == 200), "a resend answered 200");
        //past Klarna's next resend: nothing more comes after the 200
        await Task.Delay(ReliabilityEnvironment.NotificationRetryDelays[1] + TimeSpan.FromMilliseconds(300));
        await ReliabilityEnvironment.ClearFaultsAsync();
        var handled = Snapshot(order);
        var resends = Deliveries(klarnaOrderId);

        //the same notification delivered once more (Klarna's deliveries may repeat)
        var againStatus = await DecideAsync(klarnaOrderId, decision);
        var again = Snapshot(order);

        var hits = failure switch
        {
            Failure.OrderLockHeld => _shop.Harness.Locker.Refusals > refusalsBefore && firstStatus == 503 ? 1 : 0,
            _ => ReliabilityEnvironment.RequestsOf(klarnaOrderId).Count(r => r.Fault == faultKind)
        };
        ReliabilityLedger.FaultHit(hits);
        _shop.CaptureAll(scenario);

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        var notes = _shop.Notes(order);
        var eventNotes = notes.Count(n => decision == KlarnaFraudStatus.Accepted
            ? n.Contains($"fraud status changed from {KlarnaFraudStatus.Pending} to {KlarnaFraudStatus.Accepted}")
            : n.Contains("Klarna rejected this order after its fraud review"));
        var cancels = ReliabilityEnvironment.RequestsOf(klarnaOrderId)
            .Count(r => r.Method == "POST" && r.Path.EndsWith("/cancel") && !r.Replayed && r.Status is >= 200 and < 300);
        var cancelConfirmations = notes.Count(n => n.Contains("order cancelled;") || (n.Contains("the Cancel of") && (n.Contains("Klarna confirmed it") || n.Contains("recorded as done"))));
        var details = $"{scenario}: first delivery {firstStatus}, deliveries [{string.Join("; ", resends.Select(d => $"attempt {d.Attempt} {d.Status?.ToString() ?? "no answer"}"))}], " +
            $"again {againStatus}, handled {handled}, after the repeat {again}, order saves [{string.Join(", ", Saves(order))}], sandbox {klarna.Status} {klarna.FraudStatus}, cancels executed {cancels}, notes [{string.Join(" | ", notes)}]";

        if (eventNotes > 1 || cancels > 1 || cancelConfirmations > 1 || again.PaymentChanges > handled.PaymentChanges)
            ReliabilityLedger.Double($"the notification was applied more than once: {details}");
        if (eventNotes == 0 || _shop.Record(order).FraudStatus != decision || (decision == KlarnaFraudStatus.Rejected && klarna.Status != KlarnaOrderStatus.Cancelled))
            ReliabilityLedger.Lost($"the notification was never applied: {details}");

        Assert.Multiple(() =>
        {
            Assert.That(hits, Is.GreaterThan(0), $"the failure was hit. {details}");
            Assert.That(firstStatus, Is.EqualTo(503), $"the first delivery is answered 503 (Klarna sends it again). {details}");
            Assert.That(resends.Select(d => (d.Attempt, d.Status)), Is.EqualTo(new (int, int?)[] { (1, 503), (2, 200) }),
                $"one resend, answered 200, and Klarna stopped resending. {details}");
            Assert.That(againStatus, Is.EqualTo(200), $"a repeated delivery of a handled notification is answered 200. {details}");
            Assert.That(Deliveries(klarnaOrderId), Has.Count.EqualTo(3), $"and not sent again. {details}");
            Assert.That(again, Is.EqualTo(handled), $"the repeated delivery changed nothing. {details}");
            Assert.That(eventNotes, Is.EqualTo(1), $"one order note for the event. {details}");
            //the payment status follows Klarna's order: an accepted review authorizes it once; a rejected one voids it once the cancel
            //is through (while the cancel's answer is lost, Klarna's order is still AUTHORIZED and rejected, which the policy maps to
            //Authorized), each status reached once, never back
            var statuses = PaymentStatuses(order, PaymentStatus.Pending);
            Assert.That(statuses, Is.Unique, $"no payment status reached twice. {details}");
            if (decision == KlarnaFraudStatus.Accepted)
                Assert.That(statuses, Is.EqualTo(new[] { PaymentStatus.Pending, PaymentStatus.Authorized }), $"one payment status change of the order. {details}");
            else
                Assert.That(statuses[^1], Is.EqualTo(PaymentStatus.Voided), details);
            Assert.That(handled.StatusEvents, Is.LessThanOrEqualTo(1), $"at most one mapped order status change. {details}");
            Assert.That(_shop.Record(order).FraudStatus, Is.EqualTo(decision), $"the record follows Klarna. {details}");
            if (decision == KlarnaFraudStatus.Accepted)
            {
                Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized), $"payment authorized once the review passed. {details}");
                Assert.That(_shop.Operations(order), Is.Empty, $"no write for an accepted order. {details}");
                Assert.That(ReliabilityEnvironment.RequestsOf(klarnaOrderId).Where(r => r.Method != "GET"), Is.Empty, $"no write to Klarna. {details}");
            }
            else
            {
                Assert.That(klarna.Status, Is.EqualTo(KlarnaOrderStatus.Cancelled), $"Klarna's order cancelled. {details}");
                Assert.That(cancels, Is.EqualTo(1), $"Klarna executed one cancel. {details}");
                Assert.That(cancelConfirmations, Is.EqualTo(1), $"one note confirms the cancel. {details}");
                Assert.That(_shop.Operations(order).Select(op => (op.Kind, op.Status, op.Initiator)),
                    Is.EqualTo(new[] { (KlarnaOperationKind.Cancel, KlarnaOperationStatus.Succeeded, KlarnaInitiator.Notification) }), $"one cancel operation, settled. {details}");
                Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided), $"payment voided. {details}");
                Assert.That(_shop.Record(order).KlarnaStatus, Is.EqualTo(KlarnaOrderStatus.Cancelled), $"record cancelled. {details}");
            }
        });
    }
}
