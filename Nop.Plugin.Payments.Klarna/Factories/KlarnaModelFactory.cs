using System.Globalization;
using Microsoft.AspNetCore.Mvc.Rendering;
using Nop.Core;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Services.Catalog;
using Nop.Services.Configuration;
using Nop.Services.Helpers;
using Nop.Services.Localization;
using Nop.Services.Security;
using Nop.Web.Framework.Mvc.Routing;

namespace Nop.Plugin.Payments.Klarna.Factories;

/// <summary>
/// Prepares the model of the Configure page (the order block: <see cref="KlarnaOrderDetailsModelFactory"/>)
/// </summary>
public class KlarnaModelFactory : IKlarnaModelFactory
{
    #region Fields

    protected readonly IKlarnaStatusSyncService _statusSyncService;
    protected readonly ILocalizationService _localizationService;
    protected readonly INopUrlHelper _nopUrlHelper;
    protected readonly ISettingService _settingService;

    #endregion

    #region Ctor

    public KlarnaModelFactory(ILocalizationService localizationService,
        INopUrlHelper nopUrlHelper,
        ISettingService settingService,
        IKlarnaStatusSyncService statusSyncService)
    {
        _statusSyncService = statusSyncService;
        _localizationService = localizationService;
        _nopUrlHelper = nopUrlHelper;
        _settingService = settingService;
    }

    #endregion

    #region Utilities

    protected virtual async Task<IList<SelectListItem>> EnumItemsAsync<TEnum>(IEnumerable<TEnum> values, int selected) where TEnum : struct, Enum
    {
        var items = new List<SelectListItem>();
        foreach (var value in values)
        {
            var id = Convert.ToInt32(value, CultureInfo.InvariantCulture);
            items.Add(new SelectListItem(await _localizationService.GetLocalizedEnumAsync(value), id.ToString(CultureInfo.InvariantCulture), id == selected));
        }

        return items;
    }

    /// <summary>
    /// Gets the Merchant Portal address of an order: the order page when the merchant id is known, else the portal root
    /// </summary>
    /// <param name="merchantId">Klarna merchant id (MID)</param>
    /// <param name="klarnaOrderId">Klarna order id</param>
    /// <param name="environment">Environment the order was placed in</param>
    /// <returns>Address</returns>
    public static string GetMerchantPortalUrl(string merchantId, string klarnaOrderId, KlarnaEnvironment environment)
    {
        var host = environment == KlarnaEnvironment.Playground ? "https://portal.playground.klarna.com/" : "https://portal.klarna.com/";
        if (string.IsNullOrWhiteSpace(merchantId) || string.IsNullOrWhiteSpace(klarnaOrderId))
            return host;

        return $"{host}orders/merchants/{Uri.EscapeDataString(merchantId.Trim())}/orders/{Uri.EscapeDataString(klarnaOrderId.Trim())}";
    }

    /// <summary>
    /// Gets the merchant id of the credential of a region and environment: the one configured with it, else the one older
    /// API usernames start with (e.g. "K123456_abcd" or "PK12345_abcd")
    /// </summary>
    /// <param name="settings">Settings</param>
    /// <param name="region">Region of the order</param>
    /// <param name="environment">Environment of the order</param>
    /// <returns>Merchant id or null</returns>
    public static string GetMerchantId(KlarnaSettings settings, KlarnaRegion region, KlarnaEnvironment environment)
    {
        var entry = KlarnaSettingsCredentials.Get(region, environment);
        var merchantId = entry?.GetMerchantId(settings);
        if (!string.IsNullOrWhiteSpace(merchantId))
            return merchantId.Trim();

        var username = entry?.GetUsername(settings);
        var match = System.Text.RegularExpressions.Regex.Match(username ?? string.Empty, "^(P?K[0-9]+)_");
        return match.Success ? match.Groups[1].Value : null;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<ConfigurationModel> PrepareConfigurationModelAsync(ConfigurationModel model, KlarnaSettings settings, int storeScope)
    {
        ArgumentNullException.ThrowIfNull(settings);

        var posted = model != null;
        model ??= new ConfigurationModel
        {
            RegionId = (int)settings.Region,
            EnvironmentId = (int)settings.Environment,
            ApiUrlOverride = settings.ApiUrlOverride,
            KlarnaLibraryUrl = settings.KlarnaLibraryUrl,
            RequestTimeoutSeconds = settings.RequestTimeoutSeconds,
            LogDebug = settings.LogDebug,
            OrderStatusAfterAuthorizeId = settings.OrderStatusAfterAuthorizeId,
            OrderStatusFraudPendingId = settings.OrderStatusFraudPendingId,
            OrderStatusAfterCaptureId = settings.OrderStatusAfterCaptureId,
            OrderStatusAfterPartialCaptureId = settings.OrderStatusAfterPartialCaptureId,
            OrderStatusAfterCancelId = settings.OrderStatusAfterCancelId,
            OrderStatusAfterRefundId = settings.OrderStatusAfterRefundId,
            OrderStatusAfterPartialRefundId = settings.OrderStatusAfterPartialRefundId,
            OrderStatusAfterExpiryId = settings.OrderStatusAfterExpiryId,
            OrderStatusFraudStoppedId = settings.OrderStatusFraudStoppedId,
            EnableAutomaticOrderStatusChange = settings.EnableAutomaticOrderStatusChange,
            CaptureUponFulfillmentModeId = (int)settings.CaptureUponFulfillmentMode,
            CaptureOnOrderStatusId = settings.CaptureOnOrderStatusId,
            ShippingCarrierMappings = settings.ShippingCarrierMappings,
            SyncIntervalMinutes = settings.SyncIntervalMinutes,
            SyncConcurrency = settings.SyncConcurrency,
            ExpiryWarningDays = settings.ExpiryWarningDays,
            AutoExtendAuthorization = settings.AutoExtendAuthorization
        };
        model.ActiveStoreScopeConfiguration = storeScope;

        // the status synchronization's last run (shown, never posted)
        model.SyncStatus = await _statusSyncService.GetLastRunAsync();

        // credentials: the stored password never leaves the server, only whether one is stored
        var credentials = new List<CredentialsModel>();
        foreach (var entry in KlarnaSettingsCredentials.All)
        {
            var postedEntry = posted
                ? model.Credentials?.FirstOrDefault(c => c.RegionId == (int)entry.Region && c.EnvironmentId == (int)entry.Environment)
                : null;
            credentials.Add(new CredentialsModel
            {
                RegionId = (int)entry.Region,
                EnvironmentId = (int)entry.Environment,
                Title = $"{await _localizationService.GetLocalizedEnumAsync(entry.Region)}, {await _localizationService.GetLocalizedEnumAsync(entry.Environment)}",
                Username = postedEntry != null ? postedEntry.Username : entry.GetUsername(settings),
                MerchantId = postedEntry != null ? postedEntry.MerchantId : entry.GetMerchantId(settings),
                Password = string.Empty,
                HasPassword = !string.IsNullOrEmpty(entry.GetPassword(settings)),
                OverrideForStore = postedEntry?.OverrideForStore
                    ?? (storeScope > 0 && (await _settingService.SettingExistsAsync(settings, entry.Username, storeScope)
                        || await _settingService.SettingExistsAsync(settings, entry.Password, storeScope)
                        || await _settingService.SettingExistsAsync(settings, entry.MerchantId, storeScope)))
            });
        }
        model.Credentials = credentials;

        model.AvailableRegions = await EnumItemsAsync(Enum.GetValues<KlarnaRegion>(), model.RegionId);
        model.AvailableEnvironments = await EnumItemsAsync(Enum.GetValues<KlarnaEnvironment>(), model.EnvironmentId);
        model.AvailableCaptureModes = await EnumItemsAsync(Enum.GetValues<KlarnaCaptureUponFulfillmentMode>(), model.CaptureUponFulfillmentModeId);
        model.AvailableCaptureOrderStatuses = await EnumItemsAsync(
            Validators.ConfigurationValidator.CaptureOrderStatusIds.Select(id => (OrderStatus)id), model.CaptureOnOrderStatusId);
        model.AvailableOrderStatuses = new List<SelectListItem>
        {
            new(await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.Fields.OrderStatus.Unchanged"), "0")
        };
        foreach (var item in await EnumItemsAsync(Enum.GetValues<OrderStatus>(), -1))
            model.AvailableOrderStatuses.Add(item);

        model.TestConnectionUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.TestConnection);

        if (storeScope > 0 && !posted)
        {
            model.RegionId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.Region, storeScope);
            model.EnvironmentId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.Environment, storeScope);
            model.ApiUrlOverride_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.ApiUrlOverride, storeScope);
            model.KlarnaLibraryUrl_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.KlarnaLibraryUrl, storeScope);
            model.RequestTimeoutSeconds_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.RequestTimeoutSeconds, storeScope);
            model.LogDebug_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.LogDebug, storeScope);
            model.OrderStatusAfterAuthorizeId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusAfterAuthorizeId, storeScope);
            model.OrderStatusFraudPendingId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusFraudPendingId, storeScope);
            model.OrderStatusAfterCaptureId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusAfterCaptureId, storeScope);
            model.OrderStatusAfterPartialCaptureId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusAfterPartialCaptureId, storeScope);
            model.OrderStatusAfterCancelId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusAfterCancelId, storeScope);
            model.OrderStatusAfterRefundId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusAfterRefundId, storeScope);
            model.OrderStatusAfterPartialRefundId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusAfterPartialRefundId, storeScope);
            model.OrderStatusAfterExpiryId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusAfterExpiryId, storeScope);
            model.OrderStatusFraudStoppedId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.OrderStatusFraudStoppedId, storeScope);
            model.EnableAutomaticOrderStatusChange_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.EnableAutomaticOrderStatusChange, storeScope);
            model.CaptureUponFulfillmentModeId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.CaptureUponFulfillmentMode, storeScope);
            model.CaptureOnOrderStatusId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.CaptureOnOrderStatusId, storeScope);
            model.ShippingCarrierMappings_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.ShippingCarrierMappings, storeScope);
            model.SyncIntervalMinutes_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.SyncIntervalMinutes, storeScope);
            model.SyncConcurrency_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.SyncConcurrency, storeScope);
            model.ExpiryWarningDays_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.ExpiryWarningDays, storeScope);
            model.AutoExtendAuthorization_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.AutoExtendAuthorization, storeScope);
        }

        return model;
    }

    #endregion
}
