using System.Linq.Expressions;
using Nop.Core.Domain.ScheduleTasks;
using Nop.Services.Configuration;
using Nop.Services.ScheduleTasks;

namespace Nop.Plugin.Payments.Klarna.Data;

/// <summary>
/// What the plugin's install and its update of an installed shop share: the status synchronization's schedule task (one
/// row of 1.1.0's type: a 1.0.0 shop's row gets the type the task has now, a missing one is created) and the settings a
/// version added (an upgraded shop gets their defaults where it has none). The update runs when nopCommerce sees a new
/// plugin.json version, after the plugin's update migrations (<see cref="UpgradeTo110Migration"/>).
/// </summary>
public static class KlarnaPluginSetup
{
    #region Properties

    /// <summary>
    /// Gets the schedule task types earlier versions registered (1.0.0's task lived in Services, before the capability folders)
    /// </summary>
    public static IReadOnlyList<string> PreviousSyncTaskTypes { get; } = new[] { "Nop.Plugin.Payments.Klarna.Services.KlarnaStatusSyncTask" };

    #endregion

    #region Methods

    /// <summary>
    /// Makes sure the status synchronization has its one schedule task of the current type: a task an earlier version
    /// registered gets the current type (keeping its period, state and history), a missing one is created, enabled, with
    /// the default period
    /// </summary>
    /// <param name="scheduleTaskService">Schedule task service</param>
    /// <returns>The task</returns>
    public static async Task<ScheduleTask> EnsureSyncTaskAsync(IScheduleTaskService scheduleTaskService)
    {
        ArgumentNullException.ThrowIfNull(scheduleTaskService);

        var task = await scheduleTaskService.GetTaskByTypeAsync(KlarnaDefaults.SyncTask.Type);
        foreach (var previousType in PreviousSyncTaskTypes)
        {
            if (await scheduleTaskService.GetTaskByTypeAsync(previousType) is not ScheduleTask previous)
                continue;

            if (task is null)
            {
                // the shop's row, with the merchant's period and state: only its type changes
                previous.Type = KlarnaDefaults.SyncTask.Type;
                await scheduleTaskService.UpdateTaskAsync(previous);
                task = previous;
            }
            else
            {
                // a second row, whose type no longer exists: nopCommerce would fail to run it on every period
                await scheduleTaskService.DeleteTaskAsync(previous);
            }
        }

        if (task is not null)
            return task;

        task = new ScheduleTask
        {
            Enabled = true,
            LastEnabledUtc = DateTime.UtcNow,
            Seconds = KlarnaDefaults.SyncTask.DefaultPeriodSeconds,
            Name = KlarnaDefaults.SyncTask.Name,
            Type = KlarnaDefaults.SyncTask.Type
        };
        await scheduleTaskService.InsertTaskAsync(task);
        return task;
    }

    /// <summary>
    /// Gives the settings 1.1.0 added (the merchant id of each credential, the carrier table of shipping info, the order
    /// status of a fraud-stopped order) their default values, for all stores, where the shop has none; the values a shop
    /// has (e.g. the merchant ids the update migration copied) stay
    /// </summary>
    /// <param name="settingService">Setting service</param>
    /// <returns>The keys of the settings added</returns>
    public static async Task<IList<string>> AddMissingSettingsAsync(ISettingService settingService)
    {
        ArgumentNullException.ThrowIfNull(settingService);

        var defaults = new KlarnaSettings();
        var added = new List<string>();

        // one call per setting: nopCommerce reads the key from the property of each typed selector
        async Task AddAsync<TPropType>(Expression<Func<KlarnaSettings, TPropType>> setting)
        {
            if (await settingService.SettingExistsAsync(defaults, setting))
                return;

            await settingService.SaveSettingAsync(defaults, setting, 0, false);
            added.Add($"{nameof(KlarnaSettings)}.{((MemberExpression)setting.Body).Member.Name}");
        }

        await AddAsync(settings => settings.EuropePlaygroundMerchantId);
        await AddAsync(settings => settings.EuropeProductionMerchantId);
        await AddAsync(settings => settings.NorthAmericaPlaygroundMerchantId);
        await AddAsync(settings => settings.NorthAmericaProductionMerchantId);
        await AddAsync(settings => settings.OceaniaPlaygroundMerchantId);
        await AddAsync(settings => settings.OceaniaProductionMerchantId);
        await AddAsync(settings => settings.ShippingCarrierMappings);
        await AddAsync(settings => settings.OrderStatusFraudStoppedId);

        if (added.Count > 0)
            await settingService.ClearCacheAsync();
        return added;
    }

    #endregion
}
