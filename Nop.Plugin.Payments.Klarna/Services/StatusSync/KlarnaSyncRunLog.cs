using Newtonsoft.Json;
using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// The table of the status synchronization runs (shown on the settings page): the last <see cref="KeptRuns"/> runs, a new
/// run taking the oldest row once they exist
/// </summary>
public class KlarnaSyncRunLog
{
    #region Fields

    protected readonly IRepository<KlarnaSyncRun> _runRepository;
    protected readonly TimeProvider _timeProvider;

    #endregion

    #region Ctor

    public KlarnaSyncRunLog(IRepository<KlarnaSyncRun> runRepository, TimeProvider timeProvider)
    {
        _runRepository = runRepository;
        _timeProvider = timeProvider;
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets how many runs are kept: once there are that many, a new run reuses the oldest row (no deletes needed)
    /// </summary>
    public static int KeptRuns => 48;

    #endregion

    #region Methods

    /// <summary>
    /// Gets what the settings page shows of a run
    /// </summary>
    /// <param name="run">The run; null for none</param>
    /// <returns>The status; null for no run</returns>
    public static KlarnaSyncStatus ToStatus(KlarnaSyncRun run)
    {
        if (run is null)
            return null;

        return new KlarnaSyncStatus
        {
            RunId = run.Id,
            StartedOnUtc = run.StartedOnUtc,
            EndedOnUtc = run.EndedOnUtc,
            CheckedCount = run.CheckedCount,
            ChangedCount = run.ChangedCount,
            FailedCount = run.FailedCount,
            RateLimitedCount = run.RateLimitedCount,
            SkippedCount = run.SkippedCount,
            ExtendedCount = run.ExtendedCount,
            Failures = string.IsNullOrEmpty(run.FailuresJson)
                ? new List<KlarnaSyncFailure>()
                : JsonConvert.DeserializeObject<List<KlarnaSyncFailure>>(run.FailuresJson) ?? new List<KlarnaSyncFailure>(),
            ExpiringAuthorizations = string.IsNullOrEmpty(run.ExpiringJson)
                ? new List<KlarnaExpiringAuthorization>()
                : JsonConvert.DeserializeObject<List<KlarnaExpiringAuthorization>>(run.ExpiringJson) ?? new List<KlarnaExpiringAuthorization>()
        };
    }

    /// <summary>
    /// Records the start of a run: a new row, or the oldest row once <see cref="KeptRuns"/> rows exist
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the run</returns>
    public virtual async Task<KlarnaSyncRun> StartAsync()
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var runs = await _runRepository.GetAllAsync(query => query.OrderBy(run => run.StartedOnUtc).ThenBy(run => run.Id), getCacheKey: null);
        if (runs.Count < KeptRuns)
        {
            var run = new KlarnaSyncRun { StartedOnUtc = now };
            await _runRepository.InsertAsync(run, false);
            return run;
        }

        var oldest = runs[0];
        oldest.StartedOnUtc = now;
        oldest.EndedOnUtc = null;
        oldest.CheckedCount = oldest.ChangedCount = oldest.FailedCount = oldest.RateLimitedCount = oldest.SkippedCount = oldest.ExtendedCount = 0;
        oldest.FailuresJson = null;
        oldest.ExpiringJson = null;
        await _runRepository.UpdateAsync(oldest, false);
        return oldest;
    }

    /// <summary>
    /// Records the end of a run (its counts, failures and expiring authorizations already set)
    /// </summary>
    /// <param name="run">The run</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public virtual Task FinishAsync(KlarnaSyncRun run) => _runRepository.UpdateAsync(run, false);

    /// <summary>
    /// Gets the last run
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the last run's status, or null</returns>
    public virtual async Task<KlarnaSyncStatus> GetLastAsync()
    {
        var runs = await _runRepository.GetAllAsync(query => query.OrderByDescending(run => run.StartedOnUtc).ThenByDescending(run => run.Id).Take(1), getCacheKey: null);

        return ToStatus(runs.FirstOrDefault());
    }

    #endregion
}
