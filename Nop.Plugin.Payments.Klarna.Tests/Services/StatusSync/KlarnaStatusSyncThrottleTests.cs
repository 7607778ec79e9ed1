using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.StatusSync;

/// <summary>
/// The status sync's throttle on a clock the test moves: how many orders run at once, how long a 429 pauses everyone
/// (Retry-After, else a pause doubling up to its cap), and that a waiting order goes on exactly when the pause ends
/// </summary>
[TestFixture]
public class KlarnaStatusSyncThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private ManualTimeProvider _clock;

    [SetUp]
    public void SetUp() => _clock = new ManualTimeProvider(Start);

    private KlarnaStatusSyncThrottle Create(int maxConcurrency = 4, double initialPauseSeconds = 1, double maxPauseSeconds = 8) =>
        new(maxConcurrency, TimeSpan.FromSeconds(initialPauseSeconds), TimeSpan.FromSeconds(maxPauseSeconds), _clock);

    private TimeSpan PauseLeft(KlarnaStatusSyncThrottle throttle) => throttle.PausedUntilUtc - _clock.GetUtcNow().UtcDateTime;

    private static async Task<IDisposable> Completed(Task<IDisposable> acquire) => await acquire.WaitAsync(TimeSpan.FromSeconds(5));

    [Test]
    public void A_throttle_without_a_clock_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new KlarnaStatusSyncThrottle(2, Second, Second, null));
    }

    [Test]
    public void Before_any_429_nothing_is_paused()
    {
        Assert.That(Create().PausedUntilUtc, Is.EqualTo(DateTime.MinValue));
    }

    [Test]
    public void Without_Retry_After_the_pause_starts_at_the_initial_one_and_doubles_up_to_its_cap()
    {
        var throttle = Create(initialPauseSeconds: 1, maxPauseSeconds: 5);
        var pauses = new List<TimeSpan>();

        for (var i = 0; i < 5; i++)
        {
            throttle.OnRateLimited();
            pauses.Add(PauseLeft(throttle));
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.That(pauses.Select(p => p.TotalSeconds), Is.EqualTo(new[] { 1.0, 2, 4, 5, 5 }));
    }

    [Test]
    public void A_cap_below_the_initial_pause_is_raised_to_the_initial_pause()
    {
        var throttle = Create(initialPauseSeconds: 10, maxPauseSeconds: 5);

        throttle.OnRateLimited();
        var first = PauseLeft(throttle);
        _clock.Advance(TimeSpan.FromSeconds(20));
        throttle.OnRateLimited();

        Assert.That((first, PauseLeft(throttle)), Is.EqualTo((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10))));
    }

    [Test]
    public void A_success_brings_the_pause_back_to_the_initial_one()
    {
        var throttle = Create(initialPauseSeconds: 1, maxPauseSeconds: 8);
        throttle.OnRateLimited();
        _clock.Advance(TimeSpan.FromSeconds(10));
        throttle.OnRateLimited();
        _clock.Advance(TimeSpan.FromSeconds(10));

        throttle.OnSuccess();
        throttle.OnRateLimited();

        Assert.That(PauseLeft(throttle), Is.EqualTo(Second));
    }

    [TestCase(3, 3)]
    [TestCase(30, 8)]
    public void Klarnas_Retry_After_sets_the_pause_up_to_the_cap(double retryAfterSeconds, double expectedSeconds)
    {
        var throttle = Create(initialPauseSeconds: 1, maxPauseSeconds: 8);

        throttle.OnRateLimited(TimeSpan.FromSeconds(retryAfterSeconds));

        Assert.That(PauseLeft(throttle), Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void A_Retry_After_of_zero_or_less_counts_as_none(double retryAfterSeconds)
    {
        var throttle = Create(initialPauseSeconds: 2, maxPauseSeconds: 8);

        throttle.OnRateLimited(TimeSpan.FromSeconds(retryAfterSeconds));

        Assert.That(PauseLeft(throttle), Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void A_shorter_pause_never_cuts_a_longer_one_short_and_a_longer_one_extends_it()
    {
        var throttle = Create(initialPauseSeconds: 1, maxPauseSeconds: 60);

        throttle.OnRateLimited(TimeSpan.FromSeconds(10));
        throttle.OnRateLimited(TimeSpan.FromSeconds(2));
        var afterShorter = PauseLeft(throttle);
        throttle.OnRateLimited(TimeSpan.FromSeconds(30));

        Assert.That((afterShorter, PauseLeft(throttle)), Is.EqualTo((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30))));
    }

    [Test]
    public async Task An_order_waits_exactly_until_the_pause_ends_and_then_goes_on()
    {
        var throttle = Create();
        throttle.OnRateLimited(TimeSpan.FromSeconds(3));

        var acquire = throttle.AcquireAsync();

        Assert.That(acquire.IsCompleted, Is.False);
        Assert.That(_clock.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(3) }));
        _clock.Advance(TimeSpan.FromSeconds(3));
        using var permit = await Completed(acquire);
        Assert.That(_clock.Delays, Has.Count.EqualTo(1), "no second wait once the pause is over");
    }

    [Test]
    public async Task At_the_very_end_of_a_pause_an_order_goes_on_without_waiting()
    {
        var throttle = Create();
        throttle.OnRateLimited(TimeSpan.FromSeconds(3));
        _clock.Advance(TimeSpan.FromSeconds(3));

        using var permit = await Completed(throttle.AcquireAsync());

        Assert.That(_clock.Delays, Is.Empty);
    }

    [Test]
    public async Task A_pause_shorter_than_a_millisecond_is_waited_as_one_millisecond()
    {
        var throttle = Create(initialPauseSeconds: 0.0001, maxPauseSeconds: 1);
        throttle.OnRateLimited();

        var acquire = throttle.AcquireAsync();

        Assert.That(_clock.Delays, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(1) }));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var permit = await Completed(acquire);
    }

    [Test]
    public async Task An_order_over_the_limit_polls_every_10_ms_until_a_permit_is_given_back()
    {
        var throttle = Create(maxConcurrency: 1);
        var first = await Completed(throttle.AcquireAsync());

        var second = throttle.AcquireAsync();
        Assert.That(_clock.Delays, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(10) }));
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.That(_clock.WaitForDelay(2), Is.EqualTo(TimeSpan.FromMilliseconds(10)), "still over the limit: it waits again");
        Assert.That(second.IsCompleted, Is.False);

        first.Dispose();
        first.Dispose();
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        using var permit = await Completed(second);
        Assert.That(throttle.MaxObservedActive, Is.EqualTo(1));
    }

    [Test]
    public async Task The_highest_number_of_orders_at_once_is_recorded_and_permits_given_back_free_their_places()
    {
        var throttle = Create(maxConcurrency: 3);

        var permits = new List<IDisposable>();
        for (var i = 0; i < 3; i++)
            permits.Add(await Completed(throttle.AcquireAsync()));
        permits.ForEach(p => p.Dispose());
        for (var i = 0; i < 2; i++)
            permits.Add(await Completed(throttle.AcquireAsync()));

        Assert.That(throttle.MaxObservedActive, Is.EqualTo(3));
        Assert.That(_clock.Delays, Is.Empty, "every permit was free when asked");
    }

    [Test]
    public async Task AcquireAsync_never_allows_more_than_the_maximum()
    {
        var throttle = new KlarnaStatusSyncThrottle(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10), TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using (await throttle.AcquireAsync())
                await Task.Yield();
        }));

        Assert.That(throttle.MaxObservedActive, Is.InRange(1, 3));
    }

    [Test]
    public void OnRateLimited_halves_the_concurrency_down_to_one_and_successes_give_it_back_up_to_the_maximum()
    {
        var throttle = Create(maxConcurrency: 8);

        throttle.OnRateLimited();
        Assert.That(throttle.CurrentLimit, Is.EqualTo(4));
        throttle.OnRateLimited();
        throttle.OnRateLimited();
        throttle.OnRateLimited();
        Assert.That(throttle.CurrentLimit, Is.EqualTo(1));

        for (var i = 0; i < 1000; i++)
            throttle.OnSuccess();
        Assert.That(throttle.CurrentLimit, Is.EqualTo(8));
    }

    [Test]
    public void The_concurrency_comes_back_one_step_after_five_successes_per_allowed_order()
    {
        var throttle = Create(maxConcurrency: 8);
        throttle.OnRateLimited();

        for (var i = 0; i < 19; i++)
            throttle.OnSuccess();
        var before = throttle.CurrentLimit;
        throttle.OnSuccess();
        var after = throttle.CurrentLimit;
        for (var i = 0; i < 24; i++)
            throttle.OnSuccess();
        var beforeNext = throttle.CurrentLimit;
        throttle.OnSuccess();

        Assert.That((before, after, beforeNext, throttle.CurrentLimit), Is.EqualTo((4, 5, 5, 6)));
    }
}
