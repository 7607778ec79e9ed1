using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaEngineOptionsTests
{
    [Test]
    public void A_pending_operation_is_replayed_only_within_klarnas_24_hour_idempotency_window_with_room_for_clock_differences()
    {
        var options = new KlarnaEngineOptions();

        Assert.That(options.ReplayWindow + options.ClockSkew, Is.LessThan(TimeSpan.FromHours(24)));
        Assert.That(options.ReplayWindow, Is.GreaterThan(TimeSpan.FromHours(12)));
    }

    [Test]
    public void A_click_waits_a_few_seconds_for_a_held_lock_polling_well_within_that_time()
    {
        var options = new KlarnaEngineOptions();

        Assert.That(options.LockWait, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
        Assert.That(options.LockPollInterval * 10, Is.LessThanOrEqualTo(options.LockWait));
        Assert.That(options.LockMargin, Is.GreaterThan(TimeSpan.Zero));
    }
}
