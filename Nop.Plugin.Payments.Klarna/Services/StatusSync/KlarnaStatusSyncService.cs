using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Logging;
using Nop.Services.ScheduleTasks;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Keeps nopCommerce in step with Klarna: reads every open Klarna order (and every order a notification pointed at)
/// with bounded concurrency, each order in a DI scope of its own and under its lock, and records the run
/// </summary>
public class KlarnaStatusSyncService : IKlarnaStatusSyncService
{
    #region Constants

    /// <summary>
    /// Gets the page size used to read the open records
    /// </summary>
    public static int PageSize => 500;

    /// <summary>
    /// Gets the highest concurrency the run accepts whatever the settings say
    /// </summary>
    public static int MaxConcurrency => 32;

    /// <summary>
    /// Gets how many times an order answered with 429 is tried again within one run
    /// </summary>
    public static int MaxRateLimitedAttempts => 5;

    /// <summary>
    /// Gets how many failures a run keeps for the settings page
    /// </summary>
    public static int MaxStoredFailures => 100;

    /// <summary>
    /// Gets how many expiring authorizations a run keeps for the settings page
    /// </summary>
    public static int MaxStoredExpiring => 500;

    #endregion

    #region Fields

    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly ILogger _logger;
    protected readonly KlarnaSyncRunLog _runLog;
    protected readonly IScheduleTaskService _scheduleTaskService;
    protected readonly IServiceScopeFactory _serviceScopeFactory;
    protected readonly ISettingService _settingService;
    protected readonly TimeProvider _timeProvider;

    #endregion

    #region Ctor

    public KlarnaStatusSyncService(IKlarnaOrderRecordService recordService,
        ILogger logger,
        KlarnaSyncRunLog runLog,
        IScheduleTaskService scheduleTaskService,
        IServiceScopeFactory serviceScopeFactory,
        ISettingService settingService,
        TimeProvider timeProvider)
    {
        _recordService = recordService;
        _logger = logger;
        _runLog = runLog;
        _scheduleTaskService = scheduleTaskService;
        _serviceScopeFactory = serviceScopeFactory;
        _settingService = settingService;
        _timeProvider = timeProvider;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets or sets the first pause after a 429 when Klarna gave no Retry-After (it doubles up to <see cref="MaxRateLimitPause"/>)
    /// </summary>
    public TimeSpan RateLimitPause { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the longest pause after a 429
    /// </summary>
    public TimeSpan MaxRateLimitPause { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets the throttle of the last run (for tests and diagnostics)
    /// </summary>
    public KlarnaStatusSyncThrottle LastThrottle { get; protected set; }

    /// <summary>
    /// Reads the ids of the orders to synchronize: those a notification pointed at first, then the rest of the open ones.
    /// The whole list is read before any order is synchronized, so orders leaving the open set do not shift the pages.
    /// </summary>
    protected virtual async Task<IList<int>> GetOrderIdsAsync(CancellationToken cancellationToken)
    {
        var requested = new List<int>();
        var others = new List<int>();
        var seen = new HashSet<int>();
        for (var pageIndex = 0; ; pageIndex++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await _recordService.GetOpenRecordsAsync(pageIndex, PageSize) ?? new List<KlarnaOrderRecord>();
            var added = 0;
            foreach (var record in page)
            {
                if (!seen.Add(record.OrderId))
                    continue;

                added++;
                (record.SyncRequested ? requested : others).Add(record.OrderId);
            }

            if (page.Count < PageSize || added == 0)
                break;
        }

        return requested.Concat(others).ToList();
    }

    /// <summary>
    /// Synchronizes one order in a DI scope of its own
    /// </summary>
    protected virtual async Task<KlarnaOrderSyncResult> SyncOrderInScopeAsync(KlarnaOrderRecord record, KlarnaSyncRunContext runContext, CancellationToken cancellationToken)
    {
        var orderId = record.OrderId;
        try
        {
            await using var scope = _serviceScopeFactory.CreateAsyncScope();
            var processor = scope.ServiceProvider.GetRequiredService<IKlarnaStatusSyncOrderProcessor>();

            return await processor.SyncOrderAsync(record, runContext, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new KlarnaOrderSyncResult
            {
                Outcome = KlarnaOrderSyncOutcome.Failed,
                Failure = new KlarnaSyncFailure
                {
                    OrderId = orderId,
                    StatusCode = -1,
                    ErrorCode = exception.GetType().Name,
                    Message = exception.Message,
                    OccurredOnUtc = _timeProvider.GetUtcNow().UtcDateTime
                }
            };
        }
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<bool> IsConfiguredAsync()
    {
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>();

        return settings.SyncIntervalMinutes > 0;
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaSyncStatus> SyncAsync(CancellationToken cancellationToken = default)
    {
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>();
        var concurrency = Math.Clamp(settings.SyncConcurrency, 1, MaxConcurrency);

        var run = await _runLog.StartAsync();

        var failures = new ConcurrentQueue<KlarnaSyncFailure>();
        var expiring = new ConcurrentQueue<KlarnaExpiringAuthorization>();
        int checkedCount = 0, changedCount = 0, failedCount = 0, rateLimitedCount = 0, skippedCount = 0, extendedCount = 0;
        var throttle = LastThrottle = new KlarnaStatusSyncThrottle(concurrency, RateLimitPause, MaxRateLimitPause, _timeProvider);

        try
        {
            var orderIds = await GetOrderIdsAsync(cancellationToken);
            var runContext = new KlarnaSyncRunContext();
            var queue = new ConcurrentQueue<(KlarnaOrderRecord Record, int Attempt)>();
            var outstanding = orderIds.Count;
            var nextToLoad = 0;
            using var loading = new SemaphoreSlim(1, 1);
            var batchSize = Math.Max(concurrency * 8, 50);

            //the records are read a batch at a time, shortly before their orders are synchronized (one read per batch, not
            //one per order; only a batch is held in memory); the processor re-reads a record another flow changed meanwhile
            async Task LoadNextBatchAsync()
            {
                await loading.WaitAsync(cancellationToken);
                try
                {
                    if (queue.Count >= concurrency || nextToLoad >= orderIds.Count)
                        return;

                    var batch = orderIds.Skip(nextToLoad).Take(batchSize).ToList();
                    nextToLoad += batch.Count;
                    var records = (await _recordService.GetByOrderIdsAsync(batch) ?? new List<KlarnaOrderRecord>())
                        .GroupBy(record => record.OrderId).ToDictionary(group => group.Key, group => group.First());
                    foreach (var orderId in batch)
                    {
                        if (records.TryGetValue(orderId, out var record))
                            queue.Enqueue((record, 0));
                        else
                            Interlocked.Decrement(ref outstanding); //gone since the list was read
                    }
                }
                finally
                {
                    loading.Release();
                }
            }

            async Task WorkAsync()
            {
                while (Volatile.Read(ref outstanding) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (queue.Count < concurrency && Volatile.Read(ref nextToLoad) < orderIds.Count)
                        await LoadNextBatchAsync();

                    if (!queue.TryDequeue(out var item))
                    {
                        //another worker holds the last orders; one of them may come back after a 429
                        await Task.Delay(TimeSpan.FromMilliseconds(20), _timeProvider, cancellationToken);
                        continue;
                    }

                    KlarnaOrderSyncResult result;
                    using (await throttle.AcquireAsync(cancellationToken))
                        result = await SyncOrderInScopeAsync(item.Record, runContext, cancellationToken);

                    if (result.Outcome == KlarnaOrderSyncOutcome.RateLimited)
                    {
                        Interlocked.Increment(ref rateLimitedCount);
                        throttle.OnRateLimited();
                        if (item.Attempt + 1 < MaxRateLimitedAttempts)
                        {
                            queue.Enqueue((item.Record, item.Attempt + 1));
                            continue;
                        }

                        Interlocked.Increment(ref failedCount);
                        if (result.Failure is not null)
                            failures.Enqueue(result.Failure);
                    }
                    else
                    {
                        throttle.OnSuccess();
                        switch (result.Outcome)
                        {
                            case KlarnaOrderSyncOutcome.Changed:
                                Interlocked.Increment(ref checkedCount);
                                Interlocked.Increment(ref changedCount);
                                break;
                            case KlarnaOrderSyncOutcome.Unchanged:
                                Interlocked.Increment(ref checkedCount);
                                break;
                            case KlarnaOrderSyncOutcome.Skipped:
                                Interlocked.Increment(ref skippedCount);
                                break;
                            case KlarnaOrderSyncOutcome.Failed:
                                Interlocked.Increment(ref failedCount);
                                if (result.Failure is not null)
                                    failures.Enqueue(result.Failure);
                                break;
                        }

                        if (result.Expiring is not null)
                        {
                            expiring.Enqueue(result.Expiring);
                            if (result.Expiring.Extended)
                                Interlocked.Increment(ref extendedCount);
                        }
                    }

                    Interlocked.Decrement(ref outstanding);
                }
            }

            await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, Math.Max(1, orderIds.Count))).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failures.Enqueue(new KlarnaSyncFailure { OrderId = 0, StatusCode = -1, ErrorCode = KlarnaSyncFailure.CancelledCode, OccurredOnUtc = _timeProvider.GetUtcNow().UtcDateTime });
        }
        catch (Exception exception)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: the status synchronization run failed", exception);
            failures.Enqueue(new KlarnaSyncFailure { OrderId = 0, StatusCode = -1, ErrorCode = exception.GetType().Name, Message = exception.Message, OccurredOnUtc = _timeProvider.GetUtcNow().UtcDateTime });
        }
        finally
        {
            run.EndedOnUtc = _timeProvider.GetUtcNow().UtcDateTime;
            run.CheckedCount = checkedCount;
            run.ChangedCount = changedCount;
            run.FailedCount = failedCount;
            run.RateLimitedCount = rateLimitedCount;
            run.SkippedCount = skippedCount;
            run.ExtendedCount = extendedCount;
            run.FailuresJson = JsonConvert.SerializeObject(failures.OrderBy(failure => failure.OrderId).Take(MaxStoredFailures).ToList());
            run.ExpiringJson = JsonConvert.SerializeObject(expiring.OrderBy(item => item.ExpiresAtUtc).Take(MaxStoredExpiring).ToList());
            await _runLog.FinishAsync(run);
        }

        if (failedCount > 0)
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: status synchronization: {failedCount} of {checkedCount + failedCount} orders failed (see the plugin's settings page)");

        return KlarnaSyncRunLog.ToStatus(run);
    }

    /// <inheritdoc />
    public virtual Task<KlarnaSyncStatus> GetLastRunAsync() => _runLog.GetLastAsync();

    /// <inheritdoc />
    public virtual async Task UpdateScheduleTaskAsync(int syncIntervalMinutes)
    {
        var task = await _scheduleTaskService.GetTaskByTypeAsync(KlarnaDefaults.SyncTask.Type);
        if (task is null)
            return;

        if (syncIntervalMinutes <= 0)
        {
            if (!task.Enabled)
                return;

            task.Enabled = false;
            await _scheduleTaskService.UpdateTaskAsync(task);
            return;
        }

        var seconds = (int)Math.Min(int.MaxValue, syncIntervalMinutes * 60L);
        if (task.Seconds == seconds && task.Enabled)
            return;

        if (!task.Enabled)
            task.LastEnabledUtc = _timeProvider.GetUtcNow().UtcDateTime;
        task.Seconds = seconds;
        task.Enabled = true;
        await _scheduleTaskService.UpdateTaskAsync(task);
    }

    #endregion
}
