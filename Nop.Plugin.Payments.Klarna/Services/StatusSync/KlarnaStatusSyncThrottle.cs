namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Bounds the number of orders synchronized at once and slows the run down when Klarna rate-limits it:
/// a 429 halves the allowed concurrency and pauses everyone (Retry-After when known, else a growing pause);
/// a series of successes gives the concurrency back one step at a time, never above the configured maximum
/// </summary>
public class KlarnaStatusSyncThrottle
{
    #region Fields

    private readonly object _sync = new();
    private readonly int _maxConcurrency;
    private readonly TimeSpan _initialPause;
    private readonly TimeSpan _maxPause;
    private readonly TimeProvider _timeProvider;
    private int _limit;
    private int _active;
    private int _maxObservedActive;
    private int _successes;
    private TimeSpan _nextPause;
    private DateTime _pausedUntilUtc = DateTime.MinValue;

    #endregion

    #region Ctor

    public KlarnaStatusSyncThrottle(int maxConcurrency, TimeSpan initialPause, TimeSpan maxPause, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _maxConcurrency = Math.Max(1, maxConcurrency);
        _limit = _maxConcurrency;
        _initialPause = initialPause;
        _maxPause = maxPause < initialPause ? initialPause : maxPause;
        _nextPause = initialPause;
    }

    #endregion

    #region Utilities

    private void Release()
    {
        lock (_sync)
            _active--;
    }

    private sealed class Permit : IDisposable
    {
        private KlarnaStatusSyncThrottle _throttle;

        public Permit(KlarnaStatusSyncThrottle throttle) => _throttle = throttle;

        public void Dispose() => Interlocked.Exchange(ref _throttle, null)?.Release();
    }

    #endregion

    #region Methods

    /// <summary>
    /// Waits until one more order may be synchronized (concurrency below the current limit, no pause)
    /// </summary>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the result is the permit to dispose when done</returns>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_sync)
            {
                var now = _timeProvider.GetUtcNow().UtcDateTime;
                if (now >= _pausedUntilUtc && _active < _limit)
                {
                    _active++;
                    _maxObservedActive = Math.Max(_maxObservedActive, _active);
                    return new Permit(this);
                }

                wait = _pausedUntilUtc > now ? _pausedUntilUtc - now : TimeSpan.FromMilliseconds(10);
            }

            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _timeProvider, cancellationToken);
        }
    }

    /// <summary>
    /// Tells the throttle that Klarna answered 429
    /// </summary>
    /// <param name="retryAfter">Klarna's Retry-After when known</param>
    public void OnRateLimited(TimeSpan? retryAfter = null)
    {
        lock (_sync)
        {
            _limit = Math.Max(1, _limit / 2);
            _successes = 0;

            var pause = retryAfter is TimeSpan value && value > TimeSpan.Zero ? value : _nextPause;
            if (pause > _maxPause)
                pause = _maxPause;
            _nextPause = TimeSpan.FromTicks(Math.Min(_maxPause.Ticks, _nextPause.Ticks * 2));

            var until = _timeProvider.GetUtcNow().UtcDateTime + pause;
            if (until > _pausedUntilUtc)
                _pausedUntilUtc = until;
        }
    }

    /// <summary>
    /// Tells the throttle that an order went through without a 429
    /// </summary>
    public void OnSuccess()
    {
        lock (_sync)
        {
            _nextPause = _initialPause;
            if (_limit >= _maxConcurrency)
                return;

            _successes++;
            if (_successes < _limit * 5)
                return;

            _limit++;
            _successes = 0;
        }
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets the number of orders allowed at once right now
    /// </summary>
    public int CurrentLimit
    {
        get
        {
            lock (_sync)
                return _limit;
        }
    }

    /// <summary>
    /// Gets when the pause after the last 429 ends (UTC; DateTime.MinValue before the first 429)
    /// </summary>
    public DateTime PausedUntilUtc
    {
        get
        {
            lock (_sync)
                return _pausedUntilUtc;
        }
    }

    /// <summary>
    /// Gets the highest number of orders synchronized at once so far
    /// </summary>
    public int MaxObservedActive
    {
        get
        {
            lock (_sync)
                return _maxObservedActive;
        }
    }

    #endregion
}
