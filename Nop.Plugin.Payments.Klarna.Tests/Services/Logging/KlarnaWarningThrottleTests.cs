using Microsoft.Extensions.DependencyInjection;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.Logging;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Logging;

[TestFixture]
public class KlarnaWarningThrottleTests
{
    private TestTimeProvider _time;
    private KlarnaWarningThrottle _throttle;

    [SetUp]
    public void SetUp()
    {
        _time = new TestTimeProvider();
        _throttle = new KlarnaWarningThrottle(_time);
    }

    [Test]
    public void CountOccurrence_warns_the_first_time_then_stays_silent_for_a_minute()
    {
        var first = _throttle.CountOccurrence("flood");
        var next = Enumerable.Range(0, 999).Select(_ =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            return _throttle.CountOccurrence("flood");
        }).ToList();

        Assert.That(first, Is.EqualTo(1));
        Assert.That(next, Has.All.EqualTo(0));
    }

    [Test]
    public void CountOccurrence_after_a_minute_warns_with_the_count_since_the_last_warning()
    {
        _throttle.CountOccurrence("flood");
        for (var i = 0; i < 41; i++)
            _throttle.CountOccurrence("flood");

        _time.Advance(TimeSpan.FromSeconds(59));
        var before = _throttle.CountOccurrence("flood");
        _time.Advance(TimeSpan.FromSeconds(1));
        var due = _throttle.CountOccurrence("flood");
        var after = _throttle.CountOccurrence("flood");

        Assert.That(before, Is.Zero, "59 s after the last warning");
        Assert.That(due, Is.EqualTo(43), "41 + 1 silent ones and this one");
        Assert.That(after, Is.Zero, "the next minute starts at that warning");
    }

    [Test]
    public void CountOccurrence_counts_each_event_apart()
    {
        _throttle.CountOccurrence("a");

        Assert.That(_throttle.CountOccurrence("b"), Is.EqualTo(1));
        Assert.That(_throttle.CountOccurrence("a"), Is.Zero);
    }

    [Test]
    public void CountOccurrence_from_many_threads_loses_no_count()
    {
        _throttle.CountOccurrence("flood");

        Parallel.For(0, 2000, _ => _throttle.CountOccurrence("flood"));
        _time.Advance(KlarnaWarningThrottle.Interval);

        Assert.That(_throttle.CountOccurrence("flood"), Is.EqualTo(2001));
    }

    [Test]
    public void IsFirst_is_true_only_once_per_warning()
    {
        Assert.That(new[] { _throttle.IsFirst("x"), _throttle.IsFirst("x"), _throttle.IsFirst("y") }, Is.EqualTo(new[] { true, false, true }));
    }

    [Test]
    public void The_plugin_registers_one_throttle_for_the_application_on_the_registered_clock()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddKlarnaConnection();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        KlarnaWarningThrottle first, second;
        using (var scope = provider.CreateScope())
            first = scope.ServiceProvider.GetRequiredService<KlarnaWarningThrottle>();
        using (var scope = provider.CreateScope())
            second = scope.ServiceProvider.GetRequiredService<KlarnaWarningThrottle>();
        first.CountOccurrence("flood");
        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.That(second, Is.SameAs(first));
        Assert.That(second.CountOccurrence("flood"), Is.EqualTo(1), "due a minute later on the registered clock, not the system's");
    }
}
