using System.Globalization;
using Microsoft.AspNetCore.Mvc.Rendering;
using Nop.Core;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
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
    protected readonly IKlarnaOrderManagementService _orderManagementService;
    protected readonly ILocalizationService _localizationService;
    protected readonly INopUrlHelper _nopUrlHelper;
    protected readonly IPermissionService _permissionService;
    protected readonly IPriceFormatter _priceFormatter;
    protected readonly ISettingService _settingService;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaModelFactory(IDateTimeHelper dateTimeHelper,
        IKlarnaOrderManagementService orderManagementService,
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
        _orderManagementService = orderManagementService;
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

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderDetailsModel> PrepareOrderDetailsModelAsync(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);

        var overview = await _orderManagementService.GetOrderOverviewAsync(order.Id);
        if (overview?.Record == null)
            return null;

        var record = overview.Record;
        var klarnaOrder = overview.KlarnaOrder;
        var currency = overview.CurrencyCode ?? record.CurrencyCode;
        var environment = (KlarnaEnvironment)record.EnvironmentId;
        var region = (KlarnaRegion)record.RegionId;
        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);

        var model = new KlarnaOrderDetailsModel
        {
            Id = order.Id,
            KlarnaOrderId = record.KlarnaOrderId,
            KlarnaReference = klarnaOrder?.KlarnaReference ?? record.KlarnaReference,
            MerchantPortalUrl = GetMerchantPortalUrl(GetMerchantId(settings, region, environment), record.KlarnaOrderId, environment),
            KlarnaStatus = klarnaOrder?.Status ?? record.KlarnaStatus,
            FraudStatus = klarnaOrder?.FraudStatus ?? record.FraudStatus,
            Environment = await _localizationService.GetLocalizedEnumAsync(environment),
            IsPlayground = environment == KlarnaEnvironment.Playground,
            CurrencyCode = currency,
            CurrencyExponent = KlarnaAmount.Exponent(currency),
            OrderAmount = await FormatAmountAsync(overview.OrderAmountMinor, currency),
            CapturedAmount = await FormatAmountAsync(overview.CapturedAmountMinor, currency),
            RefundedAmount = await FormatAmountAsync(overview.RefundedAmountMinor, currency),
            RemainingAuthorizedAmount = await FormatAmountAsync(overview.RemainingAuthorizedAmountMinor, currency),
            RefundableAmount = await FormatAmountAsync(overview.RefundableAmountMinor, currency),
            RemainingAuthorizedAmountMinor = overview.RemainingAuthorizedAmountMinor,
            RefundableAmountMinor = overview.RefundableAmountMinor,
            InitialPaymentMethod = klarnaOrder?.InitialPaymentMethod?.Description ?? record.InitialPaymentMethod,
            ExpiresOn = await FormatDateAsync(klarnaOrder?.ExpiresAt?.UtcDateTime ?? record.ExpiresAtUtc),
            ExpiresSoon = overview.ExpiresSoon,
            CanCapture = overview.CanCapture,
            CanCancel = overview.CanCancel,
            CanRelease = overview.CanRelease,
            CanRefund = overview.CanRefund,
            CaptureUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Capture),
            RefundUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Refund),
            CancelUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Cancel),
            ReleaseUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.Release),
            RefreshUrl = _nopUrlHelper.RouteUrl(KlarnaDefaults.Route.RefreshBlock, new { orderId = order.Id })
        };
        model.FraudStatusWarning = !string.IsNullOrEmpty(model.FraudStatus)
            && !string.Equals(model.FraudStatus, KlarnaFraudStatus.Accepted, StringComparison.OrdinalIgnoreCase);

        if (!string.IsNullOrEmpty(overview.ReadError))
            model.ReadError = string.Format(await _localizationService.GetResourceAsync("Plugins.Payments.Klarna.Admin.ReadError"), overview.ReadError);

        var vendor = await _workContext.GetCurrentVendorAsync();
        model.CanManage = vendor == null && await _permissionService.AuthorizeAsync(Nop.Services.Security.StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE);

        // what is left of each line, computed like the order management service does for its last part of a line
        var lineTotals = klarnaOrder != null ? KlarnaOrderLineMath.GetLineTotals(klarnaOrder) : new List<KlarnaOrderLineMath.LineTotals>();
        foreach (var line in overview.Lines ?? new List<KlarnaLineState>())
        {
            var totals = lineTotals.FirstOrDefault(t => string.Equals(t.Line.Reference, line.Reference, StringComparison.Ordinal));
            var captured = totals?.CapturedAmount ?? KlarnaOrderLineMath.Prorate(line.TotalAmount, line.CapturedQuantity, line.Quantity);
            var refunded = totals?.RefundedAmount ?? KlarnaOrderLineMath.Prorate(line.TotalAmount, line.RefundedQuantity, line.Quantity);
            model.Lines.Add(new KlarnaLineRowModel
            {
                UnitPriceMinor = line.UnitPrice,
                TotalDiscountAmountMinor = line.TotalDiscountAmount,
                CapturableAmountMinor = line.TotalAmount - captured,
                RefundableAmountMinor = captured - refunded,
                Reference = line.Reference,
                Name = line.Name,
                Type = line.Type,
                Quantity = line.Quantity,
                UnitPrice = await FormatAmountAsync(line.UnitPrice, currency),
                TotalAmountMinor = line.TotalAmount,
                TotalAmount = await FormatAmountAsync(line.TotalAmount, currency),
                CapturedQuantity = line.CapturedQuantity,
                RefundedQuantity = line.RefundedQuantity,
                CapturableQuantity = line.CapturableQuantity,
                RefundableQuantity = line.RefundableQuantity
            });
        }
        model.HasCapturableLines = model.Lines.Any(l => l.CapturableQuantity > 0);
        model.HasRefundableLines = model.Lines.Any(l => l.RefundableQuantity > 0);

        if (klarnaOrder?.Captures != null)
        {
            foreach (var capture in klarnaOrder.Captures.OrderBy(c => c.CapturedAt))
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
                    row.Tracking.Add(string.Join(" ", new[] { info.ShippingCompany, info.ShippingMethod, info.TrackingNumber }.Where(s => !string.IsNullOrWhiteSpace(s))));
                model.Captures.Add(row);
            }
        }

        if (klarnaOrder?.Refunds != null)
        {
            foreach (var refund in klarnaOrder.Refunds.OrderBy(r => r.RefundedAt))
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
        }

        foreach (var operation in (overview.Operations ?? new List<KlarnaOperation>())
                     .Where(o => o.StatusId != (int)KlarnaOperationStatus.Succeeded)
                     .OrderByDescending(o => o.CreatedOnUtc))
        {
            model.Operations.Add(new KlarnaOperationRowModel
            {
                Kind = await _localizationService.GetLocalizedEnumAsync((KlarnaOperationKind)operation.KindId),
                Status = await _localizationService.GetLocalizedEnumAsync((KlarnaOperationStatus)operation.StatusId),
                IsFailed = operation.StatusId == (int)KlarnaOperationStatus.Failed,
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
