using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The order lock lives longer than a read and a write at their worst, computed from the settings
/// </summary>
[TestFixture]
public class KlarnaLockBudgetTests
{
    private static readonly KlarnaApiClientOptions Client = new() { Timeout = TimeSpan.FromSeconds(30), MaxRetries = 3, MaxDelay = TimeSpan.FromSeconds(30) };
    private static readonly KlarnaEngineOptions Engine = new() { LockMargin = TimeSpan.FromSeconds(30) };

    [Test]
    public void The_stores_timeout_setting_is_the_per_attempt_timeout()
    {
        Assert.That(KlarnaLockBudget.PerAttempt(new KlarnaSettings { RequestTimeoutSeconds = 20 }, Client), Is.EqualTo(TimeSpan.FromSeconds(20)));
        Assert.That(KlarnaLockBudget.PerAttempt(new KlarnaSettings { RequestTimeoutSeconds = 0 }, Client), Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(KlarnaLockBudget.PerAttempt(null, Client), Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void A_timeout_stored_before_the_60_second_cap_is_held_to_it()
    {
        Assert.That(KlarnaLockBudget.PerAttempt(new KlarnaSettings { RequestTimeoutSeconds = 300 }, Client), Is.EqualTo(TimeSpan.FromSeconds(60)));
    }

    [Test]
    public void The_lock_expiration_covers_a_read_and_a_write_at_their_worst_plus_the_margin()
    {
        // 20 s per attempt x 4 attempts + 3 waits of at most 30 s = 170 s per request
        var settings = new KlarnaSettings { RequestTimeoutSeconds = 20 };

        Assert.That(KlarnaLockBudget.WorstRequest(settings, Client), Is.EqualTo(TimeSpan.FromSeconds(170)));
        Assert.That(KlarnaLockBudget.NeededForWrite(settings, Client, Engine), Is.EqualTo(TimeSpan.FromSeconds(200)));
        Assert.That(KlarnaLockBudget.Expiration(settings, Client, Engine), Is.EqualTo(TimeSpan.FromSeconds(370)));
    }

    [Test]
    public void The_lock_grows_with_the_timeout_setting()
    {
        var short_ = KlarnaLockBudget.Expiration(new KlarnaSettings { RequestTimeoutSeconds = 5 }, Client, Engine);
        var long_ = KlarnaLockBudget.Expiration(new KlarnaSettings { RequestTimeoutSeconds = 60 }, Client, Engine);

        Assert.That(long_ - short_, Is.EqualTo(TimeSpan.FromSeconds(55 * 4 * 2)));
    }
}
