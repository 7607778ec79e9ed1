namespace Nop.Plugin.Payments.Klarna.Services.Logging;

/// <summary>
/// Keeps repeated warnings from flooding nopCommerce's log (one instance for the application, registered as a singleton):
/// a repeated event is logged the first time, then at most once per interval with the number of events since the last
/// warning; a warning about a setting is logged once
/// </summary>
public class KlarnaWarningThrottle
{
    #region Fields

    /// <summary>
    /// Gets the shortest time between two warnings of the same repeated event
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected readonly TimeProvider _timeProvider;
    protected readonly object _sync = new();
    protected readonly Dictionary<string, (DateTimeOffset LastWarning, long Count)> _repeated = new(StringComparer.Ordinal);
    protected readonly HashSet<string> _warnedOnce = new(StringComparer.Ordinal);

    #endregion

    #region Ctor

    public KlarnaWarningThrottle(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Counts one occurrence of a repeated event and tells whether its warning is due now: for the first occurrence, then for
    /// the first one at least <see cref="Interval"/> after the last warning
    /// </summary>
    /// <param name="key">The event (a fixed name, never data from a request)</param>
    /// <returns>The number of occurrences since the last warning, this one included, when a warning is due; otherwise 0</returns>
    public virtual long CountOccurrence(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        var now = _timeProvider.GetUtcNow();
        lock (_sync)
        {
            if (!_repeated.TryGetValue(key, out var state))
            {
                _repeated[key] = (now, 0);
                return 1;
            }

            var count = state.Count + 1;
            if (now - state.LastWarning < Interval)
            {
                _repeated[key] = (state.LastWarning, count);
                return 0;
            }

            _repeated[key] = (now, 0);
            return count;
        }
    }

    /// <summary>
    /// Tells whether a warning is logged for the first time since the application started
    /// </summary>
    /// <param name="key">The warning (e.g. a setting and its value, never a secret)</param>
    /// <returns>True the first time only</returns>
    public virtual bool IsFirst(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        lock (_sync)
            return _warnedOnce.Add(key);
    }

    #endregion
}
