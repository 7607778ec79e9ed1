using Moq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;
using static Nop.Plugin.Payments.Klarna.Tests.Support.OrderManagementHarness;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The one command path: exactly one write per logical operation under concurrency, lost answers, locks that do not hold
/// and requests that go away; nopCommerce's events after the lock
/// </summary>
[TestFixture]
public class KlarnaOperationExecutorTests
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUp()
    {
        _harness = new OrderManagementHarness();
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static KlarnaCaptureCommand Everything(Order order) => new() { OrderId = order.Id, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin" };

    private static KlarnaCaptureCommand Amount(Order order, long amount) => new() { OrderId = order.Id, AmountMinor = amount, Initiator = KlarnaInitiator.Admin };

    /// <summary>
    /// Makes every capture's answer get lost without Klarna executing it
    /// </summary>
    private void LoseEveryCapture() =>
        _harness.Klarna.OnWrite = (method, _) => { if (method == "capture") _harness.Klarna.NextFault["capture"] = "drop"; };

    [Test]
    public async Task Twenty_concurrent_captures_end_in_exactly_one_capture_of_the_remaining_amount()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000), Line("sku-2", 1, 1234));
        _harness.Klarna.WriteDelay = TimeSpan.FromMilliseconds(20);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _harness.Executor.ExecuteAsync(Everything(order)))));

        var klarnaOrder = _harness.KlarnaOrderOf(order);
        var outcome = string.Join(" | ", results.Select(r => r.ToString()).Distinct());
        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.Success), Is.EqualTo(1), outcome);
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
            Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(11234));
            Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(1));
            Assert.That(results.Where(r => !r.Success).Select(r => r.Refusal?.Code), Is.All.EqualTo(KlarnaRefusalCode.NothingToCapture), outcome);
            Assert.That(_harness.Locker.Refusals, Is.GreaterThan(0), "the requests met the held lock and waited");
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task Twenty_concurrent_captures_capture_once_even_when_the_lock_does_not_hold_at_all()
    {
        var locker = new ExpiringLocker { MaxLifetime = TimeSpan.Zero };
        using var leaky = new OrderManagementHarness(lockerOverride: locker);
        var order = leaky.CreateOrder(Line("sku-1", 2, 5000));
        leaky.Klarna.WriteDelay = TimeSpan.FromMilliseconds(20);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => leaky.Executor.ExecuteAsync(Everything(order)))));

        var klarnaOrder = leaky.KlarnaOrderOf(order);
        Assert.That(locker.Acquisitions, Is.GreaterThan(1), "the lock let several requests in");
        Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1), string.Join(" | ", results.Select(r => r.ToString()).Distinct()));
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(10000));
        Assert.That(results.Where(r => r.Success).Select(r => r.Operation.KlarnaId).Distinct(), Is.EqualTo(new[] { klarnaOrder.Captures[0].CaptureId }),
            "every request that reports success reports the one capture");
    }

    [Test]
    public async Task A_lock_held_by_another_instance_is_waited_for_then_refused_clearly_without_writing()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.EngineOptions.LockWait = TimeSpan.FromMilliseconds(30);
        _harness.Locker.Hold(KlarnaDefaults.OrderLockKey(order.Id));

        var result = await _harness.Executor.ExecuteAsync(Everything(order));

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.OrderBusy));
        Assert.That(_harness.TextOf(result), Does.Contain("Another Klarna operation on this order is in progress"));
        Assert.That(_harness.Locker.Refusals, Is.GreaterThan(1));
        Assert.That(_harness.Klarna.Reads + _harness.Klarna.Writes.Count, Is.Zero);
    }

    [Test]
    public async Task A_capture_whose_answer_was_lost_after_klarna_committed_stays_pending_and_the_next_click_settles_it_without_a_second_capture()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "commit_then_drop";

        var first = await _harness.Executor.ExecuteAsync(Everything(order));
        var second = await _harness.Executor.ExecuteAsync(Everything(order));

        var klarnaOrder = _harness.KlarnaOrderOf(order);
        var operation = _harness.OperationsOf(order).Single();
        Assert.Multiple(() =>
        {
            Assert.That(first.OutcomeUnknown, Is.True, "a lost answer is not a failure");
            Assert.That(_harness.TextOf(first), Does.Contain("do not repeat it"));
            Assert.That(second.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.NothingToCapture), "the settled capture took everything");
            Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
            Assert.That(operation.KlarnaId, Is.EqualTo(klarnaOrder.Captures.Single().CaptureId));
            Assert.That(_harness.Klarna.Executed, Is.EqualTo(1));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
            Assert.That(_harness.NotesOf(order), Has.Some.Contains("was found in Klarna's order"));
        });
    }

    [Test]
    public async Task A_capture_klarna_never_received_is_sent_again_with_its_recorded_key_by_the_next_click()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        _harness.Klarna.NextFault["capture"] = "drop";

        var first = await _harness.Executor.ExecuteAsync(Amount(order, 4000));
        var second = await _harness.Executor.ExecuteAsync(Amount(order, 4000));

        var keys = _harness.Klarna.Writes.Select(w => w.Key).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(first.OutcomeUnknown, Is.True);
            Assert.That(second.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.EarlierOperationCompleted), "the replay did it: no second capture");
            Assert.That(keys, Has.Count.EqualTo(2));
            Assert.That(keys.Distinct().Count(), Is.EqualTo(1), "the retry sends the recorded key");
            Assert.That(_harness.OperationsOf(order), Has.Count.EqualTo(1));
            Assert.That(_harness.KlarnaOrderOf(order).CapturedAmount, Is.EqualTo(4000));
            Assert.That(_harness.NotesOf(order), Has.Some.Contains("was sent again with its idempotency key; Klarna confirmed it"));
        });
    }

    [Test]
    public async Task A_new_capture_waits_with_a_clear_refusal_while_an_earlier_one_is_still_pending()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        LoseEveryCapture();
        await _harness.Executor.ExecuteAsync(Amount(order, 4000));

        var other = await _harness.Executor.ExecuteAsync(Amount(order, 1000));

        Assert.That(other.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.OperationPending));
        Assert.That(_harness.TextOf(other), Does.Contain("40.00 EUR").And.Contain("has no outcome yet"));
        Assert.That(_harness.Klarna.Executed, Is.EqualTo(0));
        Assert.That(_harness.Klarna.Writes.Select(w => w.Key).Distinct().Count(), Is.EqualTo(1), "only the pending one's key was ever sent");
        Assert.That(_harness.OperationsOf(order).Single().Status, Is.EqualTo(KlarnaOperationStatus.Pending));
    }

    [Test]
    public async Task A_pending_capture_is_never_failed_by_age_after_the_replay_window_it_needs_attention_and_is_not_sent_again()
    {
        var order = _harness.CreateOrder(Line("sku-1", 2, 5000));
        LoseEveryCapture();
        await _harness.Executor.ExecuteAsync(Amount(order, 4000));
        var writes = _harness.Klarna.Writes.Count;
        _harness.Time.Advance(TimeSpan.FromHours(25));

        var reconciled = await _harness.Executor.ReconcileAsync(new KlarnaReconcileRequest { OrderId = order.Id, Initiator = KlarnaInitiator.StatusSync });

        var operation = _harness.OperationsOf(order).Single();
        Assert.Multiple(() =>
        {
            Assert.That(reconciled.Success, Is.True);
            Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.NeedsAttention));
            Assert.That(_harness.Klarna.Writes.Count, Is.EqualTo(writes), "never sent again, never with a new key");
            Assert.That(_harness.NotesOf(order), Has.Some.Contains("needs attention").And.Contain(operation.IdempotencyKey));
            Assert.That(reconciled.View.Decision.NeedsAttention.Single().Id, Is.EqualTo(operation.Id));
        });
    }

    [Test]
    public async Task A_click_whose_request_went_away_while_waiting_for_the_lock_reads_and_writes_nothing()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Locker.Hold(KlarnaDefaults.OrderLockKey(order.Id));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        Assert.That(() => _harness.Executor.ExecuteAsync(Everything(order), cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_harness.Klarna.Reads + _harness.Klarna.Writes.Count, Is.Zero);
        Assert.That(_harness.OperationsOf(order), Is.Empty);
    }

    [Test]
    public async Task A_write_once_sent_runs_to_its_recorded_outcome_although_the_request_goes_away_meanwhile()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        using var cancellation = new CancellationTokenSource();
        _harness.Klarna.OnWrite = (_, _) => cancellation.Cancel();

        var result = await _harness.Executor.ExecuteAsync(Everything(order), cancellation.Token);

        Assert.That(cancellation.IsCancellationRequested, Is.True);
        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That(_harness.OperationsOf(order).Single().Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
    }

    [Test]
    public async Task A_write_is_not_sent_when_the_lock_no_longer_has_a_whole_writes_worst_case_left()
    {
        // a read that took longer than its worst case (50 ms per attempt, no retries) eats the lock's time for the write
        _harness.ClientOptions.Timeout = TimeSpan.FromMilliseconds(50);
        _harness.ClientOptions.MaxRetries = 0;
        _harness.EngineOptions.LockMargin = TimeSpan.Zero;
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Settings.RequestTimeoutSeconds = 0;
        _harness.Klarna.ReadDelay = TimeSpan.FromMilliseconds(200);

        var result = await _harness.Executor.ExecuteAsync(Everything(order));

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.LockTimeTooShort));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(_harness.OperationsOf(order).All(op => op.Status == KlarnaOperationStatus.Failed), Is.True, "nothing is left pending");
    }

    [Test]
    public async Task A_write_whose_recording_ate_the_locks_time_is_failed_unsent_and_never_left_pending()
    {
        //the lock had a whole write's worst case left after the read, but recording the operation took longer than that
        _harness.ClientOptions.Timeout = TimeSpan.FromSeconds(1);
        _harness.ClientOptions.MaxRetries = 0;
        _harness.EngineOptions.LockMargin = TimeSpan.Zero;
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.Settings.RequestTimeoutSeconds = 0;
        _harness.OperationTable.AfterInsert = _ => Thread.Sleep(TimeSpan.FromSeconds(1.1));

        var click = Everything(order);
        click.IdempotencyKey = "click-1";
        var result = await _harness.Executor.ExecuteAsync(click);
        _harness.OperationTable.AfterInsert = null;
        var again = await _harness.Executor.ExecuteAsync(click);

        var operation = _harness.OperationsOf(order).Single();
        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.LockTimeTooShort));
        Assert.That(_harness.Klarna.Writes, Is.Empty);
        Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Failed), "never sent, so known not done");
        Assert.That(operation.ErrorCode, Is.EqualTo(nameof(KlarnaRefusalCode.LockTimeTooShort)));
        Assert.That(again.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.LockTimeTooShort), "the same click again gets the same refusal");
        Assert.That(again.KlarnaError, Is.Null, "it is not presented as an error of Klarna's");
    }

    [Test]
    public async Task One_click_takes_one_lock_one_read_one_write_and_loads_the_order_once()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        Interlocked.Exchange(ref _harness.Klarna.Reads, 0);
        Interlocked.Exchange(ref _harness.OrderLoads, 0);

        var result = await _harness.Executor.ExecuteAsync(Everything(order));

        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        Assert.That((_harness.Locker.Acquisitions, _harness.Klarna.Reads, _harness.Klarna.Writes.Count, _harness.OrderLoads), Is.EqualTo((1, 1, 1, 1)));
    }

    [Test]
    public async Task The_callers_order_instance_is_used_and_not_loaded_again()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        Interlocked.Exchange(ref _harness.OrderLoads, 0);

        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { Order = order, OrderId = order.Id });

        Assert.That(result.Success, Is.True);
        Assert.That(_harness.OrderLoads, Is.Zero);
        Assert.That(result.View.Order, Is.SameAs(order));
    }

    [Test]
    public async Task NopCommerces_events_are_published_once_the_order_lock_is_released()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var heldWhilePublishing = new List<bool>();
        _harness.EventPublisher.Setup(p => p.PublishAsync(It.IsAny<OrderStatusChangedEvent>()))
            .Callback(() => heldWhilePublishing.Add(_harness.Locker.HeldKeys.Contains(KlarnaDefaults.OrderLockKey(order.Id))))
            .Returns(Task.CompletedTask);
        _harness.EventPublisher.Setup(p => p.PublishAsync(It.IsAny<OrderPaidEvent>()))
            .Callback(() => heldWhilePublishing.Add(_harness.Locker.HeldKeys.Contains(KlarnaDefaults.OrderLockKey(order.Id))))
            .Returns(Task.CompletedTask);

        await _harness.Executor.ExecuteAsync(Everything(order));

        Assert.That(heldWhilePublishing, Is.EqualTo(new[] { false, false }), "OrderStatusChangedEvent and OrderPaidEvent, both after the lock");
    }

    [Test]
    public async Task An_event_consumer_that_fails_does_not_change_the_commands_result()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.EventPublisher.Setup(p => p.PublishAsync(It.IsAny<OrderPaidEvent>())).ThrowsAsync(new InvalidOperationException("consumer"));

        var result = await _harness.Executor.ExecuteAsync(Everything(order));

        Assert.That(result.Success, Is.True);
        _harness.Logger.Verify(l => l.ErrorAsync(It.Is<string>(m => m.Contains("event")), It.IsAny<Exception>(), null), Times.Once);
    }

    [Test]
    public async Task An_unexpected_error_is_logged_and_answered_with_a_refusal_without_leaking_the_exception()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        _harness.OrderService.Setup(s => s.GetOrderItemsAsync(It.IsAny<int>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<int>()))
            .ThrowsAsync(new InvalidOperationException("database down"));
        _harness.ShipmentService.Setup(s => s.GetShipmentsByOrderIdAsync(It.IsAny<int>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<int>()))
            .ThrowsAsync(new InvalidOperationException("database down"));

        var result = await _harness.Executor.ExecuteAsync(Everything(order));

        Assert.That(result.Refusal.Code, Is.EqualTo(KlarnaRefusalCode.Unexpected));
        Assert.That(_harness.TextOf(result), Does.Not.Contain("database down"));
        Assert.That(_harness.Locker.HeldKeys, Is.Empty);
    }

    [Test]
    public async Task A_refusal_of_an_automatic_capture_is_noted_and_logged_and_an_admins_is_only_answered()
    {
        var order = _harness.CreateOrder(Line("sku-1", 1, 5000));
        var klarnaOrder = _harness.KlarnaOrderOf(order);
        klarnaOrder.FraudStatus = KlarnaFraudStatus.Stopped;
        _harness.Klarna.AddOrder(klarnaOrder);

        await _harness.Executor.ExecuteAsync(Everything(order));
        var notesAfterAdmin = _harness.NotesOf(order).Count(n => n.Contains("not done"));
        await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.CaptureUponFulfillment });

        Assert.That(notesAfterAdmin, Is.Zero);
        Assert.That(_harness.NotesOf(order).Single(n => n.Contains("not done")), Does.Contain("Klarna stopped this order"));
    }
}
