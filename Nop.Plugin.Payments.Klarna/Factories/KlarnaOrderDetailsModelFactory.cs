using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using Nop.Core;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Validators;
using Nop.Services.Configuration;
using Nop.Services.Helpers;
using Nop.Services.Localization;
using Nop.Services.Security;
using Nop.Web.Framework.Mvc.Routing;

namespace Nop.Plugin.Payments.Klarna.Factories;

/// <summary>
/// Prepares the Klarna block of the admin order page: everything it shows is computed here (amounts formatted with
/// nopCommerce's price formatting, the amounts and limits the script adds up in minor units, the format it writes them in)
/// </summary>
public class KlarnaOrderDetailsModelFactory : IKlarnaOrderDetailsModelFactory
{
    #region Fields

    private static readonly JsonSerializerSettings _scriptJson = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        NullValueHandling = NullValueHandling.Ignore
    };

    protected readonly IDateTimeHelper _dateTimeHelper;
    protected readonly ILocalizationService _localizationService;
    protected readonly KlarnaMoneyFormatter _moneyFormatter;
    protected readonly INopUrlHelper _nopUrlHelper;
    protected readonly IKlarnaOrderReader _orderReader;
    protected readonly IPermissionService _permissionService;
    protected readonly ISettingService _settingService;
    protected readonly KlarnaTexts _texts;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaOrderDetailsModelFactory(IDateTimeHelper dateTimeHelper,
        ILocalizationService localizationService,
        KlarnaMoneyFormatter moneyFormatter,
        INopUrlHelper nopUrlHelper,
        IKlarnaOrderReader orderReader,
        IPermissionService permissionService,
        ISettingService settingService,
        KlarnaTexts texts,
        IWorkContext workContext)
    {
        _dateTimeHelper = dateTimeHelper;
        _localizationService = localizationService;
        _moneyFormatter = moneyFormatter;
        _nopUrlHelper = nopUrlHelper;
        _orderReader = orderReader;
        _permissionService = permissionService;
        _settingService = settingService;
        _texts = texts;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    protected virtual async Task<string> FormatDateAsync(DateTime? utc)
    {
        if (!utc.HasValue)
            return null;

        var local = await _dateTimeHelper.ConvertToUserTimeAsync(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc), DateTimeKind.Utc);
        return local.ToString("g", CultureInfo.CurrentCulture);
    }

    /// <summary>
    /// Gets where a capture or refund Klarna shows was made: the plugin's operation that claims it, else the Merchant Portal
    /// </summary>
    protected virtual async Task<(string Origin, bool IsMerchantPortal, string InitiatedBy)> OriginOfAsync(string klarnaId, IList<KlarnaOperation> operations)
    {
        var operation = operations.FirstOrDefault(o => o.Status == KlarnaOperationStatus.Succeeded && !string.IsNullOrEmpty(klarnaId)
            && string.Equals(o.KlarnaId, klarnaId, StringComparison.Ordinal));
        var initiator = operation?.Initiator ?? KlarnaInitiator.MerchantPortal;
        var initiatedBy = initiator == KlarnaInitiator.Admin ? operation?.InitiatedBy : null;
        return (await _localizationService.GetLocalizedEnumAsync(initiator), initiator == KlarnaInitiator.MerchantPortal, initiatedBy);
    }

    protected virtual async Task AddLinesAsync(KlarnaOrderDetailsModel model, KlarnaOrderView view, string currency)
    {
        var decision = view.Decision;
        foreach (var line in decision?.Lines ?? Array.Empty<KlarnaLineAllowance>())
        {
            model.Lines.Add(new KlarnaLineRowModel
            {
                Reference = line.Reference,
                Name = line.Name,
                Type = line.Type,
                Quantity = line.Quantity,
                UnitPrice = await _moneyFormatter.FormatAsync(line.UnitPrice, currency),
                TotalAmount = await _moneyFormatter.FormatAsync(line.TotalAmount, currency),
                CapturedQuantity = line.CapturedQuantity,
                RefundedQuantity = line.RefundedQuantity,
                CapturableQuantity = line.CapturableQuantity,
                RefundableQuantity = line.RefundableQuantity,
                CaptureAmountsJson = JsonConvert.SerializeObject(KlarnaLinePolicy.AmountsByQuantity(view.KlarnaOrder, line.Reference, line.CapturableQuantity, false)),
                RefundAmountsJson = JsonConvert.SerializeObject(KlarnaLinePolicy.AmountsByQuantity(view.KlarnaOrder, line.Reference, line.RefundableQuantity, true)),
                CaptureNote = decision.Capture.Allowed && line.CaptureNote != null ? await _texts.RefusalAsync(line.CaptureNote) : null,
                RefundNote = decision.Refund.Allowed && line.RefundNote != null ? await _texts.RefusalAsync(line.RefundNote) : null
            });
        }
        model.HasCapturableLines = model.Lines.Any(l => l.CapturableQuantity > 0);
        model.HasRefundableLines = model.Lines.Any(l => l.RefundableQuantity > 0);
    }

    protected virtual async Task AddCapturesAndRefundsAsync(KlarnaOrderDetailsModel model, KlarnaOrder klarnaOrder, IList<KlarnaOperation> operations, string currency)
    {
        foreach (var capture in (klarnaOrder?.Captures ?? new List<KlarnaCapture>()).OrderBy(c => c.CapturedAt))
        {
            var (origin, isMerchantPortal, initiatedBy) = await OriginOfAsync(capture.CaptureId, operations);
            var row = new KlarnaCaptureRowModel
            {
                CaptureId = capture.CaptureId,
                KlarnaReference = capture.KlarnaReference,
                CapturedOn = await FormatDateAsync(capture.CapturedAt?.UtcDateTime),
                Amount = await _moneyFormatter.FormatAsync(capture.CapturedAmount, currency),
                Description = capture.Description,
                Origin = origin,
                IsMerchantPortal = isMerchantPortal,
                InitiatedBy = initiatedBy
            };
            foreach (var line in capture.OrderLines ?? new List<KlarnaOrderLine>())
                row.Lines.Add($"{line.Quantity} x {line.Name}");
            foreach (var info in capture.ShippingInfo ?? new List<KlarnaShippingInfo>())
                row.Tracking.Add(string.Join(" ", new[] { info.ShippingCompany, info.ShippingMethod, info.TrackingNumber }.Where(part => !string.IsNullOrWhiteSpace(part))));
            model.Captures.Add(row);
        }

        foreach (var refund in (klarnaOrder?.Refunds ?? new List<KlarnaRefund>()).OrderBy(r => r.RefundedAt))
        {
            var (origin, isMerchantPortal, initiatedBy) = await OriginOfAsync(refund.RefundId, operations);
            var row = new KlarnaRefundRowModel
            {
                RefundId = refund.RefundId,
                RefundedOn = await FormatDateAsync(refund.RefundedAt?.UtcDateTime),
                Amount = await _moneyFormatter.FormatAsync(refund.RefundedAmount, currency),
                Description = refund.Description,
                Reference = refund.Reference,
                Origin = origin,
                IsMerchantPortal = isMerchantPortal,
                InitiatedBy = initiatedBy
            };
            foreach (var line in refund.OrderLines ?? new List<KlarnaOrderLine>())
                row.Lines.Add($"{line.Quantity} x {line.Name}");
            model.Refunds.Add(row);
        }
    }

    protected virtual async Task AddOperationsAsync(KlarnaOrderDetailsModel model, IList<KlarnaOperation> operations, string currency)
    {
        foreach (var operation in operations.Where(o => o.Status != KlarnaOperationStatus.Succeeded).OrderByDescending(o => o.CreatedOnUtc))
        {
            model.Operations.Add(new KlarnaOperationRowModel
            {
                Kind = await _localizationService.GetLocalizedEnumAsync(operation.Kind),
                Status = await _localizationService.GetLocalizedEnumAsync(operation.Status),
                IsFailed = operation.Status == KlarnaOperationStatus.Failed,
                NeedsAttention = operation.Status == KlarnaOperationStatus.NeedsAttention,
                CreatedOn = await FormatDateAsync(operation.CreatedOnUtc),
                Amount = operation.AmountMinor > 0 ? await _moneyFormatter.FormatAsync(operation.AmountMinor, operation.CurrencyCode ?? currency) : null,
                Initiator = operation.InitiatedBy,
                ErrorCode = operation.ErrorCode,
                ErrorMessage = operation.ErrorMessage,
                CorrelationId = operation.CorrelationId
            });
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Writes what the admin script reads (a money format, the rules of typed amounts) as JSON with camel-case names
    /// </summary>
    /// <param name="value">Value</param>
    /// <returns>JSON</returns>
    public static string ToScriptJson(object value) => JsonConvert.SerializeObject(value, _scriptJson);

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
        var operations = view.Operations ?? new List<KlarnaOperation>();
        var format = await _moneyFormatter.GetFormatAsync(currency);
        var rules = KlarnaAmountRules.For(await _moneyFormatter.GetWorkingCultureAsync(), currency, format);

        //without Klarna's order: the record's last known amounts, and no action
        var remaining = decision?.RemainingAuthorizedAmountMinor ?? record.RemainingAuthorizedAmountMinor;
        var refundable = decision?.RefundableAmountMinor ?? Math.Max(0, record.CapturedAmountMinor - record.RefundedAmountMinor);
        var model = new KlarnaOrderDetailsModel
        {
            Id = order.Id,
            KlarnaOrderId = record.KlarnaOrderId,
            KlarnaReference = klarnaOrder?.KlarnaReference ?? record.KlarnaReference,
            MerchantPortalUrl = KlarnaModelFactory.GetMerchantPortalUrl(KlarnaModelFactory.GetMerchantId(settings, region, environment), record.KlarnaOrderId, environment),
            KlarnaStatus = decision?.KlarnaStatus ?? record.KlarnaStatus,
            FraudStatus = decision?.FraudStatus ?? record.FraudStatus,
            Environment = await _localizationService.GetLocalizedEnumAsync(environment),
            IsPlayground = environment == KlarnaEnvironment.Playground,
            CurrencyCode = currency,
            MoneyFormatJson = format is null ? null : ToScriptJson(format),
            AmountRulesJson = ToScriptJson(rules),
            AmountExample = rules.Example,
            CurrencyExponent = rules.Exponent,
            OrderAmount = await _moneyFormatter.FormatAsync(decision?.OrderAmountMinor ?? record.OrderAmountMinor, currency),
            CapturedAmount = await _moneyFormatter.FormatAsync(decision?.CapturedAmountMinor ?? record.CapturedAmountMinor, currency),
            RefundedAmount = await _moneyFormatter.FormatAsync(decision?.RefundedAmountMinor ?? record.RefundedAmountMinor, currency),
            RemainingAuthorizedAmount = await _moneyFormatter.FormatAsync(remaining, currency),
            RefundableAmount = await _moneyFormatter.FormatAsync(refundable, currency),
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
        model.CanManage = vendor == null && await _permissionService.AuthorizeAsync(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE);

        //what can still be captured or refunded of each line, within what is left (the policy decides)
        await AddLinesAsync(model, view, currency);
        await AddCapturesAndRefundsAsync(model, klarnaOrder, operations, currency);
        await AddOperationsAsync(model, operations, currency);
        model.UnsettledOperationIds = string.Join(",", operations.Where(KlarnaOperationFamilies.IsUnsettled)
            .Select(op => op.Id.ToString(CultureInfo.InvariantCulture)));

        return model;
    }

    #endregion
}
