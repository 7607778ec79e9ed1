using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Services.ScheduleTasks;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Represents the schedule task that keeps nopCommerce's Klarna orders in step with Klarna, and settles the checkout
/// attempts whose outcome is open (a lost create-order answer, a Klarna order nopCommerce never saved)
/// (type name pinned in <see cref="KlarnaDefaults.SyncTask.Type"/>)
/// </summary>
public class KlarnaStatusSyncTask : IScheduleTask
{
    #region Fields

    protected readonly IKlarnaCheckoutAttemptSettler _attemptSettler;
    protected readonly IKlarnaStatusSyncService _statusSyncService;

    #endregion

    #region Ctor

    public KlarnaStatusSyncTask(IKlarnaCheckoutAttemptSettler attemptSettler,
        IKlarnaStatusSyncService statusSyncService)
    {
        _attemptSettler = attemptSettler;
        _statusSyncService = statusSyncService;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Executes the task: if configured, settle open checkout attempts, then sync open orders
    /// </summary>
    /// <returns>A task that represents the asynchronous operation</returns>
    public async Task ExecuteAsync()
    {
        if (!await _statusSyncService.IsConfiguredAsync())
            return;

        await _attemptSettler.SettleAllAsync();
        await _statusSyncService.SyncAsync();
    }

    #endregion
}
