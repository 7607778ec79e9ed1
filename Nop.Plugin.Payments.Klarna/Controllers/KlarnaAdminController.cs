using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Nop.Core;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Validators;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Messages;
using Nop.Services.Security;
using Nop.Web.Framework;
using Nop.Web.Framework.Controllers;
using Nop.Web.Framework.Mvc.Filters;

namespace Nop.Plugin.Payments.Klarna.Controllers;

/// <summary>
/// The plugin's admin controller: the configuration page (the order block's actions: <see cref="KlarnaOrderAdminController"/>)
/// </summary>
[AuthorizeAdmin]
[Area(AreaNames.ADMIN)]
[AutoValidateAntiforgeryToken]
public class KlarnaAdminController : BasePaymentController
{
    #region Fields

    protected readonly KlarnaConnectionTester _connectionTester;
    protected readonly IKlarnaStatusSyncService _statusSyncService;
    protected readonly IKlarnaModelFactory _klarnaModelFactory;
    protected readonly ILocalizationService _localizationService;
    protected readonly INotificationService _notificationService;
    protected readonly ISettingService _settingService;
    protected readonly IStoreContext _storeContext;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaAdminController(KlarnaConnectionTester connectionTester,
        IKlarnaModelFactory klarnaModelFactory,
        ILocalizationService localizationService,
        INotificationService notificationService,
        ISettingService settingService,
        IStoreContext storeContext,
        IWorkContext workContext,
        IKlarnaStatusSyncService statusSyncService)
    {
        _statusSyncService = statusSyncService;
        _connectionTester = connectionTester;
        _klarnaModelFactory = klarnaModelFactory;
        _localizationService = localizationService;
        _notificationService = notificationService;
        _settingService = settingService;
        _storeContext = storeContext;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Answers a refused "Test connection" (its code and text)
    /// </summary>
    protected virtual async Task<JsonResult> FailAsync(int statusCode, KlarnaRefusalCode code, params object[] args)
    {
        var text = await _localizationService.GetResourceAsync(KlarnaRefusal.ResourceKeyOf(code));
        return new JsonResult(new { success = false, error = args.Length > 0 ? string.Format(text, args) : text, errorCode = code.ToString() }) { StatusCode = statusCode };
    }

    #endregion

    #region Configuration

    [CheckPermission(StandardPermission.Configuration.MANAGE_PAYMENT_METHODS)]
    public virtual async Task<IActionResult> Configure()
    {
        var storeScope = await _storeContext.GetActiveStoreScopeConfigurationAsync();
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(storeScope);
        var model = await _klarnaModelFactory.PrepareConfigurationModelAsync(null, settings, storeScope);

        return View(KlarnaDefaults.ConfigurationViewPath, model);
    }

    [HttpPost]
    [CheckPermission(StandardPermission.Configuration.MANAGE_PAYMENT_METHODS)]
    public virtual async Task<IActionResult> Configure(ConfigurationModel model)
    {
        var storeScope = await _storeContext.GetActiveStoreScopeConfigurationAsync();
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(storeScope);

        // in a store's scope nopCommerce's admin disables (so never posts) the inputs of the settings not overridden for the store
        if (model != null && storeScope > 0)
        {
            foreach (var name in model.KeepStoredValuesNotOverridden(await _klarnaModelFactory.PrepareConfigurationModelAsync(null, settings, storeScope)))
                ModelState.Remove(name);

            //the validator saw only what was posted: the override and the environment the store would have
            if ((model.ApiUrlOverride_OverrideForStore || model.EnvironmentId_OverrideForStore) && !ConfigurationValidator.IsApiUrlOverrideAllowed(model))
                ModelState.AddModelError(nameof(ConfigurationModel.ApiUrlOverride), await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.Validation.ApiUrlOverrideProduction"));
        }

        // nothing is saved while anything is invalid: the page comes back with the admin's values and the messages
        if (model == null || !ModelState.IsValid)
            return View(KlarnaDefaults.ConfigurationViewPath, await _klarnaModelFactory.PrepareConfigurationModelAsync(model ?? new ConfigurationModel(), settings, storeScope));

        settings.Region = (KlarnaRegion)model.RegionId;
        settings.Environment = (KlarnaEnvironment)model.EnvironmentId;
        settings.ApiUrlOverride = model.ApiUrlOverride?.Trim();
        settings.KlarnaLibraryUrl = string.IsNullOrWhiteSpace(model.KlarnaLibraryUrl) ? KlarnaDefaults.KlarnaLibraryUrl : model.KlarnaLibraryUrl.Trim();
        settings.RequestTimeoutSeconds = model.RequestTimeoutSeconds;
        settings.LogDebug = model.LogDebug;
        settings.OrderStatusAfterAuthorizeId = model.OrderStatusAfterAuthorizeId;
        settings.OrderStatusFraudPendingId = model.OrderStatusFraudPendingId;
        settings.OrderStatusAfterCaptureId = model.OrderStatusAfterCaptureId;
        settings.OrderStatusAfterPartialCaptureId = model.OrderStatusAfterPartialCaptureId;
        settings.OrderStatusAfterCancelId = model.OrderStatusAfterCancelId;
        settings.OrderStatusAfterRefundId = model.OrderStatusAfterRefundId;
        settings.OrderStatusAfterPartialRefundId = model.OrderStatusAfterPartialRefundId;
        settings.OrderStatusAfterExpiryId = model.OrderStatusAfterExpiryId;
        settings.OrderStatusFraudStoppedId = model.OrderStatusFraudStoppedId;
        settings.EnableAutomaticOrderStatusChange = model.EnableAutomaticOrderStatusChange;
        settings.CaptureUponFulfillmentMode = (KlarnaCaptureUponFulfillmentMode)model.CaptureUponFulfillmentModeId;
        settings.CaptureOnOrderStatusId = model.CaptureOnOrderStatusId;
        settings.ShippingCarrierMappings = model.ShippingCarrierMappings?.Trim();
        settings.SyncIntervalMinutes = model.SyncIntervalMinutes;
        settings.SyncConcurrency = model.SyncConcurrency;
        settings.ExpiryWarningDays = model.ExpiryWarningDays;
        settings.AutoExtendAuthorization = model.AutoExtendAuthorization;

        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.Region, model.RegionId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.Environment, model.EnvironmentId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.ApiUrlOverride, model.ApiUrlOverride_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.KlarnaLibraryUrl, model.KlarnaLibraryUrl_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.RequestTimeoutSeconds, model.RequestTimeoutSeconds_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.LogDebug, model.LogDebug_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusAfterAuthorizeId, model.OrderStatusAfterAuthorizeId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusFraudPendingId, model.OrderStatusFraudPendingId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusAfterCaptureId, model.OrderStatusAfterCaptureId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusAfterPartialCaptureId, model.OrderStatusAfterPartialCaptureId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusAfterCancelId, model.OrderStatusAfterCancelId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusAfterRefundId, model.OrderStatusAfterRefundId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusAfterPartialRefundId, model.OrderStatusAfterPartialRefundId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusAfterExpiryId, model.OrderStatusAfterExpiryId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.OrderStatusFraudStoppedId, model.OrderStatusFraudStoppedId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.EnableAutomaticOrderStatusChange, model.EnableAutomaticOrderStatusChange_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.CaptureUponFulfillmentMode, model.CaptureUponFulfillmentModeId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.CaptureOnOrderStatusId, model.CaptureOnOrderStatusId_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.ShippingCarrierMappings, model.ShippingCarrierMappings_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.SyncIntervalMinutes, model.SyncIntervalMinutes_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.SyncConcurrency, model.SyncConcurrency_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.ExpiryWarningDays, model.ExpiryWarningDays_OverrideForStore, storeScope, false);
        await _settingService.SaveSettingOverridablePerStoreAsync(settings, s => s.AutoExtendAuthorization, model.AutoExtendAuthorization_OverrideForStore, storeScope, false);

        foreach (var entry in KlarnaSettingsCredentials.All)
        {
            var posted = model.Credentials?.FirstOrDefault(c => c.RegionId == (int)entry.Region && c.EnvironmentId == (int)entry.Environment);
            if (posted == null)
                continue;

            entry.SetUsername(settings, posted.Username?.Trim());
            entry.SetMerchantId(settings, string.IsNullOrWhiteSpace(posted.MerchantId) ? null : posted.MerchantId.Trim());
            if (posted.ClearPassword)
                entry.SetPassword(settings, null);
            else if (!string.IsNullOrEmpty(posted.Password))
                entry.SetPassword(settings, posted.Password);
            // an empty password field keeps the stored password

            await _settingService.SaveSettingOverridablePerStoreAsync(settings, entry.Username, posted.OverrideForStore, storeScope, false);
            await _settingService.SaveSettingOverridablePerStoreAsync(settings, entry.Password, posted.OverrideForStore, storeScope, false);
            await _settingService.SaveSettingOverridablePerStoreAsync(settings, entry.MerchantId, posted.OverrideForStore, storeScope, false);
        }

        await _settingService.ClearCacheAsync();

        // one schedule task serves every store: its period follows the interval saved for all stores
        if (storeScope == 0)
            await _statusSyncService.UpdateScheduleTaskAsync(settings.SyncIntervalMinutes);

        _notificationService.SuccessNotification(await _localizationService.GetResourceAsync("Admin.Plugins.Saved"));

        return await Configure();
    }

    /// <summary>
    /// Asks Klarna whether it accepts the credentials on the page. The stored password is sent only with the saved region,
    /// environment, username and API URL override of the store scope: with anything else typed, the password must be typed
    /// too (nothing is sent), so that neither the page nor a forged post can send the stored secret to another host
    /// </summary>
    [HttpPost]
    [CheckPermission(StandardPermission.Configuration.MANAGE_PAYMENT_METHODS)]
    public virtual async Task<IActionResult> TestConnection(KlarnaTestConnectionModel model)
    {
        if (model == null || !Enum.IsDefined(typeof(KlarnaRegion), model.RegionId) || !Enum.IsDefined(typeof(KlarnaEnvironment), model.EnvironmentId))
            return await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.ConnectionRegionInvalid);

        var region = (KlarnaRegion)model.RegionId;
        var environment = (KlarnaEnvironment)model.EnvironmentId;
        var username = model.Username?.Trim();
        var url = KlarnaApiUrlOverride.Normalize(model.ApiUrlOverride);
        if (url != null && !KlarnaApiUrlOverride.IsWellFormed(url))
            return await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.ConnectionUrlInvalid);

        if (url != null && !KlarnaApiUrlOverride.IsAllowedIn(environment))
            return await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.ConnectionUrlNotForProduction);

        var password = model.Password;
        if (string.IsNullOrEmpty(password))
        {
            var storeScope = await _storeContext.GetActiveStoreScopeConfigurationAsync();
            var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(storeScope);
            var entry = KlarnaSettingsCredentials.Get(region, environment);
            password = entry.GetPassword(settings);
            if (!string.IsNullOrEmpty(password) && (region != settings.Region || environment != settings.Environment
                || !string.Equals(username, entry.GetUsername(settings)?.Trim(), StringComparison.Ordinal)
                || !string.Equals(url, KlarnaApiUrlOverride.Normalize(settings.ApiUrlOverride), StringComparison.Ordinal)))
            {
                return await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.ConnectionPasswordRequired);
            }
        }

        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
            return await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.ConnectionCredentialsMissing);

        var credentials = new KlarnaCredentials
        {
            Username = username,
            Password = password,
            Region = region,
            Environment = environment,
            BaseUrlOverride = url
        };

        var refusal = await _connectionTester.TestAsync(credentials, HttpContext?.RequestAborted ?? default);
        if (refusal != null)
        {
            var text = await _localizationService.GetResourceAsync(KlarnaRefusal.ResourceKeyOf(KlarnaRefusalCode.ConnectionRefused));
            return Json(new
            {
                success = false,
                error = string.Format(text, refusal.ErrorCode ?? refusal.StatusCode.ToString(), string.Join("; ", refusal.ErrorMessages)),
                errorCode = refusal.ErrorCode,
                correlationId = refusal.CorrelationId
            });
        }

        return Json(new { success = true, message = await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.Admin.TestConnection.Success") });
    }

    #endregion
}
