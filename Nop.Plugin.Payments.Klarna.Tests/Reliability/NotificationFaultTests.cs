using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// The one Klarna write the checkout side makes after the purchase: a fraud-rejection notification cancels the Klarna
/// order. Under every fault, then Klarna's resend of the notification and the next sync run, the Klarna order ends
/// cancelled exactly once and the records and nopCommerce's order agree with it
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class NotificationFaultTests
{
    public static IEnumerable<TestCaseData> Faults()
    {
        var path = "/ordermanagement/v1/orders/*/cancel";
        yield return new TestCaseData("delay", new { method = "POST", path_pattern = path, kind = "delay", delay_ms = (int)ReliabilityEnvironment.ClientTimeout.TotalMilliseconds * 2 + 200, times = 1 });
        yield return new TestCaseData("500", new { method = "POST", path_pattern = path, kind = "status", status = 500, times = 1 });
        yield return new TestCaseData("503", new { method = "POST", path_pattern = path, kind = "status", status = 503, times = 1 });
        yield return new TestCaseData("drop", new { method = "POST", path_pattern = path, kind = "drop", times = 1 });
        yield return new TestCaseData("commit_then_drop", new { method = "POST", path_pattern = path, kind = "commit_then_drop", times = 1 });
        yield return new TestCaseData("429", new { method = "POST", path_pattern = path, kind = "rate_limit", retry_after_seconds = 1, times = 1 });
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Fraud_rejection_cancel_under_fault_ends_cancelled_once_and_everything_agrees(string fault, object spec)
    {
        var shop = new ReliabilityShop(ReliabilityEnvironment.ClientWithoutRetries);
        var admin = new ReliabilityAdmin(shop);
        var (order, klarnaOrderId) = await shop.CreateOrderAsync();
        shop.Record(order).FraudStatus = KlarnaFraudStatus.Pending;
        order.PaymentStatusId = (int)PaymentStatus.Pending;
        await ReliabilityEnvironment.Control.PostAsync($"_sandbox/orders/{klarnaOrderId}/fraud-decision",
            new StringContent("{\"fraud_status\":\"REJECTED\"}", System.Text.Encoding.UTF8, "application/json"));
        await ReliabilityEnvironment.AddFaultAsync(spec);
        ReliabilityLedger.FaultInjected();
        ReliabilityLedger.Scenario();
        var faultsBefore = ReliabilityEnvironment.Sandbox.State.Requests.Count(r => r.Fault is not null);
        var body = $"{{\"order_id\":\"{klarnaOrderId}\",\"event_type\":\"FRAUD_RISK_REJECTED\"}}";

        //Klarna's notification, Klarna's resend of it, then the next sync run
        var first = ReliabilityAdmin.Read(await admin.NotificationController(body).Notification(ReliabilityShop.NotificationSecret));
        if (fault == "delay")
            await Task.Delay(ReliabilityEnvironment.ClientTimeout * 2 + TimeSpan.FromMilliseconds(400));
        var resend = ReliabilityAdmin.Read(await admin.NotificationController(body).Notification(ReliabilityShop.NotificationSecret));
        var sync = await shop.SyncProcessor.SyncOrderAsync(order.Id);
        await ReliabilityEnvironment.ClearFaultsAsync();
        var faulted = ReliabilityEnvironment.Sandbox.State.Requests.Where(r => r.Fault is not null).Skip(faultsBefore).ToList();
        ReliabilityLedger.FaultHit(faulted.Count);
        shop.CaptureAll($"fraud rejection cancel under {fault}");

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        var record = shop.Record(order);
        var cancels = ReliabilityEnvironment.RequestsOf(klarnaOrderId)
            .Count(r => r.Method == "POST" && r.Path.EndsWith("/cancel") && !r.Replayed && r.Outcome is "answered" or "committed_then_dropped" && r.Status is >= 200 and < 300 or 0);
        var details = $"{fault}: notification {first.Status} {first.Body}, resend {resend.Status} {resend.Body}, sync {sync?.Outcome} {sync?.Failure?.Message}, " +
            $"sandbox {klarna.Status} {klarna.FraudStatus}, record {record.KlarnaStatus} {record.FraudStatus} {record.RemainingAuthorizedAmountMinor}, payment {(PaymentStatus)order.PaymentStatusId}, " +
            $"notes [{string.Join(" | ", shop.Notes(order))}]";

        if (klarna.Status != KlarnaOrderStatus.Cancelled)
            ReliabilityLedger.Lost($"fraud-rejected order not cancelled in Klarna: {details}");
        Assert.Multiple(() =>
        {
            Assert.That(faulted.Select(r => r.Path), Has.Some.Contains(klarnaOrderId), $"the fault was hit by this order's cancel. {details}");
            if (fault == "delay")
                Assert.That(faulted.Select(r => r.ClientGaveUp), Has.Some.True, $"the delayed cancel really timed out. {details}");
            Assert.That(klarna.Status, Is.EqualTo(KlarnaOrderStatus.Cancelled), $"Klarna's order is cancelled. {details}");
            Assert.That(klarna.Captures, Is.Empty, details);
            Assert.That(record.KlarnaStatus, Is.EqualTo(klarna.Status), $"record status. {details}");
            Assert.That(record.RemainingAuthorizedAmountMinor, Is.EqualTo(klarna.RemainingAuthorizedAmount), $"record remaining. {details}");
            Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided), $"payment voided. {details}");
            Assert.That(shop.Notes(order).Count(n => n.Contains("order cancelled;") || (n.Contains("the Cancel of") && (n.Contains("Klarna confirmed it") || n.Contains("recorded as done")))),
                Is.EqualTo(1), $"cancelled once, with one note. {details}");
            var cancelOperations = shop.Operations(order).Where(op => op.Kind == KlarnaOperationKind.Cancel).ToList();
            Assert.That(cancelOperations.Select(op => (op.Status, op.Initiator)), Is.EqualTo(new[] { (KlarnaOperationStatus.Succeeded, KlarnaInitiator.Notification) }),
                $"one cancel operation of the engine, settled. {details}");
            Assert.That(resend.Status, Is.EqualTo(200), $"the resend is acknowledged once the order is cancelled. {details}");
            if (first.Status != 200)
            {
                Assert.That(shop.Notes(order), Has.Some.Matches<string>(n => n.Contains("Cancel of") && n.Contains("failed")), $"order note for the failure. {details}");
                Assert.That(shop.LogLines().Where(l => l.Contains(klarnaOrderId)), Has.Some.StartsWith("WarningAsync").Or.Some.StartsWith("ErrorAsync"), $"log entry for the failure. {details}");
            }
        });
    }
}
