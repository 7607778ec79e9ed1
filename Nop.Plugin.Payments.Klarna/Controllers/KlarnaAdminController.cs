using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Newtonsoft.Json;
using Nop.Core;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Components;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Validators;
using Nop.Services.Configuration;
using Nop.Services.Localization;
using Nop.Services.Messages;
using Nop.Services.Orders;
using Nop.Services.Security;
using Nop.Web.Framework;
using Nop.Web.Framework.Controllers;
using Nop.Web.Framework.Infrastructure;
using Nop.Web.Framework.Models;
using Nop.Web.Framework.Mvc.Filters;

namespace Nop.Plugin.Payments.Klarna.Controllers;

/// <summary>
/// The plugin's admin controller: configuration page and the actions of the Klarna block on the order page (JSON for the modals)
/// </summary>
[AuthorizeAdmin]
[Area(AreaNames.ADMIN)]
[AutoValidateAntiforgeryToken]
public class KlarnaAdminController : BasePaymentController
{
    #region Constants

    /// <summary>Gets the id of the order the "Test connection" button reads (Klarna answers 404 NO_SUCH_ORDER for valid credentials)</summary>
    public const string ConnectionTestOrderId = "00000000-0000-0000-0000-00000000test";

    public const int MaxDescriptionLength = 255;
    public const int MaxLines = 1000;

    #endregion

    #region Fields

    protected readonly IKlarnaApiClient _klarnaApiClient;
    protected readonly IKlarnaStatusSyncService _statusSyncService;
    protected readonly IKlarnaModelFactory _klarnaModelFactory;
    protected readonly IKlarnaOrderManagementService _orderManagementService;
    protected readonly ILocalizationService _localizationService;
    protected readonly INotificationService _notificationService;
    protected readonly IOrderService _orderService;
    protected readonly ISettingService _settingService;
    protected readonly IStoreContext _storeContext;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaAdminController(IKlarnaApiClient klarnaApiClient,
        IKlarnaModelFactory klarnaModelFactory,
        IKlarnaOrderManagementService orderManagementService,
        ILocalizationService localizationService,
        INotificationService notificationService,
        IOrderService orderService,
        ISettingService settingService,
        IStoreContext storeContext,
        IWorkContext workContext,
        IKlarnaStatusSyncService statusSyncService)
    {
        _statusSyncService = statusSyncService;
        _klarnaApiClient = klarnaApiClient;
        _klarnaModelFactory = klarnaModelFactory;
        _orderManagementService = orderManagementService;
        _localizationService = localizationService;
        _notificationService = notificationService;
        _orderService = orderService;
        _settingService = settingService;
        _storeContext = storeContext;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    protected virtual async Task<JsonResult> FailAsync(int statusCode, string resource, params object[] args)
    {
        var text = await _localizationService.GetResourceAsync(resource);
        return new JsonResult(new { success = false, error = args.Length > 0 ? string.Format(text, args) : text }) { StatusCode = statusCode };
    }

    /// <summary>
    /// Loads the order of an action and checks that the current admin may act on it as a Klarna order
    /// </summary>
    protected virtual async Task<(Order Order, JsonResult Error)> LoadOrderAsync(int orderId)
    {
        // vendors see only their products of an order: they never manage its payment
        if (await _workContext.GetCurrentVendorAsync() != null)
            return (null, await FailAsync(StatusCodes.Status403Forbidden, "Plugins.Payments.Klarna.Admin.Error.Vendor"));

        var order = orderId > 0 ? await _orderService.GetOrderByIdAsync(orderId) : null;
        if (order == null || order.Deleted)
            return (null, await FailAsync(StatusCodes.Status404NotFound, "Plugins.Payments.Klarna.Admin.Error.OrderNotFound"));

        if (!string.Equals(order.PaymentMethodSystemName, KlarnaDefaults.SystemName, StringComparison.OrdinalIgnoreCase))
            return (null, await FailAsync(StatusCodes.Status404NotFound, "Plugins.Payments.Klarna.Admin.Error.NotKlarnaOrder"));

        return (order, null);
    }

    protected virtual async Task<JsonResult> ValidateIdempotencyKeyAsync(string key)
    {
        return Guid.TryParse(key, out _) && key.Length <= 64
            ? null
            : await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.Error.IdempotencyKey");
    }

    /// <summary>
    /// Parses and checks the selected lines against what is still allowed per line (capturable or refundable quantity)
    /// </summary>
    protected virtual async Task<(IList<KlarnaLineSelection> Lines, JsonResult Error)> ParseLinesAsync(string linesJson,
        IList<KlarnaLineState> lines, Func<KlarnaLineState, long> allowedQuantity)
    {
        List<KlarnaLineSelection> selection;
        try
        {
            selection = string.IsNullOrWhiteSpace(linesJson) ? null : JsonConvert.DeserializeObject<List<KlarnaLineSelection>>(linesJson);
        }
        catch (JsonException)
        {
            selection = null;
        }

        if (selection == null || selection.Count == 0 || selection.Count > MaxLines)
            return (null, await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.Error.NoLines"));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in selection)
        {
            var line = item == null ? null : lines?.FirstOrDefault(l => string.Equals(l.Reference, item.Reference, StringComparison.Ordinal));
            if (line == null || !seen.Add(item.Reference))
                return (null, await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.Error.UnknownLine", item?.Reference));

            if (item.Quantity <= 0 || item.Quantity > allowedQuantity(line))
                return (null, await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.Error.LineQuantity", line.Name, allowedQuantity(line)));
        }

        return (selection, null);
    }

    protected virtual async Task<(long? AmountMinor, JsonResult Error)> ParseAmountAsync(string amountText, string currencyCode, long maximumMinor)
    {
        if (!KlarnaAmountInput.TryParse(amountText, currencyCode, out var amountMinor, out var errorResource))
            return (null, await FailAsync(StatusCodes.Status400BadRequest, errorResource, KlarnaAmount.Exponent(currencyCode)));

        if (amountMinor > maximumMinor)
            return (null, await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.Error.AmountTooHigh"));

        return (amountMinor, null);
    }

    /// <summary>
    /// Refuses what is invalid whatever Klarna's state is (mode, amount format, sign and decimals in the order's currency,
    /// which is Klarna's purchase currency) before Klarna is read
    /// </summary>
    protected virtual async Task<JsonResult> PrevalidateAsync(KlarnaActionRequestModel model, Order order)
    {
        switch (model.Mode)
        {
            case "full":
            case "lines":
                return null;
            case "amount":
                return KlarnaAmountInput.TryParse(model.Amount, order.CustomerCurrencyCode, out _, out var errorResource)
                    ? null
                    : await FailAsync(StatusCodes.Status400BadRequest, errorResource, KlarnaAmount.Exponent(order.CustomerCurrencyCode));
            default:
                return await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.Error.Mode");
        }
    }

    protected virtual JsonResult Result(KlarnaOperationResult result)
    {
        if (result?.Success == true)
            return new JsonResult(new { success = true });

        return new JsonResult(new
        {
            success = false,
            error = result?.Error,
            errorCode = result?.ErrorCode,
            correlationId = result?.CorrelationId
        })
        { StatusCode = StatusCodes.Status409Conflict };
    }

    protected virtual async Task<string> GetInitiatedByAsync()
    {
        var customer = await _workContext.GetCurrentCustomerAsync();
        return customer?.Email ?? customer?.Id.ToString();
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
            foreach (var name in model.KeepStoredValuesNotOverridden(await _klarnaModelFactory.PrepareConfigurationModelAsync(null, settings, storeScope)))
                ModelState.Remove(name);

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

    [HttpPost]
    [CheckPermission(StandardPermission.Configuration.MANAGE_PAYMENT_METHODS)]
    public virtual async Task<IActionResult> TestConnection(KlarnaTestConnectionModel model)
    {
        if (model == null || !Enum.IsDefined(typeof(KlarnaRegion), model.RegionId) || !Enum.IsDefined(typeof(KlarnaEnvironment), model.EnvironmentId))
            return await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Validation.Region");

        var region = (KlarnaRegion)model.RegionId;
        var environment = (KlarnaEnvironment)model.EnvironmentId;
        var password = model.Password;
        if (string.IsNullOrEmpty(password))
        {
            var storeScope = await _storeContext.GetActiveStoreScopeConfigurationAsync();
            var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(storeScope);
            password = KlarnaSettingsCredentials.Get(region, environment).GetPassword(settings);
        }

        if (string.IsNullOrWhiteSpace(model.Username) || string.IsNullOrEmpty(password))
            return await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.TestConnection.MissingCredentials");

        if (!string.IsNullOrWhiteSpace(model.ApiUrlOverride)
            && (!Uri.TryCreate(model.ApiUrlOverride.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            return await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Validation.ApiUrlOverride");

        var credentials = new KlarnaCredentials
        {
            Username = model.Username.Trim(),
            Password = password,
            Region = region,
            Environment = environment,
            BaseUrlOverride = string.IsNullOrWhiteSpace(model.ApiUrlOverride) ? null : model.ApiUrlOverride.Trim()
        };

        try
        {
            // reading an order that cannot exist: Klarna answers 404 NO_SUCH_ORDER only after accepting the credentials
            await _klarnaApiClient.GetOrderAsync(credentials, ConnectionTestOrderId, HttpContext?.RequestAborted ?? default);
        }
        catch (KlarnaApiException exception) when (exception.StatusCode == StatusCodes.Status404NotFound)
        {
        }
        catch (KlarnaApiException exception)
        {
            var text = await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.Admin.TestConnection.Failed");
            return Json(new
            {
                success = false,
                error = string.Format(text, exception.ErrorCode ?? exception.StatusCode.ToString(), string.Join("; ", exception.ErrorMessages)),
                errorCode = exception.ErrorCode,
                correlationId = exception.CorrelationId
            });
        }

        return Json(new { success = true, message = await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.Admin.TestConnection.Success") });
    }

    #endregion

    #region Order actions

    /// <summary>
    /// Validates a capture or refund request against the order's fresh overview: the order, the idempotency key, the
    /// description, that the action is allowed, and the mode (everything / lines within their quantities / an amount within the limit)
    /// </summary>
    /// <param name="model">Posted request</param>
    /// <param name="isAllowed">Whether the overview allows the action</param>
    /// <param name="limitMinor">The most the action may move, in minor units</param>
    /// <param name="quantityLeft">How much of a line the action may still cover</param>
    /// <param name="notAllowedResource">Resource of the "not allowed" message</param>
    /// <returns>The validated request, or the error answer</returns>
    protected virtual async Task<(MoneyAction Action, IActionResult Error)> ValidateMoneyActionAsync(KlarnaActionRequestModel model,
        Func<KlarnaOrderOverview, bool> isAllowed, Func<KlarnaOrderOverview, long> limitMinor,
        Func<KlarnaLineState, long> quantityLeft, string notAllowedResource)
    {
        var (order, error) = await LoadOrderAsync(model?.OrderId ?? 0);
        if (error != null)
            return (null, error);

        if ((error = await ValidateIdempotencyKeyAsync(model.IdempotencyKey)) != null)
            return (null, error);

        if (model.Description?.Length > MaxDescriptionLength)
            return (null, await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.Error.Description", MaxDescriptionLength));

        if ((error = await PrevalidateAsync(model, order)) != null)
            return (null, error);

        var overview = await _orderManagementService.GetOrderOverviewAsync(order.Id);
        if (overview == null)
            return (null, await FailAsync(StatusCodes.Status404NotFound, "Plugins.Payments.Klarna.Admin.Error.NotKlarnaOrder"));

        if (!isAllowed(overview) || limitMinor(overview) <= 0)
            return (null, await FailAsync(StatusCodes.Status409Conflict, notAllowedResource));

        var action = new MoneyAction
        {
            Order = order,
            Description = string.IsNullOrWhiteSpace(model.Description) ? null : model.Description.Trim(),
            InitiatedBy = await GetInitiatedByAsync()
        };

        switch (model.Mode)
        {
            case "full":
                break;
            case "lines":
                (action.Lines, error) = await ParseLinesAsync(model.LinesJson, overview.Lines, quantityLeft);
                break;
            case "amount":
                (action.AmountMinor, error) = await ParseAmountAsync(model.Amount, overview.CurrencyCode, limitMinor(overview));
                break;
            default:
                error = await FailAsync(StatusCodes.Status400BadRequest, "Plugins.Payments.Klarna.Admin.Error.Mode");
                break;
        }

        return error != null ? (null, error) : (action, null);
    }

    [HttpPost]
    [CheckPermission(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    public virtual async Task<IActionResult> Capture(KlarnaActionRequestModel model)
    {
        var (action, error) = await ValidateMoneyActionAsync(model, overview => overview.CanCapture,
            overview => overview.RemainingAuthorizedAmountMinor, line => line.CapturableQuantity, "Plugins.Payments.Klarna.Admin.Error.CaptureNotAllowed");
        if (error != null)
            return error;

        return Result(await _orderManagementService.CaptureAsync(new KlarnaCaptureCommand
        {
            OrderId = action.Order.Id,
            Lines = action.Lines,
            AmountMinor = action.AmountMinor,
            Description = action.Description,
            Initiator = KlarnaInitiator.Admin,
            InitiatedBy = action.InitiatedBy,
            IdempotencyKey = model.IdempotencyKey
        }));
    }

    [HttpPost]
    [CheckPermission(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    public virtual async Task<IActionResult> Refund(KlarnaActionRequestModel model)
    {
        var (action, error) = await ValidateMoneyActionAsync(model, overview => overview.CanRefund,
            overview => overview.RefundableAmountMinor, line => line.RefundableQuantity, "Plugins.Payments.Klarna.Admin.Error.RefundNotAllowed");
        if (error != null)
            return error;

        return Result(await _orderManagementService.RefundAsync(new KlarnaRefundCommand
        {
            OrderId = action.Order.Id,
            Lines = action.Lines,
            AmountMinor = action.AmountMinor,
            Description = action.Description,
            Initiator = KlarnaInitiator.Admin,
            InitiatedBy = action.InitiatedBy,
            IdempotencyKey = model.IdempotencyKey
        }));
    }

    [HttpPost]
    [CheckPermission(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    public virtual async Task<IActionResult> Cancel(KlarnaActionRequestModel model)
    {
        var (order, error) = await LoadOrderAsync(model?.OrderId ?? 0);
        if (error != null)
            return error;

        var overview = await _orderManagementService.GetOrderOverviewAsync(order.Id);
        if (overview == null)
            return await FailAsync(StatusCodes.Status404NotFound, "Plugins.Payments.Klarna.Admin.Error.NotKlarnaOrder");

        if (!overview.CanCancel)
            return await FailAsync(StatusCodes.Status409Conflict, "Plugins.Payments.Klarna.Admin.Error.CancelNotAllowed");

        return Result(await _orderManagementService.CancelAsync(order.Id, KlarnaInitiator.Admin, await GetInitiatedByAsync()));
    }

    [HttpPost]
    [CheckPermission(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    public virtual async Task<IActionResult> Release(KlarnaActionRequestModel model)
    {
        var (order, error) = await LoadOrderAsync(model?.OrderId ?? 0);
        if (error != null)
            return error;

        var overview = await _orderManagementService.GetOrderOverviewAsync(order.Id);
        if (overview == null)
            return await FailAsync(StatusCodes.Status404NotFound, "Plugins.Payments.Klarna.Admin.Error.NotKlarnaOrder");

        if (!overview.CanRelease)
            return await FailAsync(StatusCodes.Status409Conflict, "Plugins.Payments.Klarna.Admin.Error.ReleaseNotAllowed");

        return Result(await _orderManagementService.ReleaseRemainingAuthorizationAsync(order.Id, KlarnaInitiator.Admin, await GetInitiatedByAsync()));
    }

    [HttpGet]
    [CheckPermission(StandardPermission.Orders.ORDERS_VIEW)]
    public virtual async Task<IActionResult> RefreshBlock(int orderId)
    {
        var (order, error) = await LoadOrderAsync(orderId);
        if (error != null)
            return error;

        return ViewComponent(typeof(KlarnaOrderDetailsViewComponent), new
        {
            widgetZone = AdminWidgetZones.OrderDetailsBlock,
            additionalData = new BaseNopEntityModel { Id = order.Id }
        });
    }

    #endregion

    #region Nested classes

    /// <summary>
    /// A validated capture or refund request
    /// </summary>
    protected class MoneyAction
    {
        public Order Order { get; set; }
        public IList<KlarnaLineSelection> Lines { get; set; }
        public long? AmountMinor { get; set; }
        public string Description { get; set; }
        public string InitiatedBy { get; set; }
    }

    #endregion
}
