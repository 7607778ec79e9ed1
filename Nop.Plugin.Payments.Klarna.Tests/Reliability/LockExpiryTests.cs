using Newtonsoft.Json.Linq;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// Answer lost, then the lock expired: an admin clicks capture (or refund) in the order block; the write's answer is lost
/// (a delay past the client's timeout, a write Klarna processes past it, a write committed and its answer dropped) and,
/// meanwhile, the order lock expires under it (an ILocker that expires keys at their expiration, like nopCommerce's
/// DistributedCacheLocker, here with a lock that lives shorter than asked: a cache eviction, a clock jump). A second admin
/// clicks the same action on the same order (a new idempotency key). Klarna executes it once; the second click does not
/// make a second write (it settles the first or is refused with a localized message); everything settles
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class LockExpiryTests
{
    public enum Loss { DelayPastTimeout, SlowPastTimeout, CommitThenDropAfterProcessing }

    /// <summary>
    /// Gets how long an order lock lives at most here: far less than the engine asks for (and than the client's timeout)
    /// </summary>
    private static readonly TimeSpan LockLifetime = TimeSpan.FromMilliseconds(150);

    private static object FaultSpec(Loss loss, string path)
    {
        var timeout = (int)ReliabilityEnvironment.ClientTimeout.TotalMilliseconds;
        return loss switch
        {
            Loss.DelayPastTimeout => new { method = "POST", path_pattern = path, kind = "delay", delay_ms = timeout * 3, times = 1 },
            Loss.SlowPastTimeout => new { method = "POST", path_pattern = path, kind = "slow", delay_ms = timeout * 3, times = 1 },
            //processed for most of the client's timeout (the lock expires meanwhile), then done and its answer dropped
            Loss.CommitThenDropAfterProcessing => (object)new { method = "POST", path_pattern = path, kind = "commit_then_drop", delay_ms = timeout * 4 / 5, times = 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(loss))
        };
    }

    private static KlarnaActionRequestModel Click(Order order, KlarnaOperationKind kind) => new()
    {
        OrderId = order.Id,
        Mode = kind == KlarnaOperationKind.Capture ? "full" : "amount",
        Amount = kind == KlarnaOperationKind.Capture ? null : "10.00",
        IdempotencyKey = Guid.NewGuid().ToString()
    };

    private static Task<Microsoft.AspNetCore.Mvc.IActionResult> ClickAsync(ReliabilityAdmin admin, KlarnaActionRequestModel model, KlarnaOperationKind kind) =>
        kind == KlarnaOperationKind.Capture ? admin.OrderController.Capture(model) : admin.OrderController.Refund(model);

    [TestCase(KlarnaOperationKind.Capture, Loss.DelayPastTimeout)]
    [TestCase(KlarnaOperationKind.Capture, Loss.SlowPastTimeout)]
    [TestCase(KlarnaOperationKind.Capture, Loss.CommitThenDropAfterProcessing)]
    [TestCase(KlarnaOperationKind.Refund, Loss.DelayPastTimeout)]
    [TestCase(KlarnaOperationKind.Refund, Loss.SlowPastTimeout)]
    [TestCase(KlarnaOperationKind.Refund, Loss.CommitThenDropAfterProcessing)]
    public async Task A_second_admin_clicking_the_same_action_after_the_first_ones_lock_expired_with_its_answer_lost_makes_no_second_write(
        KlarnaOperationKind kind, Loss loss)
    {
        var locker = new ExpiringLocker { MaxLifetime = LockLifetime };
        var shop = new ReliabilityShop(ReliabilityEnvironment.ClientWithoutRetries, locker);
        var first = new ReliabilityAdmin(shop);
        var second = new ReliabilityAdmin(shop);
        var (order, klarnaOrderId) = await shop.CreateOrderAsync();
        if (kind == KlarnaOperationKind.Refund)
        {
            var capture = await shop.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, InitiatedBy = "admin@shop.example", IdempotencyKey = Guid.NewGuid().ToString() });
            Assert.That(capture.Success, Is.True, $"setup capture: {capture.ErrorCode} {shop.Harness.TextOf(capture)}");
        }

        var scenario = $"{kind} with its answer lost ({loss}) and its lock expired, then a second admin's click, order {order.Id} / {klarnaOrderId}";
        var path = kind == KlarnaOperationKind.Capture ? "/ordermanagement/v1/orders/*/captures" : "/ordermanagement/v1/orders/*/refunds";
        var faultKind = loss switch { Loss.DelayPastTimeout => "delay", Loss.SlowPastTimeout => "slow", _ => "commit_then_drop" };
        await ReliabilityEnvironment.AddFaultAsync(FaultSpec(loss, path));
        ReliabilityLedger.FaultInjected();
        ReliabilityLedger.Scenario();
        var expiredBefore = locker.ExpiredWhileHeld;

        //the first admin's click reaches Klarna; its lock expires while its write is still under way; the second admin clicks
        var firstClick = Click(order, kind);
        var firstAnswer = Task.Run(() => ClickAsync(first, firstClick, kind));
        await ExactlyOnceVerdict.WaitUntilAsync(() => ReliabilityEnvironment.RequestsOf(klarnaOrderId).Any(r => r.Fault == faultKind), "the first write at Klarna");
        var lockKey = KlarnaOrderLock.KeyOf(order.Id);
        await ExactlyOnceVerdict.WaitUntilAsync(() => !locker.IsTaskRunningAsync(lockKey).Result || firstAnswer.IsCompleted, "the first click's lock expired");
        var secondClick = Click(order, kind);
        var secondAnswer = ReliabilityAdmin.Read(await ClickAsync(second, secondClick, kind));
        var firstResult = ReliabilityAdmin.Read(await firstAnswer);

        //then Klarna finishes, the order block is read again and the next sync run comes
        await ExactlyOnceVerdict.WaitUntilAsync(() => ReliabilityEnvironment.Sandbox.State.InFlight == 0, "Klarna done");
        await ReliabilityEnvironment.ClearFaultsAsync();
        await shop.Reader.ReadAsync(order);
        await shop.SyncProcessor.SyncOrderAsync(order.Id);

        var requests = ReliabilityEnvironment.RequestsOf(klarnaOrderId);
        var faulted = requests.Where(r => r.Fault == faultKind).ToList();
        ReliabilityLedger.FaultHit(faulted.Count);
        ReliabilityLedger.ConcurrentOperations(2);
        var writes = requests.Where(r => r.Method == "POST" && r.Path.EndsWith(kind == KlarnaOperationKind.Capture ? "/captures" : "/refunds")).ToList();
        var operations = shop.Operations(order);
        var firstOperation = operations.SingleOrDefault(op => op.IdempotencyKey == firstClick.IdempotencyKey);
        var secondError = ReliabilityAdmin.ErrorOf(secondAnswer.Body);
        var secondCode = JObject.Parse(secondAnswer.Body).Value<string>("errorCode");
        ReliabilityLedger.Capture($"{scenario}: first answer", firstResult.Body);
        ReliabilityLedger.Capture($"{scenario}: second answer", secondAnswer.Body);
        shop.CaptureAll(scenario);

        var results = new List<KlarnaOperationResult>();
        if (firstOperation is not null && JObject.Parse(firstResult.Body).Value<bool>("success") == false)
            results.Add(KlarnaOperationResult.Failed(firstOperation, new KlarnaFailure { ErrorCode = JObject.Parse(firstResult.Body).Value<string>("klarnaErrorCode"), OutcomeUnknown = true }));
        var details = $"{scenario}: first click {firstResult.Status} {firstResult.Body}, second click {secondAnswer.Status} {secondCode} {secondError}, " +
            $"locks expired while held {locker.ExpiredWhileHeld - expiredBefore}, writes [{string.Join("; ", writes.Select(r => $"{(r.IdempotencyKey == firstClick.IdempotencyKey ? "first" : r.IdempotencyKey == secondClick.IdempotencyKey ? "second" : "other")} key {r.Fault ?? "-"} {r.Status} {r.Outcome} replayed {r.Replayed}"))}]";
        ExactlyOnceVerdict.Check(shop, order, klarnaOrderId, kind, results, details);
        Assert.Multiple(() =>
        {
            Assert.That(faulted, Is.Not.Empty, $"the fault was hit by this order's {kind}. {details}");
            if (loss != Loss.CommitThenDropAfterProcessing)
                Assert.That(faulted.Select(r => r.ClientGaveUp), Has.Some.True, $"the client gave up on the write before Klarna answered it. {details}");
            Assert.That(locker.ExpiredWhileHeld - expiredBefore, Is.GreaterThanOrEqualTo(1), $"the first click's lock expired while it was held. {details}");
            Assert.That(secondCode, Is.Not.EqualTo(nameof(KlarnaRefusalCode.OrderBusy)), $"the second click found the cache's key expired and waited for the first click's claim, not refused busy. {details}");
            Assert.That(writes.Select(r => r.IdempotencyKey).Distinct(), Is.EqualTo(new[] { firstClick.IdempotencyKey }),
                $"every write to Klarna carried the first click's key: the second click never sent one of its own. {details}");
            Assert.That(operations.Where(op => op.IdempotencyKey == secondClick.IdempotencyKey), Is.Empty, $"the second click recorded no operation. {details}");
            Assert.That(secondAnswer.Status, Is.EqualTo(409), $"the second click is refused. {details}");
            Assert.That(secondCode, Is.AnyOf(nameof(KlarnaRefusalCode.OperationPending), nameof(KlarnaRefusalCode.EarlierOperationCompleted),
                    kind == KlarnaOperationKind.Capture ? nameof(KlarnaRefusalCode.NothingToCapture) : nameof(KlarnaRefusalCode.OperationPending)),
                $"it sees the first click's write (pending, just completed, or everything captured by it). {details}");
            Assert.That(secondError, Is.Not.Empty.And.Not.Contains("Plugins.Payments.Klarna").And.Not.Contains("{0}"), $"a localized message. {details}");
            Assert.That(firstOperation?.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded), $"the first click's operation settled to succeeded. {details}");
        });
    }
}
