using Microsoft.Extensions.Options;
using Moq;
using Nop.Core.Caching;
using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Services.Logging;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The order lock over nopCommerce's ILocker, which does not wait for a held key, and the order's claim in the database,
/// which decides when ILocker lets two flows in
/// </summary>
[TestFixture]
public class KlarnaOrderLockTests
{
    private InMemoryLocker _locker;
    private KlarnaEngineOptions _options;
    private InMemoryRepository<KlarnaOrderClaim> _claims;
    private Mock<ILogger> _logger;
    private KlarnaOrderLock _lock;

    [SetUp]
    public void SetUp()
    {
        _locker = new InMemoryLocker();
        _options = new KlarnaEngineOptions { LockWait = TimeSpan.FromSeconds(30), LockPollInterval = TimeSpan.FromMilliseconds(1) };
        _claims = new InMemoryRepository<KlarnaOrderClaim>(claim => claim.OrderId);
        _logger = new Mock<ILogger>();
        _lock = new KlarnaOrderLock(new KlarnaOrderClaims(_claims), _locker, _logger.Object, Options.Create(_options));
    }

    /// <summary>
    /// An ILocker that lets every flow in, as DistributedCacheLocker does when two flows read the free key before either sets it
    /// </summary>
    private sealed class EveryoneInLocker : ILocker
    {
        public Task<bool> PerformActionWithLockAsync(string resource, TimeSpan expirationTime, Func<Task> action) =>
            action().ContinueWith(_ => true, TaskScheduler.Default);

        public Task RunWithHeartbeatAsync(string key, TimeSpan expirationTime, TimeSpan heartbeatInterval, Func<CancellationToken, Task> action,
            CancellationTokenSource cancellationTokenSource = default) => action(CancellationToken.None);

        public Task CancelTaskAsync(string key, TimeSpan expirationTime) => Task.CompletedTask;

        public Task<bool> IsTaskRunningAsync(string key) => Task.FromResult(false);
    }

    [Test]
    public async Task The_work_runs_holding_the_orders_key_with_the_asked_expiration_and_the_key_is_released_after_it()
    {
        var heldDuringWork = false;

        var (acquired, result) = await _lock.RunAsync(7, TimeSpan.FromMinutes(9), false, lease =>
        {
            heldDuringWork = _locker.HeldKeys.Contains(KlarnaOrderLock.KeyOf(7));
            return Task.FromResult(lease.OrderId * 6);
        });

        Assert.That((acquired, result), Is.EqualTo((true, 42)));
        Assert.That(heldDuringWork, Is.True);
        Assert.That(_locker.HeldKeys, Is.Empty);
        Assert.That(_locker.Expirations.Single(), Is.EqualTo(TimeSpan.FromMinutes(9)));
    }

    [Test]
    public async Task The_work_runs_holding_the_orders_claim_which_expires_with_the_lock_and_is_given_back_after_it()
    {
        KlarnaOrderClaim during = null;
        var before = DateTime.UtcNow;

        await _lock.RunAsync(7, TimeSpan.FromMinutes(9), false, _ =>
        {
            during = _claims.Rows.Single();
            return Task.FromResult(0);
        });

        Assert.That(during.OrderId, Is.EqualTo(7));
        Assert.That(during.Token, Is.Not.Empty);
        Assert.That(during.ExpiresOnUtc, Is.InRange(before.AddMinutes(9), DateTime.UtcNow.AddMinutes(9)));
        Assert.That(_claims.Rows, Is.Empty);
    }

    [Test]
    public async Task When_ilocker_lets_two_flows_in_at_once_the_orders_claim_lets_one_work_and_refuses_the_other()
    {
        // Arrange: DistributedCacheLocker reads its key and sets it in two round trips; both flows found it free
        var lockOfEveryone = new KlarnaOrderLock(new KlarnaOrderClaims(_claims), new EveryoneInLocker(), _logger.Object, Options.Create(_options));
        var firstInside = new TaskCompletionSource();
        var firstMayEnd = new TaskCompletionSource();

        // Act
        var first = lockOfEveryone.RunAsync(7, TimeSpan.FromMinutes(1), false, async _ =>
        {
            firstInside.SetResult();
            await firstMayEnd.Task;
            return 1;
        });
        await firstInside.Task;
        var secondRan = false;
        var second = await lockOfEveryone.RunAsync(7, TimeSpan.FromMinutes(1), false, _ => { secondRan = true; return Task.FromResult(2); });
        firstMayEnd.SetResult();

        // Assert
        Assert.That(second.Acquired, Is.False);
        Assert.That(secondRan, Is.False);
        Assert.That(await first, Is.EqualTo((true, 1)));
        Assert.That(_claims.Rows, Is.Empty);
    }

    [Test]
    public async Task A_waiting_flow_that_ilocker_let_in_works_once_the_holder_gave_the_claim_back()
    {
        var lockOfEveryone = new KlarnaOrderLock(new KlarnaOrderClaims(_claims), new EveryoneInLocker(), _logger.Object, Options.Create(_options));
        await _claims.InsertAsync(new KlarnaOrderClaim { OrderId = 7, Token = "holder", ExpiresOnUtc = DateTime.UtcNow.AddMinutes(1) });

        var run = lockOfEveryone.RunAsync(7, TimeSpan.FromMinutes(1), true, _ => Task.FromResult(3));
        await Task.Delay(20);
        Assert.That(run.IsCompleted, Is.False, "it waits while the claim is held");
        await new KlarnaOrderClaims(_claims).ReleaseAsync(7, "holder");

        Assert.That(await run, Is.EqualTo((true, 3)));
    }

    [Test]
    public async Task A_claim_whose_time_is_over_is_taken_over_and_its_late_holder_does_not_remove_the_new_one()
    {
        var claims = new KlarnaOrderClaims(_claims);
        await _claims.InsertAsync(new KlarnaOrderClaim { OrderId = 7, Token = "stopped", ExpiresOnUtc = DateTime.UtcNow.AddSeconds(-1) });

        var token = await claims.TryTakeAsync(7, TimeSpan.FromMinutes(1));
        await claims.ReleaseAsync(7, "stopped");

        Assert.That(token, Is.Not.Null.And.Not.EqualTo("stopped"));
        Assert.That(_claims.Rows.Single().Token, Is.EqualTo(token));
        Assert.That(await claims.TryTakeAsync(7, TimeSpan.FromMinutes(1)), Is.Null, "held until its holder gives it back");
        Assert.That(await claims.TryTakeAsync(8, TimeSpan.FromMinutes(1)), Is.Not.Null, "another order is free");
    }

    [Test]
    public void A_claim_the_database_could_not_insert_without_a_holder_is_an_error_not_a_busy_order()
    {
        var table = new Mock<IRepository<KlarnaOrderClaim>>();
        table.Setup(t => t.InsertAsync(It.IsAny<KlarnaOrderClaim>(), It.IsAny<bool>())).ThrowsAsync(new InvalidOperationException("no such table"));
        table.Setup(t => t.GetAllAsync(It.IsAny<Func<IQueryable<KlarnaOrderClaim>, IQueryable<KlarnaOrderClaim>>>(), null, true))
            .ReturnsAsync(new List<KlarnaOrderClaim>());
        var lockWithoutTable = new KlarnaOrderLock(new KlarnaOrderClaims(table.Object), _locker, _logger.Object, Options.Create(_options));

        Assert.That(() => lockWithoutTable.RunAsync(7, TimeSpan.FromMinutes(1), true, _ => Task.FromResult(0)),
            Throws.InvalidOperationException.With.Message.EqualTo("no such table"));
        Assert.That(_locker.HeldKeys, Is.Empty);
        table.Verify(t => t.InsertAsync(It.IsAny<KlarnaOrderClaim>(), It.IsAny<bool>()), Times.Exactly(KlarnaOrderClaims.MaxAttempts));
    }

    [Test]
    public async Task A_claim_given_back_between_the_failed_insert_and_the_look_is_taken_on_the_next_try()
    {
        // Arrange: the insert meets the holder's claim; by the time the claims are read, the holder gave it back
        var table = new Mock<IRepository<KlarnaOrderClaim>>();
        table.SetupSequence(t => t.InsertAsync(It.IsAny<KlarnaOrderClaim>(), It.IsAny<bool>()))
            .ThrowsAsync(new InvalidOperationException("unique index"))
            .Returns(Task.CompletedTask);
        table.Setup(t => t.GetAllAsync(It.IsAny<Func<IQueryable<KlarnaOrderClaim>, IQueryable<KlarnaOrderClaim>>>(), null, true))
            .ReturnsAsync(new List<KlarnaOrderClaim>());

        // Act
        var token = await new KlarnaOrderClaims(table.Object).TryTakeAsync(7, TimeSpan.FromMinutes(1));

        // Assert
        Assert.That(token, Is.Not.Null);
        table.Verify(t => t.InsertAsync(It.IsAny<KlarnaOrderClaim>(), It.IsAny<bool>()), Times.Exactly(2));
    }

    [Test]
    public async Task A_claim_not_given_back_keeps_the_works_result_and_leaves_a_warning()
    {
        var table = new Mock<IRepository<KlarnaOrderClaim>>();
        table.Setup(t => t.DeleteAsync(It.IsAny<System.Linq.Expressions.Expression<Func<KlarnaOrderClaim, bool>>>()))
            .ThrowsAsync(new InvalidOperationException("database gone"));
        var claims = new Mock<KlarnaOrderClaims>(table.Object) { CallBase = true };
        claims.Setup(c => c.TryTakeAsync(7, It.IsAny<TimeSpan>())).ReturnsAsync("mine");
        var lockFailingRelease = new KlarnaOrderLock(claims.Object, _locker, _logger.Object, Options.Create(_options));

        var (acquired, result) = await lockFailingRelease.RunAsync(7, TimeSpan.FromMinutes(1), false, _ => Task.FromResult(5));

        Assert.That((acquired, result), Is.EqualTo((true, 5)));
        claims.Verify(c => c.ReleaseAsync(7, "mine"), Times.Once);
        _logger.Verify(l => l.WarningAsync(It.Is<string>(m => m.Contains("claim of order 7")), It.IsAny<InvalidOperationException>(), null), Times.Once);
    }

    [Test]
    public async Task A_held_key_without_waiting_is_refused_at_once_and_the_work_does_not_run()
    {
        _locker.Hold(KlarnaOrderLock.KeyOf(7));
        var ran = false;

        var (acquired, _) = await _lock.RunAsync(7, TimeSpan.FromMinutes(1), false, _ => { ran = true; return Task.FromResult(0); });

        Assert.That(acquired, Is.False);
        Assert.That(ran, Is.False);
        Assert.That(_locker.Refusals, Is.EqualTo(1));
    }

    [Test]
    public async Task Waiting_takes_the_key_once_its_holder_releases_it()
    {
        var key = KlarnaOrderLock.KeyOf(7);
        _locker.Hold(key);

        var run = _lock.RunAsync(7, TimeSpan.FromMinutes(1), true, _ => Task.FromResult(1));
        while (_locker.Refusals < 3)
            await Task.Yield();
        _locker.Release(key);
        var (acquired, result) = await run;

        Assert.That((acquired, result), Is.EqualTo((true, 1)));
        Assert.That(_locker.Acquisitions, Is.EqualTo(1));
    }

    [Test]
    public async Task Waiting_gives_up_after_the_lock_wait()
    {
        _options.LockWait = TimeSpan.FromMilliseconds(20);
        _locker.Hold(KlarnaOrderLock.KeyOf(7));

        var (acquired, _) = await _lock.RunAsync(7, TimeSpan.FromMinutes(1), true, _ => Task.FromResult(0));

        Assert.That(acquired, Is.False);
        Assert.That(_locker.Refusals, Is.GreaterThan(1));
    }

    [Test]
    public async Task Waiting_tries_again_every_poll_interval_and_not_after_the_lock_wait()
    {
        // tries at 0 and 150 ms; a third try would come at 300 ms, after the 200 ms wait
        _options.LockWait = TimeSpan.FromMilliseconds(200);
        _options.LockPollInterval = TimeSpan.FromMilliseconds(150);
        _locker.Hold(KlarnaOrderLock.KeyOf(7));

        var (acquired, _) = await _lock.RunAsync(7, TimeSpan.FromMinutes(1), true, _ => Task.FromResult(0));

        Assert.That(acquired, Is.False);
        Assert.That(_locker.Refusals, Is.InRange(1, 2));
    }

    [Test]
    public void A_request_cancelled_before_the_lock_is_asked_for_takes_nothing_and_runs_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var ran = false;

        Assert.That(() => _lock.RunAsync(7, TimeSpan.FromMinutes(1), true, _ => { ran = true; return Task.FromResult(0); }, cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(ran, Is.False);
        Assert.That(_locker.Acquisitions, Is.Zero);
        Assert.That(_claims.Rows, Is.Empty);
    }

    [Test]
    public void Running_without_work_is_refused_before_anything_is_taken()
    {
        Assert.That(() => _lock.RunAsync<int>(7, TimeSpan.FromMinutes(1), false, null), Throws.ArgumentNullException);
        Assert.That(_locker.Acquisitions, Is.Zero);
    }

    [Test]
    public async Task A_claim_is_inserted_without_nopcommerces_entity_event()
    {
        // an entity event per click would only clear caches and wake consumers for a row that lives a few seconds
        var table = new Mock<IRepository<KlarnaOrderClaim>>();

        await new KlarnaOrderClaims(table.Object).TryTakeAsync(7, TimeSpan.FromMinutes(1));

        table.Verify(t => t.InsertAsync(It.Is<KlarnaOrderClaim>(c => c.OrderId == 7), false), Times.Once);
        table.Verify(t => t.InsertAsync(It.IsAny<KlarnaOrderClaim>(), true), Times.Never);
    }

    [Test]
    public void Waiting_ends_when_the_request_is_cancelled()
    {
        _locker.Hold(KlarnaOrderLock.KeyOf(7));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        Assert.That(() => _lock.RunAsync(7, TimeSpan.FromMinutes(1), true, _ => Task.FromResult(0), cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void An_exception_of_the_work_reaches_the_caller_also_a_cancellation_the_locker_would_swallow()
    {
        Assert.That(() => _lock.RunAsync<int>(7, TimeSpan.FromMinutes(1), false, _ => throw new InvalidOperationException("boom")),
            Throws.InvalidOperationException.With.Message.EqualTo("boom"));
        Assert.That(() => _lock.RunAsync<int>(7, TimeSpan.FromMinutes(1), false, _ => throw new OperationCanceledException()),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_locker.HeldKeys, Is.Empty);
    }

    [Test]
    public async Task A_lease_counts_from_before_the_lock_was_asked_for()
    {
        // the locker's and the claim's expiry start later than the lease's count: the time left is never overstated
        var locker = new Mock<ILocker>();
        locker.Setup(l => l.PerformActionWithLockAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<Func<Task>>()))
            .Returns<string, TimeSpan, Func<Task>>(async (_, _, action) => { await Task.Delay(150); await action(); return true; });
        var slowLock = new KlarnaOrderLock(new KlarnaOrderClaims(_claims), locker.Object, _logger.Object, Options.Create(_options));

        var (_, remaining) = await slowLock.RunAsync(7, TimeSpan.FromMinutes(1), false, lease => Task.FromResult(lease.Remaining));

        Assert.That(remaining, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(150)));
    }

    [Test]
    public void A_lease_counts_down_from_its_expiration()
    {
        var lease = new KlarnaLockLease(7, TimeSpan.FromMinutes(5));

        Assert.That(lease.Remaining, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(5)).And.GreaterThan(TimeSpan.FromMinutes(4)));
        Assert.That(lease.HasLeft(TimeSpan.FromMinutes(4)), Is.True);
        Assert.That(lease.HasLeft(TimeSpan.FromMinutes(6)), Is.False);
    }
}
