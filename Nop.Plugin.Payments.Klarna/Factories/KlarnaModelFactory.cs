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
/// Prepares the admin models of the plugin
/// </summary>
public class KlarnaModelFactory : IKlarnaModelFactory
{
    #region Fields

    protected readonly IDateTimeHelper _dateTimeHelper;
    protected readonly IKlarnaStatusSyncService _statusSyncService;
    protected readonly IKlarnaOrderReader _orderReader;
    protected readonly KlarnaTexts _texts;
    protected readonly ILocalizationService _localizationService;
    protected readonly INopUrlHelper _nopUrlHelper;
    protected readonly IPermissionService _permissionService;
    protected readonly IPriceFormatter _priceFormatter;
    protected readonly ISettingService _settingService;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaModelFactory(IDateTimeHelper dateTimeHelper,
        IKlarnaOrderReader orderReader,
        KlarnaTexts texts,
        ILocalizationService localizationService,
        INopUrlHelper nopUrlHelper,
        IPermissionService permissionService,
        IPriceFormatter priceFormatter,
        ISettingService settingService,
        IWorkContext workContext,
        IKlarnaStatusSyncService statusSyncService)
    {
        _statusSyncService = statusSyncService;
        _dateTimeHelper = dateTimeHelper;
        _orderReader = orderReader;
        _texts = texts;
        _localizationService = localizationService;
        _nopUrlHelper = nopUrlHelper;
        _permissionService = permissionService;
        _priceFormatter = priceFormatter;
        _settingService = settingService;
        _workContext = workContext;
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

    protected virtual async Task<string> FormatAmountAsync(long amountMinor, string currencyCode)
    {
        var language = await _workContext.GetWorkingLanguageAsync();
        return await _priceFormatter.FormatPriceAsync(KlarnaAmount.FromMinor(amountMinor, currencyCode), true, currencyCode, false, language?.Id ?? 0);
    }

    protected virtual async Task<string> FormatDateAsync(DateTime? utc)
    {
        if (!utc.HasValue)
            return null;

        var local = await _dateTimeHelper.ConvertToUserTimeAsync(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc), DateTimeKind.Utc);
        return local.ToString("g", CultureInfo.CurrentCulture);
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
    /// Gets the merchant id: the configured one, else the one older API usernames start with (e.g. "K123456_abcd" or "PK12345_abcd")
    /// </summary>
    /// <param name="settings">Settings</param>
    /// <param name="region">Region of the order</param>
    /// <param name="environment">Environment of the order</param>
    /// <returns>Merchant id or null</returns>
    public static string GetMerchantId(KlarnaSettings settings, KlarnaRegion region, KlarnaEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(settings.MerchantId))
            return settings.MerchantId.Trim();

        var username = KlarnaSettingsCredentials.Get(region, environment)?.GetUsername(settings);
        var match = System.Text.RegularExpressions.Regex.Match(username ?? string.Empty, "^(P?K[0-9]+)_");
        return match.Success ? match.Groups[1].Value : null;
    }

    protected virtual string DescribeLines(IEnumerable<KlarnaOrderLine> lines)
    {
        return lines == null ? null : string.Join(", ", lines.Select(l => $"{l.Quantity} x {l.Name}"));
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
            MerchantId = settings.MerchantId,
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
                Password = string.Empty,
                HasPassword = !string.IsNullOrEmpty(entry.GetPassword(settings)),
                OverrideForStore = postedEntry?.OverrideForStore
                    ?? (storeScope > 0 && (await _settingService.SettingExistsAsync(settings, entry.Username, storeScope)
                        || await _settingService.SettingExistsAsync(settings, entry.Password, storeScope)))
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
            model.MerchantId_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.MerchantId, storeScope);
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
            model.SyncIntervalMinutes_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.SyncIntervalMinutes, storeScope);
            model.SyncConcurrency_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.SyncConcurrency, storeScope);
            model.ExpiryWarningDays_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.ExpiryWarningDays, storeScope);
            model.AutoExtendAuthorization_OverrideForStore = await _settingService.SettingExistsAsync(settings, s => s.AutoExtendAuthorization, storeScope);
        }

        return model;
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderDetailsModel> PrepareOrderDetailsModelAsync(Order order, KlarnaOrderView view = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);

        view ??= await _orderReader.ReadAsync(order, cancellationToken);
        if (view?.Record == null)
            return null;

        var record = view.Record;
        var klarnaOrder = view.KlarnaOrder;
        var decision = view.Decision;
        var currency = decision?.CurrencyCode ?? record.CurrencyCode;
        var environment = (KlarnaEnvironment)record.EnvironmentId;
        var region = (KlarnaRegion)record.RegionId;
        var settings = view.Settings ?? await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);

        //without Klarna's order: the record's last known amounts, and no action
        var remaining = decision?.RemainingAuthorizedAmountMinor ?? record.RemainingAuthorizedAmountMinor;
        var refundable = decision?.RefundableAmountMinor ?? Math.Max(0, record.CapturedAmountMinor - record.RefundedAmountMinor);
        var model = new KlarnaOrderDetailsModel
        {
            Id = order.Id,
            KlarnaOrderId = record.KlarnaOrderId,
            KlarnaReference = klarnaOrder?.KlarnaReference ?? record.KlarnaReference,
            MerchantPortalUrl = GetMerchantPortalUrl(GetMerchantId(settings, region, environment), record.KlarnaOrderId, environment),
            KlarnaStatus = decision?.KlarnaStatus ?? record.KlarnaStatus,
            FraudStatus = decision?.FraudStatus ?? record.FraudStatus,
            Environment = await _localizationService.GetLocalizedEnumAsync(environment),
            IsPlayground = environment == KlarnaEnvironment.Playground,
            CurrencyCode = currency,
            CurrencyExponent = KlarnaAmount.Exponent(currency),
            OrderAmount = await FormatAmountAsync(decision?.OrderAmountMinor ?? record.OrderAmountMinor, currency),
            CapturedAmount = await FormatAmountAsync(decision?.CapturedAmountMinor ?? record.CapturedAmountMinor, currency),
            RefundedAmount = await FormatAmountAsync(decision?.RefundedAmountMinor ?? record.RefundedAmountMinor, currency),
            RemainingAuthorizedAmount = await FormatAmountAsync(remaining, currency),
            RefundableAmount = await FormatAmountAsync(refundable, currency),
            RemainingAuthorizedAmountMinor = remaining,
            RefundableAmountMinor = refundable,
            InitialPaymentMethod = klarnaOrder?.InitialPaymentMethod?.Description ?? record.InitialPaymentMethod,
            ExpiresOn = await FormatDateAsync(klarnaOrder?.ExpiresAt?.UtcDateTime ?? record.ExpiresAtUtc),
            ExpiresSoon = decision?.ExpiresSoon == true,
            CanCapture = decision?.Capture.Allowed == true,
            CanCancel = decision?.Cancel.Allowed == true,
            CanRelease = decision?.Release.Allowed == true,
            CanRefund = decision?.Refund.Allowed == true,
            CaptureUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Capture),
            RefundUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Refund),
            CancelUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Cancel),
            ReleaseUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Release),
            RefreshUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.RefreshBlock, new { orderId = order.Id })
        };
        model.FraudStatusWarning = !string.IsNullOrEmpty(model.FraudStatus)
            && !string.Equals(model.FraudStatus, KlarnaFraudStatus.Accepted, StringComparison.OrdinalIgnoreCase);
        model.FraudWarning = decision?.FraudHold switch
        {
            KlarnaFraudHold.Pending => await _texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.FraudPending)),
            KlarnaFraudHold.Rejected => await _texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.FraudRejected)),
            KlarnaFraudHold.Stopped => await _texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.FraudStopped)),
            _ => null
        };

        if (view.ReadError != null)
        {
            model.ReadError = string.Format(await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.Admin.ReadError"),
                string.Join(" ", new[] { view.ReadError.ErrorCode, string.Join("; ", view.ReadError.Messages), view.ReadError.CorrelationId }.Where(part => !string.IsNullOrEmpty(part))));
        }
        if (view.Busy)
            model.BusyNotice = await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.Admin.Block.Busy");

        var vendor = await _workContext.GetCurrentVendorAsync();
        model.CanManage = vendor == null && await _permissionService.AuthorizeAsync(Nop.Services.Security.StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE);

        //what can still be captured or refunded of each line, within what is left (the policy decides)
        foreach (var line in decision?.Lines ?? Array.Empty<KlarnaLineAllowance>())
        {
            model.Lines.Add(new KlarnaLineRowModel
            {
                Reference = line.Reference,
                Name = line.Name,
                Type = line.Type,
                Quantity = line.Quantity,
                UnitPrice = await FormatAmountAsync(line.UnitPrice, currency),
                UnitPriceMinor = line.UnitPrice,
                TotalDiscountAmountMinor = line.TotalDiscountAmount,
                TotalAmountMinor = line.TotalAmount,
                TotalAmount = await FormatAmountAsync(line.TotalAmount, currency),
                CapturedQuantity = line.CapturedQuantity,
                RefundedQuantity = line.RefundedQuantity,
                CapturableQuantity = line.CapturableQuantity,
                RefundableQuantity = line.RefundableQuantity,
                UncapturedQuantity = line.UncapturedQuantity,
                UnrefundedQuantity = line.UnrefundedQuantity,
                CapturableAmountMinor = line.UncapturedAmount,
                RefundableAmountMinor = line.UnrefundedAmount,
                CaptureNote = decision.Capture.Allowed && line.CaptureNote != null ? await _texts.RefusalAsync(line.CaptureNote) : null,
                RefundNote = decision.Refund.Allowed && line.RefundNote != null ? await _texts.RefusalAsync(line.RefundNote) : null
            });
        }
        model.HasCapturableLines = model.Lines.Any(l => l.CapturableQuantity > 0);
        model.HasRefundableLines = model.Lines.Any(l => l.RefundableQuantity > 0);

        foreach (var capture in (klarnaOrder?.Captures ?? new List<KlarnaCapture>()).OrderBy(c => c.CapturedAt))
        {
            var row = new KlarnaCaptureRowModel
            {
                CaptureId = capture.CaptureId,
                KlarnaReference = capture.KlarnaReference,
                CapturedOn = await FormatDateAsync(capture.CapturedAt?.UtcDateTime),
                Amount = await FormatAmountAsync(capture.CapturedAmount, currency),
                Description = capture.Description
            };
            foreach (var line in capture.OrderLines ?? new List<KlarnaOrderLine>())
                row.Lines.Add($"{line.Quantity} x {line.Name}");
            foreach (var info in capture.ShippingInfo ?? new List<KlarnaShippingInfo>())
                row.Tracking.Add(string.Join(" ", new[] { info.ShippingCompany, info.ShippingMethod, info.TrackingNumber }.Where(part => !string.IsNullOrWhiteSpace(part))));
            model.Captures.Add(row);
        }

        foreach (var refund in (klarnaOrder?.Refunds ?? new List<KlarnaRefund>()).OrderBy(r => r.RefundedAt))
        {
            var row = new KlarnaRefundRowModel
            {
                RefundId = refund.RefundId,
                RefundedOn = await FormatDateAsync(refund.RefundedAt?.UtcDateTime),
                Amount = await FormatAmountAsync(refund.RefundedAmount, currency),
                Description = refund.Description,
                Reference = refund.Reference
            };
            foreach (var line in refund.OrderLines ?? new List<KlarnaOrderLine>())
                row.Lines.Add($"{line.Quantity} x {line.Name}");
            model.Refunds.Add(row);
        }

        foreach (var operation in (view.Operations ?? new List<KlarnaOperation>())
                     .Where(o => o.Status != KlarnaOperationStatus.Succeeded)
                     .OrderByDescending(o => o.CreatedOnUtc))
        {
            model.Operations.Add(new KlarnaOperationRowModel
            {
                Kind = await _localizationService.GetLocalizedEnumAsync(operation.Kind),
                Status = await _localizationService.GetLocalizedEnumAsync(operation.Status),
                IsFailed = operation.Status == KlarnaOperationStatus.Failed,
                NeedsAttention = operation.Status == KlarnaOperationStatus.NeedsAttention,
                CreatedOn = await FormatDateAsync(operation.CreatedOnUtc),
                Amount = operation.AmountMinor > 0 ? await FormatAmountAsync(operation.AmountMinor, operation.CurrencyCode ?? currency) : null,
                Initiator = operation.InitiatedBy,
                ErrorCode = operation.ErrorCode,
                ErrorMessage = operation.ErrorMessage,
                CorrelationId = operation.CorrelationId
            });
        }

        return model;
    }

    #endregion
}
