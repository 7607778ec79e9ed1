using Microsoft.AspNetCore.Http;
using Nop.Core.Domain.Cms;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.ScheduleTasks;
using Nop.Plugin.Payments.Klarna.Components;
using Nop.Plugin.Payments.Klarna.Data;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Services.Cms;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Payments;
using Nop.Services.Plugins;
using Nop.Services.ScheduleTasks;
using Nop.Web.Framework.Infrastructure;
using Nop.Web.Framework.Mvc.Routing;

namespace Nop.Plugin.Payments.Klarna;

/// <summary>
/// Represents the Klarna payment method. Thin: it maps nopCommerce's requests to the plugin's services.
/// </summary>
public class KlarnaPaymentMethod : BasePlugin, IPaymentMethod, IWidgetPlugin
{
    #region Fields

    protected readonly IKlarnaCheckoutService _checkoutService;
    protected readonly IKlarnaNopPaymentOperations _nopPaymentOperations;
    protected readonly ILocalizationService _localizationService;
    protected readonly INopUrlHelper _nopUrlHelper;
    protected readonly IScheduleTaskService _scheduleTaskService;
    protected readonly ISettingService _settingService;
    protected readonly PaymentSettings _paymentSettings;
    protected readonly WidgetSettings _widgetSettings;

    #endregion

    #region Ctor

    public KlarnaPaymentMethod(IKlarnaCheckoutService checkoutService,
        IKlarnaNopPaymentOperations nopPaymentOperations,
        ILocalizationService localizationService,
        INopUrlHelper nopUrlHelper,
        IScheduleTaskService scheduleTaskService,
        ISettingService settingService,
        PaymentSettings paymentSettings,
        WidgetSettings widgetSettings)
    {
        _checkoutService = checkoutService;
        _nopPaymentOperations = nopPaymentOperations;
        _localizationService = localizationService;
        _nopUrlHelper = nopUrlHelper;
        _scheduleTaskService = scheduleTaskService;
        _settingService = settingService;
        _paymentSettings = paymentSettings;
        _widgetSettings = widgetSettings;
    }

    #endregion

    #region Methods

    #region Checkout

    /// <inheritdoc />
    public Task<bool> HidePaymentMethodAsync(IList<ShoppingCartItem> cart) => _checkoutService.HidePaymentMethodAsync(cart);

    /// <inheritdoc />
    public Task<decimal> GetAdditionalHandlingFeeAsync(IList<ShoppingCartItem> cart) => Task.FromResult(decimal.Zero);

    /// <inheritdoc />
    public Task<IList<string>> ValidatePaymentFormAsync(IFormCollection form) => _checkoutService.ValidatePaymentFormAsync(form);

    /// <inheritdoc />
    public Task<ProcessPaymentRequest> GetPaymentInfoAsync(IFormCollection form) => _checkoutService.GetPaymentInfoAsync(form);

    /// <inheritdoc />
    public Task<ProcessPaymentResult> ProcessPaymentAsync(ProcessPaymentRequest processPaymentRequest) =>
        _checkoutService.ProcessPaymentAsync(processPaymentRequest);

    /// <inheritdoc />
    public Task PostProcessPaymentAsync(PostProcessPaymentRequest postProcessPaymentRequest) =>
        _checkoutService.PostProcessPaymentAsync(postProcessPaymentRequest);

    /// <inheritdoc />
    public Task<bool> CanRePostProcessPaymentAsync(Order order) => Task.FromResult(false);

    /// <inheritdoc />
    public Type GetPublicViewComponent() => typeof(KlarnaPaymentInfoViewComponent);

    /// <inheritdoc />
    public async Task<string> GetPaymentMethodDescriptionAsync() =>
        await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.PaymentMethodDescription");

    #endregion

    #region Order management (nopCommerce's own buttons)

    /// <inheritdoc />
    public Task<CapturePaymentResult> CaptureAsync(CapturePaymentRequest capturePaymentRequest) =>
        _nopPaymentOperations.CaptureAsync(capturePaymentRequest);

    /// <inheritdoc />
    public Task<RefundPaymentResult> RefundAsync(RefundPaymentRequest refundPaymentRequest) =>
        _nopPaymentOperations.RefundAsync(refundPaymentRequest);

    /// <inheritdoc />
    public Task<VoidPaymentResult> VoidAsync(VoidPaymentRequest voidPaymentRequest) =>
        _nopPaymentOperations.VoidAsync(voidPaymentRequest);

    /// <inheritdoc />
    public async Task<ProcessPaymentResult> ProcessRecurringPaymentAsync(ProcessPaymentRequest processPaymentRequest)
    {
        var result = new ProcessPaymentResult();
        result.AddError(await _localizationService.GetResourceAsync(KlarnaRefusal.ResourceKeyOf(KlarnaRefusalCode.RecurringNotSupported)));
        return result;
    }

    /// <inheritdoc />
    public async Task<CancelRecurringPaymentResult> CancelRecurringPaymentAsync(CancelRecurringPaymentRequest cancelPaymentRequest)
    {
        var result = new CancelRecurringPaymentResult();
        result.AddError(await _localizationService.GetResourceAsync(KlarnaRefusal.ResourceKeyOf(KlarnaRefusalCode.RecurringNotSupported)));
        return result;
    }

    #endregion

    #region Widgets

    /// <inheritdoc />
    public Task<IList<string>> GetWidgetZonesAsync() =>
        Task.FromResult<IList<string>>(new List<string>
        {
            AdminWidgetZones.OrderDetailsBlock,
            PublicWidgetZones.OpcContentBefore,
            PublicWidgetZones.CheckoutPaymentInfoTop,
            PublicWidgetZones.CheckoutConfirmTop,
            PublicWidgetZones.OpCheckoutConfirmTop
        });

    /// <inheritdoc />
    public Type GetWidgetViewComponent(string widgetZone)
    {
        ArgumentNullException.ThrowIfNull(widgetZone);

        if (widgetZone.Equals(AdminWidgetZones.OrderDetailsBlock, StringComparison.InvariantCultureIgnoreCase))
            return typeof(KlarnaOrderDetailsViewComponent);

        // the checkout pages load Klarna's library and the plugin's script (one-page checkout, multi-step payment info)
        if (widgetZone.Equals(PublicWidgetZones.OpcContentBefore, StringComparison.InvariantCultureIgnoreCase)
            || widgetZone.Equals(PublicWidgetZones.CheckoutPaymentInfoTop, StringComparison.InvariantCultureIgnoreCase))
            return typeof(KlarnaCheckoutScriptsViewComponent);

        // the confirm step finalizes Klarna's authorization where it waits for finalize() (multi-step page: with the scripts)
        if (widgetZone.Equals(PublicWidgetZones.CheckoutConfirmTop, StringComparison.InvariantCultureIgnoreCase)
            || widgetZone.Equals(PublicWidgetZones.OpCheckoutConfirmTop, StringComparison.InvariantCultureIgnoreCase))
            return typeof(KlarnaConfirmOrderViewComponent);

        return null;
    }

    #endregion

    #region Plugin life cycle

    /// <inheritdoc />
    public override string GetConfigurationPageUrl() => _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Configuration);

    /// <inheritdoc />
    public override async Task InstallAsync()
    {
        await _settingService.SaveSettingAsync(new KlarnaSettings
        {
            NotificationSecret = Guid.NewGuid().ToString("N")
        });

        if (!_paymentSettings.ActivePaymentMethodSystemNames.Contains(KlarnaDefaults.SystemName))
        {
            _paymentSettings.ActivePaymentMethodSystemNames.Add(KlarnaDefaults.SystemName);
            await _settingService.SaveSettingAsync(_paymentSettings);
        }

        if (!_widgetSettings.ActiveWidgetSystemNames.Contains(KlarnaDefaults.SystemName))
        {
            _widgetSettings.ActiveWidgetSystemNames.Add(KlarnaDefaults.SystemName);
            await _settingService.SaveSettingAsync(_widgetSettings);
        }

        await KlarnaPluginSetup.EnsureSyncTaskAsync(_scheduleTaskService);

        await _localizationService.AddOrUpdateLocaleResourceAsync(KlarnaLocaleResources.GetAll());

        await base.InstallAsync();
    }

    /// <summary>
    /// Updates an installed shop to this version (nopCommerce calls it when plugin.json's version changed, after the
    /// plugin's update migrations): the status synchronization's schedule task gets this version's type, the settings
    /// this version added get their defaults where the shop has none
    /// </summary>
    /// <param name="currentVersion">The installed version</param>
    /// <param name="targetVersion">This version</param>
    public override async Task UpdateAsync(string currentVersion, string targetVersion)
    {
        await KlarnaPluginSetup.EnsureSyncTaskAsync(_scheduleTaskService);
        await KlarnaPluginSetup.AddMissingSettingsAsync(_settingService);

        // nopCommerce's BasePlugin.UpdateAsync does nothing: not called
    }

    /// <inheritdoc />
    public override async Task UninstallAsync()
    {
        if (_paymentSettings.ActivePaymentMethodSystemNames.Remove(KlarnaDefaults.SystemName))
            await _settingService.SaveSettingAsync(_paymentSettings);

        if (_widgetSettings.ActiveWidgetSystemNames.Remove(KlarnaDefaults.SystemName))
            await _settingService.SaveSettingAsync(_widgetSettings);

        await _settingService.DeleteSettingAsync<KlarnaSettings>();

        if (await _scheduleTaskService.GetTaskByTypeAsync(KlarnaDefaults.SyncTask.Type) is ScheduleTask task)
            await _scheduleTaskService.DeleteTaskAsync(task);

        await _localizationService.DeleteLocaleResourcesAsync(KlarnaDefaults.Locale.Prefix);
        await _localizationService.DeleteLocaleResourcesAsync(KlarnaDefaults.Locale.EnumPrefix);

        await base.UninstallAsync();
    }

    #endregion

    #endregion

    #region Properties

    /// <inheritdoc />
    public bool SupportCapture => true;

    /// <inheritdoc />
    public bool SupportPartiallyRefund => true;

    /// <inheritdoc />
    public bool SupportRefund => true;

    /// <inheritdoc />
    public bool SupportVoid => true;

    /// <inheritdoc />
    public RecurringPaymentType RecurringPaymentType => RecurringPaymentType.NotSupported;

    /// <inheritdoc />
    public PaymentMethodType PaymentMethodType => PaymentMethodType.Standard;

    /// <inheritdoc />
    public bool SkipPaymentInfo => false;

    /// <inheritdoc />
    public bool HideInWidgetList => true;

    #endregion
}
