using System.Linq.Expressions;
using Microsoft.AspNetCore.Mvc;
using Moq;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Controllers;

[TestFixture]
public class KlarnaConfigurationTests
{
    private AdminTestContext _context;

    [SetUp]
    public void SetUp()
    {
        _context = new AdminTestContext(null);
        _context.Harness.Settings.EuropeProductionUsername = "K123456_live";
        _context.Harness.Settings.EuropeProductionPassword = "stored-live-secret";
    }

    private async Task<ConfigurationModel> GetModelAsync()
    {
        var result = await _context.Controller.Configure() as ViewResult;
        Assert.That(result?.ViewName, Is.EqualTo(KlarnaDefaults.ConfigurationViewPath));
        return (ConfigurationModel)result.Model;
    }

    [Test]
    public async Task Configure_never_sends_a_stored_password_to_the_browser()
    {
        var model = await GetModelAsync();

        Assert.That(model.Credentials, Has.Count.EqualTo(6));
        Assert.That(model.Credentials.Select(c => c.Password), Is.All.Empty);
        var live = model.Credentials.Single(c => c.RegionId == (int)KlarnaRegion.Europe && c.EnvironmentId == (int)KlarnaEnvironment.Production);
        Assert.That(live.Username, Is.EqualTo("K123456_live"));
        Assert.That(live.HasPassword, Is.True);
        Assert.That(model.Credentials.Single(c => c.RegionId == (int)KlarnaRegion.Oceania && c.EnvironmentId == (int)KlarnaEnvironment.Production).HasPassword, Is.False);
    }

    [Test]
    public async Task Configure_offers_leave_unchanged_and_every_order_status_for_the_mapping()
    {
        var model = await GetModelAsync();

        Assert.That(model.AvailableOrderStatuses.Select(i => i.Value), Is.EqualTo(new[] { "0", "10", "20", "30", "40" }));
        Assert.That(model.AvailableOrderStatuses[0].Text, Is.EqualTo("Leave unchanged"));
        Assert.That(model.AvailableCaptureModes.Select(i => i.Value), Is.EqualTo(new[] { "0", "10", "20" }));
        Assert.That(model.EnableAutomaticOrderStatusChange, Is.True);
    }

    [Test]
    public async Task Saving_with_an_empty_password_keeps_the_stored_one_and_a_new_one_replaces_it()
    {
        var model = await GetModelAsync();
        model.Credentials.Single(c => c.RegionId == (int)KlarnaRegion.Europe && c.EnvironmentId == (int)KlarnaEnvironment.Production).Password = "";
        var na = model.Credentials.Single(c => c.RegionId == (int)KlarnaRegion.NorthAmerica && c.EnvironmentId == (int)KlarnaEnvironment.Playground);
        na.Username = "na_user";
        na.Password = "na-secret";
        na.MerchantId = " M999 ";
        model.OrderStatusAfterCaptureId = 0;

        await _context.Controller.Configure(model);

        var settings = _context.Harness.Settings;
        Assert.That(settings.EuropeProductionPassword, Is.EqualTo("stored-live-secret"));
        Assert.That(settings.NorthAmericaPlaygroundUsername, Is.EqualTo("na_user"));
        Assert.That(settings.NorthAmericaPlaygroundPassword, Is.EqualTo("na-secret"));
        Assert.That(settings.NorthAmericaPlaygroundMerchantId, Is.EqualTo("M999"));
        Assert.That(settings.EuropeProductionMerchantId, Is.Null, "each credential has its own");
        Assert.That(settings.OrderStatusAfterCaptureId, Is.Zero);
        _context.Harness.SettingService.Verify(s => s.SaveSettingOverridablePerStoreAsync(settings,
            It.IsAny<Expression<Func<KlarnaSettings, string>>>(), false, 0, false), Times.AtLeast(12));
        _context.Harness.SettingService.Verify(s => s.ClearCacheAsync(), Times.Once);
    }

    [Test]
    public async Task Clear_password_removes_the_stored_password()
    {
        var model = await GetModelAsync();
        model.Credentials.Single(c => c.RegionId == (int)KlarnaRegion.Europe && c.EnvironmentId == (int)KlarnaEnvironment.Production).ClearPassword = true;

        await _context.Controller.Configure(model);

        Assert.That(_context.Harness.Settings.EuropeProductionPassword, Is.Null);
    }

    [Test]
    public async Task Nothing_is_saved_when_the_model_is_invalid()
    {
        var model = await GetModelAsync();
        model.RequestTimeoutSeconds = 0;
        _context.Controller.ModelState.AddModelError(nameof(model.RequestTimeoutSeconds), "invalid");

        var result = await _context.Controller.Configure(model) as ViewResult;

        Assert.That(((ConfigurationModel)result!.Model).RequestTimeoutSeconds, Is.Zero, "the admin's values come back");
        _context.Harness.SettingService.Verify(s => s.SaveSettingOverridablePerStoreAsync(It.IsAny<KlarnaSettings>(),
            It.IsAny<Expression<Func<KlarnaSettings, int>>>(), It.IsAny<bool>(), It.IsAny<int>(), It.IsAny<bool>()), Times.Never);
        _context.Harness.SettingService.Verify(s => s.SaveSettingOverridablePerStoreAsync(It.IsAny<KlarnaSettings>(),
            It.IsAny<Expression<Func<KlarnaSettings, string>>>(), It.IsAny<bool>(), It.IsAny<int>(), It.IsAny<bool>()), Times.Never);
        Assert.That(_context.Harness.Settings.RequestTimeoutSeconds, Is.EqualTo(30));
    }

    [Test]
    public async Task Store_scope_saves_with_the_override_flags()
    {
        _context.StoreScope = 2;
        var model = await GetModelAsync();
        model.LogDebug = true;
        model.LogDebug_OverrideForStore = true;

        await _context.Controller.Configure(model);

        _context.Harness.SettingService.Verify(s => s.SaveSettingOverridablePerStoreAsync(It.IsAny<KlarnaSettings>(),
            It.Is<Expression<Func<KlarnaSettings, bool>>>(e => e.ToString().Contains("LogDebug")), true, 2, false), Times.Once);
    }

    [Test]
    public async Task Store_scope_refuses_an_api_url_override_for_a_store_in_production_and_saves_nothing()
    {
        // Arrange: the store inherits production; the admin overrides only the URL for the store (the environment is not
        // posted, so the validator saw the model's default environment)
        _context.Harness.Settings.Environment = KlarnaEnvironment.Production;
        _context.StoreScope = 2;
        var model = await GetModelAsync();
        model.ApiUrlOverride = "http://127.0.0.1:5099/";
        model.ApiUrlOverride_OverrideForStore = true;
        model.EnvironmentId = 0;
        model.EnvironmentId_OverrideForStore = false;

        // Act
        var result = await _context.Controller.Configure(model) as ViewResult;

        // Assert
        Assert.That(result?.ViewName, Is.EqualTo(KlarnaDefaults.ConfigurationViewPath));
        Assert.That(_context.Controller.ModelState[nameof(ConfigurationModel.ApiUrlOverride)]?.Errors.Select(e => e.ErrorMessage),
            Is.EqualTo(new[] { "The API URL override is for the playground only: leave it empty in production (a live shop always talks to Klarna)." }));
        _context.Harness.SettingService.Verify(s => s.SaveSettingOverridablePerStoreAsync(It.IsAny<KlarnaSettings>(),
            It.IsAny<Expression<Func<KlarnaSettings, string>>>(), It.IsAny<bool>(), It.IsAny<int>(), It.IsAny<bool>()), Times.Never);
    }

    [Test]
    public async Task Store_scope_saves_an_api_url_override_for_a_store_in_the_playground()
    {
        _context.StoreScope = 2;
        var model = await GetModelAsync();
        model.ApiUrlOverride = "http://127.0.0.1:5099/";
        model.ApiUrlOverride_OverrideForStore = true;

        await _context.Controller.Configure(model);

        Assert.That(_context.Controller.ModelState.IsValid, Is.True);
        _context.Harness.SettingService.Verify(s => s.SaveSettingOverridablePerStoreAsync(It.IsAny<KlarnaSettings>(),
            It.Is<Expression<Func<KlarnaSettings, string>>>(e => e.ToString().Contains("ApiUrlOverride")), true, 2, false), Times.Once);
    }

    [Test]
    public async Task Configure_shows_the_last_status_sync_run()
    {
        var run = new KlarnaSyncStatus { StartedOnUtc = DateTime.UtcNow.AddMinutes(-5), EndedOnUtc = DateTime.UtcNow, CheckedCount = 12, FailedCount = 1 };
        _context.StatusSync.Setup(s => s.GetLastRunAsync()).ReturnsAsync(run);

        var model = await GetModelAsync();

        Assert.That(model.SyncStatus, Is.SameAs(run));
    }

    [Test]
    public async Task Saving_for_all_stores_updates_the_sync_schedule_and_a_store_scope_does_not()
    {
        var model = await GetModelAsync();
        model.SyncIntervalMinutes = 15;

        await _context.Controller.Configure(model);

        _context.StatusSync.Verify(s => s.UpdateScheduleTaskAsync(15), Times.Once);

        _context.StoreScope = 2;
        model = await GetModelAsync();
        model.SyncIntervalMinutes = 5;
        await _context.Controller.Configure(model);

        _context.StatusSync.Verify(s => s.UpdateScheduleTaskAsync(5), Times.Never);
    }
}
