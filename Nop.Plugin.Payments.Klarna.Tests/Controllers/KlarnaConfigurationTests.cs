using System.Linq.Expressions;
using Microsoft.AspNetCore.Mvc;
using Moq;
using NUnit.Framework;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Admin.Support;
using Nop.Plugin.Payments.Klarna.Validators;

namespace Nop.Plugin.Payments.Klarna.Tests.Admin;

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
        model.MerchantId = " M999 ";
        model.OrderStatusAfterCaptureId = 0;

        await _context.Controller.Configure(model);

        var settings = _context.Harness.Settings;
        Assert.That(settings.EuropeProductionPassword, Is.EqualTo("stored-live-secret"));
        Assert.That(settings.NorthAmericaPlaygroundUsername, Is.EqualTo("na_user"));
        Assert.That(settings.NorthAmericaPlaygroundPassword, Is.EqualTo("na-secret"));
        Assert.That(settings.MerchantId, Is.EqualTo("M999"));
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

[TestFixture]
public class ConfigurationValidatorTests
{
    private ConfigurationValidator _validator;

    [SetUp]
    public void SetUp()
    {
        _validator = new ConfigurationValidator(new AdminTestContext(null).Localization.Object);
    }

    private static ConfigurationModel Valid() => new()
    {
        RegionId = 0, EnvironmentId = 0, RequestTimeoutSeconds = 30, SyncIntervalMinutes = 60, SyncConcurrency = 4, ExpiryWarningDays = 3,
        OrderStatusAfterAuthorizeId = 20, OrderStatusFraudPendingId = 10, OrderStatusAfterCaptureId = 30, OrderStatusAfterPartialCaptureId = 20,
        OrderStatusAfterCancelId = 40, OrderStatusAfterRefundId = 40, OrderStatusAfterPartialRefundId = 0, OrderStatusAfterExpiryId = 40,
        CaptureUponFulfillmentModeId = 0, CaptureOnOrderStatusId = 30, MerchantId = "M12345", ApiUrlOverride = "http://127.0.0.1:5099/",
        Credentials = new List<CredentialsModel> { new() { RegionId = 0, EnvironmentId = 0, Username = "user" } }
    };

    [Test]
    public void A_valid_model_passes()
    {
        var result = _validator.Validate(Valid());

        Assert.That(result.IsValid, Is.True, string.Join("; ", result.Errors));
    }

    private static IEnumerable<TestCaseData> InvalidModels()
    {
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.RegionId = 9)).SetName("unknown region");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.EnvironmentId = 5)).SetName("unknown environment");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.RequestTimeoutSeconds = 0)).SetName("timeout zero");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.RequestTimeoutSeconds = 301)).SetName("timeout too long");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.ApiUrlOverride = "not a url")).SetName("api url not absolute");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.ApiUrlOverride = "ftp://host/")).SetName("api url not http");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.MerchantId = "M 1<script>")).SetName("merchant id characters");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.OrderStatusAfterCaptureId = 99)).SetName("unknown mapped status");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.CaptureUponFulfillmentModeId = 3)).SetName("unknown capture mode");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => { m.CaptureUponFulfillmentModeId = 10; m.CaptureOnOrderStatusId = 40; })).SetName("capture on cancelled");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.SyncIntervalMinutes = 1)).SetName("sync interval too short");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.SyncConcurrency = 0)).SetName("sync concurrency zero");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.ExpiryWarningDays = -1)).SetName("negative expiry warning");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.Credentials[0].Username = " padded ")).SetName("username with spaces");
        yield return new TestCaseData(new Action<ConfigurationModel>(m => m.Credentials[0].RegionId = 7)).SetName("credentials of unknown region");
    }

    [TestCaseSource(nameof(InvalidModels))]
    public void An_invalid_value_is_refused_with_a_message(Action<ConfigurationModel> change)
    {
        var model = Valid();
        change(model);

        var result = _validator.Validate(model);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Select(e => e.ErrorMessage), Has.All.Not.Empty.And.All.Not.StartWith("Plugins."));
    }

    [Test]
    public void Every_mapped_status_may_be_leave_unchanged()
    {
        var model = Valid();
        model.OrderStatusAfterAuthorizeId = model.OrderStatusFraudPendingId = model.OrderStatusAfterCaptureId = model.OrderStatusAfterPartialCaptureId =
            model.OrderStatusAfterCancelId = model.OrderStatusAfterRefundId = model.OrderStatusAfterPartialRefundId = model.OrderStatusAfterExpiryId = 0;

        Assert.That(_validator.Validate(model).IsValid, Is.True);
    }
}

[TestFixture]
public class KlarnaAmountInputTests
{
    [TestCase("12.50", "EUR", 1250)]
    [TestCase("12.5", "EUR", 1250)]
    [TestCase("12", "EUR", 1200)]
    [TestCase(" 0.01 ", "EUR", 1)]
    [TestCase("1234", "JPY", 1234)]
    [TestCase("1.234", "KWD", 1234)]
    [TestCase("999999999.99", "EUR", 99999999999)]
    public void Valid_amounts_convert_to_minor_units(string text, string currency, long expected)
    {
        Assert.That(KlarnaAmountInput.TryParse(text, currency, out var minor, out var error), Is.True, error);
        Assert.That(minor, Is.EqualTo(expected));
    }

    [TestCase(null, "EUR")]
    [TestCase("", "EUR")]
    [TestCase("-1", "EUR")]
    [TestCase("0", "EUR")]
    [TestCase("0.001", "EUR")]
    [TestCase("1.5", "JPY")]
    [TestCase("1.234,56", "EUR")]
    [TestCase("1,234.56", "EUR")]
    [TestCase("1,5", "EUR")]
    [TestCase("١٢", "EUR")]
    [TestCase("12.", "EUR")]
    [TestCase(".5", "EUR")]
    [TestCase("NaN", "EUR")]
    [TestCase("1e2", "EUR")]
    [TestCase("1234567890123456", "EUR")]
    public void Invalid_amounts_are_refused(string text, string currency)
    {
        Assert.That(KlarnaAmountInput.TryParse(text, currency, out var minor, out var error), Is.False);
        Assert.That(minor, Is.Zero);
        Assert.That(error, Does.StartWith("Plugins.Payments.Klarna.Admin.Error."));
    }
}
