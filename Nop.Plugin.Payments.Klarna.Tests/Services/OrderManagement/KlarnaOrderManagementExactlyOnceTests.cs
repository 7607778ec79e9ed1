using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaOrderManagementExactlyOnceTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    private KlarnaCaptureCommand Everything(int orderId) => new() { OrderId = orderId, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin" };

    [Test]
    public async Task CaptureAsync_20_concurrent_requests_end_in_exactly_one_capture_of_the_remaining_amount()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000), Line("sku-2", 1, 1234));
        _harness.Klarna.WriteDelay = TimeSpan.FromMilliseconds(50);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _harness.Service.CaptureAsync(Everything(order.Id)))));

        var klarnaOrder = _harness.KlarnaOrderOf(order);
        var outcome = string.Join(" | ", results.Select(r => r.Success ? "OK" : $"{r.ErrorCode}: {r.Error}").Distinct());
        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.Success), Is.EqualTo(1), outcome);
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
            Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(11234));
            Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
            Assert.That(results.Where(r => !r.Success).Select(r => r.ErrorCode),
                Is.All.EqualTo(KlarnaOrderManagementService.ErrorNothingToDo).Or.EqualTo(KlarnaOrderManagementService.ErrorInProgress), outcome);
            Assert.That(_harness.Locker.Refusals, Is.GreaterThan(0), "the requests met the held lock");
            Assert.That(_harness.OperationsOf(order).Count(op => op.Kind == KlarnaOperationKind.Capture), Is.EqualTo(1));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task CaptureAsync_20_concurrent_requests_capture_once_even_when_the_lock_does_not_hold()
    {
        var harness = new OrderManagementHarness(lockerOverride: new LeakyLocker());
        var order = harness.CreateOrder(Line("sku-1", 2, 5000));
        harness.Klarna.WriteDelay = TimeSpan.FromMilliseconds(30);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => harness.Service.CaptureAsync(Everything(order.Id)))));

        var klarnaOrder = harness.KlarnaOrderOf(order);
        Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1), string.Join(" | ", results.Select(r => r.ErrorCode).Distinct()));
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(10000));
        Assert.That(results.Where(r => r.Success).Select(r => r.Operation.KlarnaId).Distinct(), Is.EqualTo(new[] { klarnaOrder.Captures[0].CaptureId }),
            "every request that reports success reports the one capture");
    }

    /// <summary>
    /// A lock that never holds (two web farm instances passing DistributedCacheLocker's check at the same time)
    /// </summary>
    private class LeakyLocker : Nop.Core.Caching.ILocker
    {
        public async Task<bool> PerformActionWithLockAsync(string resource, TimeSpan expirationTime, Func<Task> action)
        {
            await action();
            return true;
        }

        public Task RunWithHeartbeatAsync(string key, TimeSpan expirationTime, TimeSpan heartbeatInterval, Func<CancellationToken, Task> action, CancellationTokenSource cancellationTokenSource = default) => action(CancellationToken.None);
        public Task CancelTaskAsync(string key, TimeSpan expirationTime) => Task.CompletedTask;
        public Task<bool> IsTaskRunningAsync(string key) => Task.FromResult(false);
    }

    [Test]
    public async Task CaptureAsync_refuses_clearly_when_the_lock_stays_held_by_another_instance()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Service.LockAttempts = 3;
        _harness.Locker.Hold(KlarnaDefaults.OrderLockKey(order.Id));

        var result = await _harness.Service.CaptureAsync(Everything(order.Id));

        Assert.That(result.Success, Is.False);
        Assert.That(result.ErrorCode, Is.EqualTo(KlarnaOrderManagementService.ErrorInProgress));
        Assert.That(result.Error, Does.Contain("Another Klarna operation on this order is in progress"));
        Assert.That(_harness.Locker.Refusals, Is.EqualTo(3));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
    }

    [Test]
    public async Task CaptureAsync_response_lost_after_klarna_committed_is_settled_without_a_second_capture()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "commit_then_drop";

        var first = await _harness.Service.CaptureAsync(Everything(order.Id));
        var second = await _harness.Service.CaptureAsync(Everything(order.Id));

        var klarnaOrder = _harness.KlarnaOrderOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(first.Success, Is.True, first.Error);
            Assert.That(first.Operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
            Assert.That(first.Operation.KlarnaId, Is.EqualTo(klarnaOrder.Captures.Single().CaptureId));
            Assert.That(second.NothingToDo, Is.True);
            Assert.That(_harness.Klarna.Executed, Is.EqualTo(1));
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task CaptureAsync_pending_capture_whose_answer_and_reread_were_lost_is_settled_on_the_next_read()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "commit_then_drop";
        _harness.Klarna.OnWrite = (_, _) => _harness.Klarna.FailReads = true;

        var first = await _harness.Service.CaptureAsync(Everything(order.Id));
        Assert.That(first.Success, Is.False);
        Assert.That(_harness.OperationsOf(order).Single().Status, Is.EqualTo(KlarnaOperationStatus.Pending));

        _harness.Klarna.OnWrite = null;
        _harness.Klarna.FailReads = false;
        var overview = await _harness.Service.GetOrderOverviewAsync(order.Id);

        var operation = _harness.OperationsOf(order).Single();
        Assert.Multiple(() =>
        {
            Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
            Assert.That(operation.KlarnaId, Is.EqualTo(_harness.KlarnaOrderOf(order).Captures.Single().CaptureId));
            Assert.That(overview.CapturedAmountMinor, Is.EqualTo(10000));
            Assert.That(overview.CanCapture, Is.False);
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
            Assert.That(_harness.Klarna.Executed, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CaptureAsync_retry_of_a_pending_capture_that_klarna_never_received_reuses_its_idempotency_key()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "drop";

        var first = await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 4000, Initiator = KlarnaInitiator.Admin });
        var second = await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 4000, Initiator = KlarnaInitiator.Admin });

        var keys = _harness.Klarna.Writes.Select(w => w.Key).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(first.Success, Is.False);
            Assert.That(second.Success, Is.True, second.Error);
            Assert.That(keys, Has.Count.EqualTo(2));
            Assert.That(keys.Distinct().Count(), Is.EqualTo(1), "the retry sends the recorded key");
            Assert.That(_harness.OperationsOf(order), Has.Count.EqualTo(1));
            Assert.That(_harness.KlarnaOrderOf(order).CapturedAmount, Is.EqualTo(4000));
        });
    }

    [Test]
    public async Task CaptureAsync_refuses_a_different_capture_while_an_earlier_one_is_still_unsettled()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "drop";
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 4000, Initiator = KlarnaInitiator.Admin });

        var other = await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 1000, Initiator = KlarnaInitiator.Admin });

        Assert.That(other.Success, Is.False);
        Assert.That(other.ErrorCode, Is.EqualTo(KlarnaOrderManagementService.ErrorOutcomeUnknown));
        Assert.That(_harness.Klarna.Executed, Is.EqualTo(0));
    }

    [Test]
    public async Task Pending_operation_that_klarna_has_no_trace_of_fails_after_the_lock_expiration()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "drop";
        await _harness.Service.CaptureAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 4000, Initiator = KlarnaInitiator.Admin });
        _harness.Service.PendingExpiry = TimeSpan.Zero;

        await _harness.Service.RefreshAsync(order.Id, KlarnaInitiator.StatusSync);

        Assert.That(_harness.OperationsOf(order).Single().Status, Is.EqualTo(KlarnaOperationStatus.Failed));
    }

    [Test]
    public async Task Unique_index_on_the_idempotency_key_is_the_last_guard()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var operation = new KlarnaOperation { OrderId = order.Id, KlarnaOrderId = "k", IdempotencyKey = "same", CurrencyCode = "EUR" };
        await _harness.RecordService.InsertOperationAsync(operation);

        Assert.ThrowsAsync<InvalidOperationException>(() => _harness.RecordService.InsertOperationAsync(
            new KlarnaOperation { OrderId = order.Id, KlarnaOrderId = "k", IdempotencyKey = "same", CurrencyCode = "EUR" }));
        Assert.ThrowsAsync<InvalidOperationException>(() => _harness.OperationTable.InsertAsync(
            new KlarnaOperation { OrderId = order.Id, KlarnaOrderId = "k", IdempotencyKey = "same", CurrencyCode = "EUR" }));
    }
}
