using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Keeps nopCommerce in step with the orders on Klarna's side (schedule task KlarnaStatusSyncTask)
/// </summary>
public interface IKlarnaStatusSyncService
{
    /// <summary>
    /// Gets a value indicating whether the synchronization should run (interval set, plugin installed)
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the result tells whether to run</returns>
    Task<bool> IsConfiguredAsync();

    /// <summary>
    /// Synchronizes every open Klarna order and every order a notification pointed at, with bounded concurrency
    /// (KlarnaSettings.SyncConcurrency), each order under its lock; the run and its counts are recorded
    /// </summary>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the result is the run's status</returns>
    Task<KlarnaSyncStatus> SyncAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the last run (the running one while a run is under way)
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the result is the run's status or null when it never ran</returns>
    Task<KlarnaSyncStatus> GetLastRunAsync();

    /// <summary>
    /// Sets the schedule task's period to the sync interval (call it when KlarnaSettings.SyncIntervalMinutes changes);
    /// an interval of 0 or less disables the task
    /// </summary>
    /// <param name="syncIntervalMinutes">Interval in minutes</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    Task UpdateScheduleTaskAsync(int syncIntervalMinutes);
}

/// <summary>
/// Synchronizes one order (scoped: the sync service resolves it in a scope of its own per order)
/// </summary>
public interface IKlarnaStatusSyncOrderProcessor
{
    /// <summary>
    /// Reads the order from Klarna and reconciles it, under the order's lock; skips it when the lock is held;
    /// flags and (when enabled) extends an authorization close to expiry
    /// </summary>
    /// <param name="orderId">nopCommerce order identifier</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the result is the outcome</returns>
    Task<KlarnaOrderSyncResult> SyncOrderAsync(int orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Same as <see cref="SyncOrderAsync(int, CancellationToken)"/> for a record the run has already read (one read per page
    /// of orders, not per order), with the settings and credentials the run loads once
    /// </summary>
    /// <param name="record">The order's record, as read by the run</param>
    /// <param name="runContext">What the run shares between its orders</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the result is the outcome</returns>
    Task<KlarnaOrderSyncResult> SyncOrderAsync(KlarnaOrderRecord record, KlarnaSyncRunContext runContext, CancellationToken cancellationToken = default);
}
