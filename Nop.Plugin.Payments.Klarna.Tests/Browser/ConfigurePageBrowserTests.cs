using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Moq;
using Nop.Core;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support;
using Nop.Plugin.Payments.Klarna.Tests.Browser.Support.NopStandIns;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Plugin.Payments.Klarna.Validators;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Messages;
using Nop.Services.Orders;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser;

/// <summary>
/// The plugin's Configure page as an admin uses it: the real KlarnaAdminController, model factory, validator and view, in the
/// stand-in shop whose tag helpers, editor templates, layout and scripts behave like nopCommerce 4.90's (including their
/// exceptions), against a setting service with nopCommerce's multi-store semantics. Any server error fails the test.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ConfigurePageBrowserTests
{
    private HeadlessChromium _chromium;
    private NopShopHost _shop;
    private InMemorySettingService _settings;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_chromium != null)
            await _chromium.DisposeAsync();
    }

    [SetUp]
    public async Task StartShopAsync()
    {
        // a shop selling in two regions, a store-specific merchant id for store 1
        _settings = new InMemorySettingService();
        await _settings.SaveSettingAsync(new KlarnaSettings
        {
            Region = KlarnaRegion.NorthAmerica,
            EuropePlaygroundUsername = "PK0001_eu_playground",
            EuropePlaygroundPassword = "eu-secret",
            NorthAmericaProductionUsername = "K0002_na_production",
            NorthAmericaProductionPassword = "na-secret",
            OceaniaPlaygroundUsername = "PK0003_oc_playground",
            NorthAmericaProductionMerchantId = "M0002",
            NotificationSecret = "notification-secret"
        });
        await _settings.SaveSettingAsync(new KlarnaSettings { EuropePlaygroundMerchantId = "M0001STORE1" }, s => s.EuropePlaygroundMerchantId, 1);

        var admin = new AdminTestContext(null);
        var storeContext = new Mock<IStoreContext>();
        storeContext.Setup(s => s.GetActiveStoreScopeConfigurationAsync()).ReturnsAsync(() => _shop.State.StoreScope);
        _shop = await NopShopHost.StartAsync(new NopShopOptions(), services =>
        {
            services.AddSingleton<ISettingService>(_settings);
            services.AddSingleton<IKlarnaApiClient>(admin.Harness.Klarna);
            services.AddScoped<KlarnaConnectionTester>();
            services.AddSingleton(admin.Localization.Object);
            services.AddSingleton(admin.Notifications.Object);
            services.AddSingleton(admin.Harness.OrderService.Object);
            services.AddSingleton(storeContext.Object);
            services.AddSingleton(admin.WorkContext.Object);
            services.AddSingleton(admin.StatusSync.Object);
            services.AddSingleton<IKlarnaModelFactory>(new KlarnaModelFactory(admin.Localization.Object, admin.UrlHelper.Object, _settings, admin.StatusSync.Object));
            services.AddSingleton<IValidator<ConfigurationModel>>(new ConfigurationValidator(admin.Localization.Object));
        });
    }

    [TearDown]
    public async Task StopShopAsync()
    {
        await _shop.DisposeAsync();
    }

    private async Task<(IPage Page, System.Collections.Concurrent.ConcurrentQueue<string> Problems)> OpenConfigureAsync()
    {
        var (page, problems, _) = await _chromium.OpenPageAsync();
        var response = await page.GotoAsync(_shop.BaseUrl + "/Admin/Klarna/Configure");
        Assert.That(response!.Status, Is.EqualTo(200), string.Join(Environment.NewLine, _shop.State.ServerErrors));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return (page, problems);
    }

    private async Task SaveAsync(IPage page)
    {
        await page.ClickAsync("button[name=save]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    private static async Task<string[]> ValidationErrorsAsync(IPage page) =>
        (await page.Locator(".validation-summary-errors li").AllTextContentsAsync()).Where(text => !string.IsNullOrWhiteSpace(text)).ToArray();

    private void AssertNoServerError(IEnumerable<string> problems)
    {
        Assert.That(_shop.State.ServerErrors.Select(e => e.ToString()), Is.Empty);
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task In_the_all_stores_scope_the_page_shows_every_region_and_saves_the_connection()
    {
        // Act
        var (page, problems) = await OpenConfigureAsync();

        // Assert: the page as nopCommerce renders it: select2 dropdowns, no store overrides, every label a resource
        AssertNoServerError(problems);
        Assert.That(await page.Locator("#RegionId + .select2-container").CountAsync(), Is.EqualTo(1));
        Assert.That(await page.InputValueAsync("#RegionId"), Is.EqualTo(((int)KlarnaRegion.NorthAmerica).ToString()));
        Assert.That(await page.Locator(".multi-store-override-option").CountAsync(), Is.Zero);
        Assert.That(await page.Locator(".label-wrapper label").AllTextContentsAsync(), Has.None.Contains("Plugins.Payments.Klarna"));
        Assert.That(await page.Locator(".klarna-credentials").CountAsync(), Is.EqualTo(6));
        Assert.That(await page.InputValueAsync("#Credentials_3__Username"), Is.EqualTo("K0002_na_production"));
        Assert.That(await page.Locator("#Credentials_3__Username").GetAttributeAsync("autocomplete"), Is.EqualTo("off"));
        Assert.That(await page.Locator("input[type=password]").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)"), Has.All.Empty);
        Assert.That(await page.ContentAsync(), Does.Not.Contain("na-secret").And.Not.Contain("eu-secret"));

        // Act: point the shop at a sandbox
        await page.FillAsync("#ApiUrlOverride", "http://127.0.0.1:5099/");
        await page.FillAsync("#KlarnaLibraryUrl", "http://127.0.0.1:5099/kp/lib/v1/api.js");
        await page.FillAsync("#Credentials_1__Username", "K0001_eu_production");
        await SaveAsync(page);

        // Assert
        AssertNoServerError(problems);
        Assert.That(await ValidationErrorsAsync(page), Is.Empty);
        var saved = await _settings.LoadSettingAsync<KlarnaSettings>();
        Assert.That(saved.ApiUrlOverride, Is.EqualTo("http://127.0.0.1:5099/"));
        Assert.That(saved.KlarnaLibraryUrl, Is.EqualTo("http://127.0.0.1:5099/kp/lib/v1/api.js"));
        Assert.That(saved.EuropeProductionUsername, Is.EqualTo("K0001_eu_production"));
        Assert.That(saved.NorthAmericaProductionPassword, Is.EqualTo("na-secret"));
        Assert.That(saved.Region, Is.EqualTo(KlarnaRegion.NorthAmerica));
        Assert.That(await page.InputValueAsync("#KlarnaLibraryUrl"), Is.EqualTo("http://127.0.0.1:5099/kp/lib/v1/api.js"));
    }

    [Test]
    public async Task In_the_all_stores_scope_a_library_url_that_is_not_https_is_refused_with_a_message()
    {
        // Arrange
        var (page, problems) = await OpenConfigureAsync();

        // Act
        await page.FillAsync("#KlarnaLibraryUrl", "http://cdn.example.com/kp/lib/v1/api.js");
        await SaveAsync(page);

        // Assert
        AssertNoServerError(problems);
        Assert.That(await ValidationErrorsAsync(page), Is.EqualTo(new[] { HarnessResources.Get("Plugins.Payments.Klarna.Validation.KlarnaLibraryUrl") }));
        Assert.That((await _settings.LoadSettingAsync<KlarnaSettings>()).KlarnaLibraryUrl, Is.EqualTo(KlarnaDefaults.KlarnaLibraryUrl));
    }

    [Test]
    public async Task In_a_stores_scope_only_the_overridden_settings_are_posted_and_saved_for_the_store()
    {
        // Arrange: the admin switches to the first store
        _shop.State.StoreScope = 1;
        var (page, problems) = await OpenConfigureAsync();

        // Assert: one override box per setting (one per region x environment for the credentials); what is not overridden is disabled
        AssertNoServerError(problems);
        Assert.That(await page.Locator(".multi-store-override-option").CountAsync(), Is.EqualTo(23 + 6));
        Assert.That(await page.InputValueAsync("#Credentials_0__MerchantId"), Is.EqualTo("M0001STORE1"), "the credential's merchant id of the store");
        Assert.That(await page.IsEnabledAsync("#RequestTimeoutSeconds"), Is.False);
        Assert.That(await page.IsEnabledAsync("#KlarnaLibraryUrl"), Is.False);
        Assert.That(await page.IsEnabledAsync("#Credentials_0__Username"), Is.False);
        Assert.That(await page.IsEnabledAsync("#Credentials_0__Password"), Is.False);

        // Act: the store gets its own sandbox connection; nothing else is overridden
        await page.CheckAsync("#ApiUrlOverride_OverrideForStore");
        await page.FillAsync("#ApiUrlOverride", "http://127.0.0.1:5099/");
        await page.CheckAsync("#KlarnaLibraryUrl_OverrideForStore");
        await page.FillAsync("#KlarnaLibraryUrl", "http://127.0.0.1:5099/kp/lib/v1/api.js");
        await SaveAsync(page);

        // Assert: saved for the store only; the disabled (not posted) settings kept their values for all stores
        AssertNoServerError(problems);
        Assert.That(await ValidationErrorsAsync(page), Is.Empty);
        Assert.That(_settings.Get("KlarnaSettings.ApiUrlOverride", 1), Is.EqualTo("http://127.0.0.1:5099/"));
        Assert.That(_settings.Get("KlarnaSettings.KlarnaLibraryUrl", 1), Is.EqualTo("http://127.0.0.1:5099/kp/lib/v1/api.js"));
        Assert.That(_settings.Has("KlarnaSettings.RequestTimeoutSeconds", 1), Is.False);
        Assert.That(_settings.Has("KlarnaSettings.EuropePlaygroundPassword", 1), Is.False);
        Assert.That(_settings.Has("KlarnaSettings.EuropeProductionUsername", 1), Is.False);
        var allStores = await _settings.LoadSettingAsync<KlarnaSettings>();
        Assert.That(allStores.ApiUrlOverride, Is.Null);
        Assert.That(allStores.RequestTimeoutSeconds, Is.EqualTo(30));
        Assert.That(allStores.EuropePlaygroundPassword, Is.EqualTo("eu-secret"));
        Assert.That(allStores.Region, Is.EqualTo(KlarnaRegion.NorthAmerica));
        Assert.That(await page.IsCheckedAsync("#ApiUrlOverride_OverrideForStore"), Is.True);
        Assert.That(await page.IsEnabledAsync("#RequestTimeoutSeconds"), Is.False);
    }
}
