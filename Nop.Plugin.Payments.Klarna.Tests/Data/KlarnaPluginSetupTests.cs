using Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;
using Moq;
using Nop.Core.Domain.Cms;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.ScheduleTasks;
using Nop.Plugin.Payments.Klarna.Data;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support;
using Nop.Services.Localization;
using Nop.Services.ScheduleTasks;
using Nop.Web.Framework.Mvc.Routing;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Data;

[TestFixture]
public class KlarnaPluginSetupTests
{
    private const string Version100TaskType = "Nop.Plugin.Payments.Klarna.Services.KlarnaStatusSyncTask";

    /// <summary>
    /// nopCommerce's schedule task table: rows by id, looked up by type
    /// </summary>
    private sealed class InMemoryScheduleTaskService : IScheduleTaskService
    {
        public List<ScheduleTask> Rows { get; } = new();

        public int Updates { get; private set; }

        public Task DeleteTaskAsync(ScheduleTask task)
        {
            Rows.RemoveAll(row => row.Id == task.Id);
            return Task.CompletedTask;
        }

        public Task InsertTaskAsync(ScheduleTask task)
        {
            task.Id = Rows.Count == 0 ? 1 : Rows.Max(row => row.Id) + 1;
            Rows.Add(task);
            return Task.CompletedTask;
        }

        public Task UpdateTaskAsync(ScheduleTask task)
        {
            Updates++;
            return Task.CompletedTask;
        }

        public Task<ScheduleTask> GetTaskByTypeAsync(string type) =>
            Task.FromResult(Rows.FirstOrDefault(row => string.Equals(row.Type, type, StringComparison.OrdinalIgnoreCase)));
    }

    private static KlarnaPaymentMethod PaymentMethod(IScheduleTaskService tasks, InMemorySettingService settings) =>
        new(Mock.Of<IKlarnaCheckoutService>(), Mock.Of<IKlarnaNopPaymentOperations>(), Mock.Of<ILocalizationService>(), Mock.Of<INopUrlHelper>(),
            tasks, settings, new PaymentSettings(), new WidgetSettings());

    [Test]
    public async Task The_update_of_a_1_0_0_shop_gives_its_sync_task_row_the_new_type_and_keeps_the_merchants_period_and_state()
    {
        // Arrange: 1.0.0's row, which the merchant set to every 15 minutes and disabled
        var tasks = new InMemoryScheduleTaskService();
        await tasks.InsertTaskAsync(new ScheduleTask { Name = KlarnaDefaults.SyncTask.Name, Type = Version100TaskType, Seconds = 900, Enabled = false });

        // Act: nopCommerce's update of the installed plugin
        await PaymentMethod(tasks, new InMemorySettingService()).UpdateAsync("1.0.0", "1.1.0");

        // Assert: the same row, of the type nopCommerce can run now
        Assert.That(tasks.Rows, Has.Count.EqualTo(1));
        var row = tasks.Rows.Single();
        Assert.That((row.Id, row.Type, row.Seconds, row.Enabled, tasks.Updates), Is.EqualTo((1, KlarnaDefaults.SyncTask.Type, 900, false, 1)));
        Assert.That(Type.GetType($"{row.Type}, {typeof(KlarnaPaymentMethod).Assembly.GetName().Name}"), Is.Not.Null, "the type exists in the plugin");
    }

    [Test]
    public async Task A_shop_whose_sync_task_row_is_missing_gets_it_enabled_with_the_default_period()
    {
        // Arrange
        var tasks = new InMemoryScheduleTaskService();

        // Act
        await PaymentMethod(tasks, new InMemorySettingService()).UpdateAsync("1.0.0", "1.1.0");

        // Assert
        var row = tasks.Rows.Single();
        Assert.That((row.Type, row.Name, row.Seconds, row.Enabled), Is.EqualTo((KlarnaDefaults.SyncTask.Type, KlarnaDefaults.SyncTask.Name,
            KlarnaDefaults.SyncTask.DefaultPeriodSeconds, true)));
    }

    [Test]
    public async Task A_leftover_row_of_the_old_type_beside_the_new_one_is_removed_and_an_up_to_date_row_is_left_alone()
    {
        // Arrange: the current row (the merchant's period) and a stale 1.0.0 row nopCommerce could not run
        var tasks = new InMemoryScheduleTaskService();
        await tasks.InsertTaskAsync(new ScheduleTask { Name = KlarnaDefaults.SyncTask.Name, Type = KlarnaDefaults.SyncTask.Type, Seconds = 600, Enabled = true });
        await tasks.InsertTaskAsync(new ScheduleTask { Name = KlarnaDefaults.SyncTask.Name, Type = Version100TaskType, Seconds = 3600, Enabled = true });

        // Act: twice, as a second update would
        await KlarnaPluginSetup.EnsureSyncTaskAsync(tasks);
        await KlarnaPluginSetup.EnsureSyncTaskAsync(tasks);

        // Assert
        Assert.That(tasks.Rows.Select(row => (row.Id, row.Type, row.Seconds)), Is.EqualTo(new[] { (1, KlarnaDefaults.SyncTask.Type, 600) }));
        Assert.That(tasks.Updates, Is.Zero);
    }

    [Test]
    public async Task The_settings_added_in_1_1_0_get_their_defaults_where_the_shop_has_none_and_the_shops_values_stay()
    {
        // Arrange: a 1.0.0 shop whose merchant id the update migration copied to its credentials, and one of its stores
        var settings = new InMemorySettingService();
        settings.SetSetting("KlarnaSettings.EuropePlaygroundUsername", "PK1_user");
        settings.SetSetting("KlarnaSettings.MerchantId", "M100");
        settings.SetSetting("KlarnaSettings.OrderStatusAfterCaptureId", 30);
        UpgradeTo110Migration.CopyMerchantIdToCredentials(settings);

        // Act
        await PaymentMethod(new InMemoryScheduleTaskService(), settings).UpdateAsync("1.0.0", "1.1.0");
        var again = await KlarnaPluginSetup.AddMissingSettingsAsync(settings);

        // Assert: the new ones stored with their defaults for all stores, the shop's own untouched, nothing the second time
        Assert.That(settings.Get("KlarnaSettings.OrderStatusFraudStoppedId", 0), Is.EqualTo(new KlarnaSettings().OrderStatusFraudStoppedId));
        Assert.That(settings.Has("KlarnaSettings.ShippingCarrierMappings", 0), Is.True);
        Assert.That(settings.Get("KlarnaSettings.OceaniaProductionMerchantId", 0), Is.EqualTo("M100"));
        Assert.That((settings.Get("KlarnaSettings.EuropePlaygroundUsername", 0), settings.Get("KlarnaSettings.OrderStatusAfterCaptureId", 0)), Is.EqualTo(("PK1_user", 30)));
        Assert.That(again, Is.Empty);
        var loaded = await settings.LoadSettingAsync<KlarnaSettings>();
        Assert.That((loaded.OrderStatusFraudStoppedId, loaded.EuropeProductionMerchantId), Is.EqualTo((10, "M100")));
    }

    [Test]
    public async Task A_shop_without_a_merchant_id_gets_every_added_setting()
    {
        // Arrange
        var settings = new InMemorySettingService();

        // Act
        var added = await KlarnaPluginSetup.AddMissingSettingsAsync(settings);

        // Assert
        Assert.That(added, Is.EquivalentTo(new[]
        {
            "KlarnaSettings.EuropePlaygroundMerchantId", "KlarnaSettings.EuropeProductionMerchantId", "KlarnaSettings.NorthAmericaPlaygroundMerchantId",
            "KlarnaSettings.NorthAmericaProductionMerchantId", "KlarnaSettings.OceaniaPlaygroundMerchantId", "KlarnaSettings.OceaniaProductionMerchantId",
            "KlarnaSettings.ShippingCarrierMappings", "KlarnaSettings.OrderStatusFraudStoppedId"
        }));
    }
}
