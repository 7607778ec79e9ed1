using Microsoft.Extensions.Options;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The order lock over nopCommerce's ILocker, which does not wait for a held key
/// </summary>
[TestFixture]
public class KlarnaOrderLockTests
{
    private InMemoryLocker _locker;
    private KlarnaEngineOptions _options;
    private KlarnaOrderLock _lock;

    [SetUp]
    public void SetUp()
    {
        _locker = new InMemoryLocker();
        _options = new KlarnaEngineOptions { LockWait = TimeSpan.FromSeconds(30), LockPollInterval = TimeSpan.FromMilliseconds(1) };
        _lock = new KlarnaOrderLock(_locker, Options.Create(_options));
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
    public void A_lease_counts_down_from_its_expiration()
    {
        var lease = new KlarnaLockLease(7, TimeSpan.FromMinutes(5));

        Assert.That(lease.Remaining, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(5)).And.GreaterThan(TimeSpan.FromMinutes(4)));
        Assert.That(lease.HasLeft(TimeSpan.FromMinutes(4)), Is.True);
        Assert.That(lease.HasLeft(TimeSpan.FromMinutes(6)), Is.False);
    }
}
