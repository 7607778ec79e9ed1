using Nop.Services.ScheduleTasks;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Represents the schedule task that keeps nopCommerce's Klarna orders in step with Klarna
/// (type name pinned in <see cref="KlarnaDefaults.SyncTask.Type"/>)
/// </summary>
public class KlarnaStatusSyncTask : IScheduleTask
{
    #region Fields

    protected readonly IKlarnaStatusSyncService _statusSyncService;

    #endregion

    #region Ctor

    public KlarnaStatusSyncTask(IKlarnaStatusSyncService statusSyncService)
    {
        _statusSyncService = statusSyncService;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Executes the task: if configured, sync open orders
    /// </summary>
    /// <returns>A task that represents the asynchronous operation</returns>
    public async Task ExecuteAsync()
    {
        if (!await _statusSyncService.IsConfiguredAsync())
            return;

        await _statusSyncService.SyncAsync();
    }

    #endregion
}
