using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// Retry before commit: the first attempt of a capture or refund is still being processed at Klarna (a "slow" write that
/// outlasts the client's timeout) when its retry with the same idempotency key arrives - the client's own retry, or the
/// admin's retry of the same click. Klarna answers the retry 409 CONFLICT and executes the write once; the plugin keeps
/// it pending, says so, and the next read of the order block settles it to succeeded: no double, nothing lost
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class RetryBeforeCommitTests
{
    public enum Retry { ByTheClient, ByTheAdmin }

    /// <summary>
    /// Gets how long the first attempt is processed at Klarna: well past the client's timeout, so the retry meets it in flight
    /// </summary>
    private static int SlowMs => (int)ReliabilityEnvironment.ClientTimeout.TotalMilliseconds * 3;

    private static KlarnaCommand Command(KlarnaOperationKind kind, Order order, string key) => kind == KlarnaOperationKind.Capture
        ? new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin@shop.example", IdempotencyKey = key }
        : new KlarnaRefundCommand
        {
            OrderId = order.Id, AmountMinor = ExactlyOnceVerdict.RefundAmount, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin@shop.example", IdempotencyKey = key
        };

    [TestCase(KlarnaOperationKind.Capture, Retry.ByTheClient)]
    [TestCase(KlarnaOperationKind.Capture, Retry.ByTheAdmin)]
    [TestCase(KlarnaOperationKind.Refund, Retry.ByTheClient)]
    [TestCase(KlarnaOperationKind.Refund, Retry.ByTheAdmin)]
    public async Task A_retry_that_arrives_while_klarna_still_processes_the_first_attempt_ends_in_one_write(KlarnaOperationKind kind, Retry retry)
    {
        var shop = new ReliabilityShop(retry == Retry.ByTheClient ? ReliabilityEnvironment.ClientWithRetries : ReliabilityEnvironment.ClientWithoutRetries);
        var (order, klarnaOrderId) = await shop.CreateOrderAsync();
        if (kind == KlarnaOperationKind.Refund)
        {
            var capture = await shop.Executor.ExecuteAsync(Command(KlarnaOperationKind.Capture, order, Guid.NewGuid().ToString()));
            Assert.That(capture.Success, Is.True, $"setup capture: {capture.ErrorCode} {shop.Harness.TextOf(capture)}");
        }

        var scenario = $"{kind} retried {retry} while the first attempt is in flight, order {order.Id} / {klarnaOrderId}";
        var path = kind == KlarnaOperationKind.Capture ? "/ordermanagement/v1/orders/*/captures" : "/ordermanagement/v1/orders/*/refunds";
        await ReliabilityEnvironment.AddFaultAsync(new { method = "POST", path_pattern = path, kind = "slow", delay_ms = SlowMs, times = 1 });
        ReliabilityLedger.FaultInjected();
        ReliabilityLedger.Scenario();

        //one click; the client's retry (same key) meets the first attempt in flight, or the admin retries the click (same key) at once
        var key = Guid.NewGuid().ToString();
        var results = new List<KlarnaOperationResult> { await shop.Executor.ExecuteAsync(Command(kind, order, key)) };
        if (retry == Retry.ByTheAdmin)
            results.Add(await shop.Executor.ExecuteAsync(Command(kind, order, key)));
        var attempts = ReliabilityEnvironment.RequestsOf(klarnaOrderId).Where(r => r.IdempotencyKey == key).ToList();

        //Klarna finishes the first attempt; the admin opens the order again (the block's read settles what is pending)
        await ExactlyOnceVerdict.WaitUntilAsync(() => ReliabilityEnvironment.Sandbox.State.InFlight == 0, "the slow write done");
        await ReliabilityEnvironment.ClearFaultsAsync();
        var view = await shop.Reader.ReadAsync(order);
        var settledByRead = shop.Operations(order).Single(op => op.IdempotencyKey == key).Status;
        await shop.SyncProcessor.SyncOrderAsync(order.Id);

        attempts = ReliabilityEnvironment.RequestsOf(klarnaOrderId).Where(r => r.IdempotencyKey == key).ToList();
        var slow = attempts.FirstOrDefault(r => r.Fault == "slow");
        var conflicts = attempts.Where(r => r.Status == 409 && slow is not null && r.ReceivedAt < slow.CompletedAt).ToList();
        ReliabilityLedger.FaultHit((slow is null ? 0 : 1) + conflicts.Count);
        foreach (var result in results)
            shop.CaptureResult(scenario, result);
        shop.CaptureAll(scenario);

        var details = $"{scenario}: attempts of the key [{string.Join("; ", attempts.Select(r => $"{r.Fault ?? "-"} {r.Status} {r.Outcome} replayed {r.Replayed} gave up {r.ClientGaveUp}"))}], " +
            $"settled by the read: {settledByRead}";
        ExactlyOnceVerdict.Check(shop, order, klarnaOrderId, kind, results, details);
        Assert.Multiple(() =>
        {
            Assert.That(slow, Is.Not.Null, $"the slow fault was hit by this order's {kind}. {details}");
            Assert.That(slow?.ClientGaveUp, Is.True, $"the client gave up on the first attempt while Klarna processed it. {details}");
            Assert.That(conflicts, Is.Not.Empty, $"a retry with the same key arrived while the first attempt was in flight and got 409. {details}");
            Assert.That(attempts.Count(r => r.Status is >= 200 and < 300 && !r.Replayed), Is.EqualTo(1), $"one attempt executed, the others replayed or refused. {details}");
            Assert.That(results[0].Success, Is.False, $"the first click's answer was lost. {details}");
            Assert.That(results.Select(r => r.OutcomeUnknown), Has.All.True, $"the admin was told the outcome is not known yet, not that it failed. {details}");
            Assert.That(settledByRead, Is.EqualTo(KlarnaOperationStatus.Succeeded), $"the next read of the order block settled it. {details}");
            Assert.That(view.Decision.Pending, Is.Empty, $"the block shows nothing pending. {details}");
        });
    }
}
