namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// A clock that stands still until the test moves it. It records every delay asked of it (Task.Delay on this provider asks
/// for a one-shot timer) and fires a timer once the clock has been moved to its due time.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _sync = new();
    private readonly List<ManualTimer> _timers = new();
    private readonly List<TimeSpan> _delays = new();
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset start) => _now = start;

    /// <summary>
    /// Gets the delays asked so far, in order
    /// </summary>
    public IList<TimeSpan> Delays
    {
        get
        {
            lock (_sync)
                return _delays.ToList();
        }
    }

    /// <summary>
    /// Gets the number of timers not fired nor disposed yet
    /// </summary>
    public int PendingTimers
    {
        get
        {
            lock (_sync)
                return _timers.Count;
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_sync)
            return _now;
    }

    /// <summary>
    /// Moves the clock forward and fires the timers that are due (outside the lock, in due order)
    /// </summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_sync)
        {
            _now += by;
            due = _timers.Where(timer => timer.DueAt <= _now).OrderBy(timer => timer.DueAt).ToList();
            foreach (var timer in due)
                _timers.Remove(timer);
        }

        foreach (var timer in due)
            timer.Fire();
    }

    /// <summary>
    /// Waits (in real time, a few seconds at most) until the given number of delays has been asked
    /// </summary>
    /// <returns>The delay asked last</returns>
    public TimeSpan WaitForDelay(int count)
    {
        if (!SpinWait.SpinUntil(() => Delays.Count >= count, TimeSpan.FromSeconds(5)))
            throw new TimeoutException($"{count} delay(s) expected, {Delays.Count} asked");

        return Delays[count - 1];
    }

    public override ITimer CreateTimer(TimerCallback callback, object state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan)
            throw new NotSupportedException("only one-shot timers (Task.Delay)");

        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualTimeProvider _provider;
        private readonly TimerCallback _callback;
        private readonly object _state;

        public ManualTimer(ManualTimeProvider provider, TimerCallback callback, object state)
        {
            _provider = provider;
            _callback = callback;
            _state = state;
        }

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_provider._sync)
            {
                _provider._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                    return true;

                _provider._delays.Add(dueTime);
                DueAt = _provider._now + dueTime;
                _provider._timers.Add(this);
            }

            return true;
        }

        public void Fire() => _callback(_state);

        public void Dispose()
        {
            lock (_provider._sync)
                _provider._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
