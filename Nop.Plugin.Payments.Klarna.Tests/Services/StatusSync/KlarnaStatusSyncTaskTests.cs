using Moq;
using Nop.Core.Domain.ScheduleTasks;
using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.StatusSync;

[TestFixture]
public class KlarnaStatusSyncTaskTests
{
    private Mock<IKlarnaStatusSyncService> _syncService;
    private Mock<Nop.Plugin.Payments.Klarna.Services.Checkout.IKlarnaCheckoutAttemptSettler> _settler;

    [SetUp]
    public void SetUp()
    {
        _syncService = new Mock<IKlarnaStatusSyncService>();
        _settler = new Mock<Nop.Plugin.Payments.Klarna.Services.Checkout.IKlarnaCheckoutAttemptSettler>();
    }

    [Test]
    public void Task_type_name_is_the_pinned_one()
    {
        Assert.That(typeof(KlarnaStatusSyncTask).FullName, Is.EqualTo(KlarnaDefaults.SyncTask.Type));
    }

    [Test]
    public async Task ExecuteAsync_settles_open_checkout_attempts_and_syncs_when_configured()
    {
        _syncService.Setup(service => service.IsConfiguredAsync()).ReturnsAsync(true);

        await new KlarnaStatusSyncTask(_settler.Object, _syncService.Object).ExecuteAsync();

        _syncService.Verify(service => service.SyncAsync(It.IsAny<CancellationToken>()), Times.Once);
        _settler.Verify(settler => settler.SettleAllAsync(), Times.Once);
    }

    [Test]
    public async Task ExecuteAsync_does_nothing_when_not_configured()
    {
        _syncService.Setup(service => service.IsConfiguredAsync()).ReturnsAsync(false);

        await new KlarnaStatusSyncTask(_settler.Object, _syncService.Object).ExecuteAsync();

        _syncService.Verify(service => service.SyncAsync(It.IsAny<CancellationToken>()), Times.Never);
        _settler.Verify(settler => settler.SettleAllAsync(), Times.Never);
    }
}

[TestFixture]
public class KlarnaStatusSyncServiceScheduleTests
{
    private SyncShop _shop;
    private SyncInstance _instance;

    [SetUp]
    public void SetUp()
    {
        _shop = new SyncShop();
        _instance = new SyncInstance(_shop, new Mock<IKlarnaApiClient>().Object, new KlarnaCredentials());
    }

    [TearDown]
    public async Task TearDown() => await _instance.DisposeAsync();

    [Test]
    public async Task UpdateScheduleTaskAsync_sets_the_period_from_the_interval()
    {
        await _instance.SyncService.UpdateScheduleTaskAsync(15);

        Assert.That(_shop.Task.Seconds, Is.EqualTo(900));
        Assert.That(_shop.Task.Enabled, Is.True);
        _instance.ScheduleTaskService.Verify(service => service.UpdateTaskAsync(_shop.Task), Times.Once);
    }

    [Test]
    public async Task UpdateScheduleTaskAsync_disables_the_task_for_a_zero_interval_and_enables_it_again()
    {
        await _instance.SyncService.UpdateScheduleTaskAsync(0);
        Assert.That(_shop.Task.Enabled, Is.False);

        await _instance.SyncService.UpdateScheduleTaskAsync(30);
        Assert.That(_shop.Task.Enabled, Is.True);
        Assert.That(_shop.Task.Seconds, Is.EqualTo(1800));
        Assert.That(_shop.Task.LastEnabledUtc, Is.Not.Null);
    }

    [Test]
    public async Task UpdateScheduleTaskAsync_does_not_write_when_nothing_changes()
    {
        await _instance.SyncService.UpdateScheduleTaskAsync(60);

        _instance.ScheduleTaskService.Verify(service => service.UpdateTaskAsync(It.IsAny<ScheduleTask>()), Times.Never);
    }

    [Test]
    public async Task UpdateScheduleTaskAsync_without_the_task_installed_changes_nothing()
    {
        _instance.ScheduleTaskService.Setup(s => s.GetTaskByTypeAsync(KlarnaDefaults.SyncTask.Type)).ReturnsAsync((ScheduleTask)null);

        await _instance.SyncService.UpdateScheduleTaskAsync(0);
        await _instance.SyncService.UpdateScheduleTaskAsync(15);

        _instance.ScheduleTaskService.Verify(service => service.UpdateTaskAsync(It.IsAny<ScheduleTask>()), Times.Never);
    }

    [Test]
    public async Task UpdateScheduleTaskAsync_disables_an_enabled_task_once_and_leaves_a_disabled_one_alone()
    {
        await _instance.SyncService.UpdateScheduleTaskAsync(0);
        await _instance.SyncService.UpdateScheduleTaskAsync(0);

        Assert.That(_shop.Task.Enabled, Is.False);
        Assert.That(_shop.Task.Seconds, Is.EqualTo(3600), "the period is kept for when it is enabled again");
        _instance.ScheduleTaskService.Verify(service => service.UpdateTaskAsync(_shop.Task), Times.Once);
    }

    [Test]
    public async Task UpdateScheduleTaskAsync_keeps_the_enabling_time_of_a_task_that_stays_enabled()
    {
        var enabledOn = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        _shop.Task.LastEnabledUtc = enabledOn;

        await _instance.SyncService.UpdateScheduleTaskAsync(15);

        Assert.That(_shop.Task.LastEnabledUtc, Is.EqualTo(enabledOn));
    }

    [Test]
    public async Task IsConfiguredAsync_is_false_when_the_interval_is_zero()
    {
        _shop.Settings.SyncIntervalMinutes = 0;
        Assert.That(await _instance.SyncService.IsConfiguredAsync(), Is.False);

        _shop.Settings.SyncIntervalMinutes = 5;
        Assert.That(await _instance.SyncService.IsConfiguredAsync(), Is.True);
    }

    [Test]
    public async Task GetLastRunAsync_is_null_before_the_first_run_and_then_shows_it()
    {
        Assert.That(await _instance.SyncService.GetLastRunAsync(), Is.Null);

        var run = await _instance.SyncService.SyncAsync();

        var last = await _instance.SyncService.GetLastRunAsync();
        Assert.That(last.RunId, Is.EqualTo(run.RunId));
        Assert.That(last.EndedOnUtc, Is.Not.Null);
        Assert.That(last.CheckedCount, Is.Zero);
    }
}

[TestFixture]
public class KlarnaStatusSyncRunRetentionTests
{
    [Test]
    public async Task SyncAsync_reuses_the_oldest_run_row_once_enough_runs_are_kept()
    {
        var shop = new SyncShop();
        await using var instance = new SyncInstance(shop, new Mock<IKlarnaApiClient>().Object, new KlarnaCredentials());

        KlarnaSyncStatus last = null;
        for (var i = 0; i < KlarnaSyncRunLog.KeptRuns + 3; i++)
            last = await instance.SyncService.SyncAsync();

        Assert.That(shop.Runs, Has.Count.EqualTo(KlarnaSyncRunLog.KeptRuns));
        Assert.That((await instance.SyncService.GetLastRunAsync()).RunId, Is.EqualTo(last.RunId));
    }
}
