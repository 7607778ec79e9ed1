using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Newtonsoft.Json;
using Nop.Core;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Components;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Validators;
using Nop.Services.Orders;
using Nop.Services.Security;
using Nop.Web.Framework;
using Nop.Web.Framework.Controllers;
using Nop.Web.Framework.Infrastructure;
using Nop.Web.Framework.Models;
using Nop.Web.Framework.Mvc.Filters;

namespace Nop.Plugin.Payments.Klarna.Controllers;

/// <summary>
/// The actions of the Klarna block on the admin order page (JSON for the modals). Thin: each action loads the order once,
/// parses its input once, runs one command through the order engine and answers with the result and the refreshed block
/// </summary>
[AuthorizeAdmin]
[Area(AreaNames.ADMIN)]
[AutoValidateAntiforgeryToken]
public class KlarnaOrderAdminController : BasePaymentController
{
    #region Constants

    public const int MaxDescriptionLength = 255;

    /// <summary>
    /// The most operation ids a click carries (the block shows far fewer)
    /// </summary>
    public const int MaxUnsettledIds = 100;

    public const int MaxLines = 1000;

    #endregion

    #region Fields

    protected readonly IKlarnaOperationExecutor _executor;
    protected readonly IKlarnaOrderDetailsModelFactory _orderDetailsModelFactory;
    protected readonly KlarnaMoneyFormatter _moneyFormatter;
    protected readonly IOrderService _orderService;
    protected readonly KlarnaTexts _texts;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaOrderAdminController(IKlarnaOperationExecutor executor,
        IKlarnaOrderDetailsModelFactory orderDetailsModelFactory,
        KlarnaMoneyFormatter moneyFormatter,
        IOrderService orderService,
        KlarnaTexts texts,
        IWorkContext workContext)
    {
        _executor = executor;
        _orderDetailsModelFactory = orderDetailsModelFactory;
        _moneyFormatter = moneyFormatter;
        _orderService = orderService;
        _texts = texts;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Answers a request refused before the order engine runs (its code and text, nothing done)
    /// </summary>
    protected virtual async Task<JsonResult> FailAsync(int statusCode, KlarnaRefusalCode code, params object[] args)
    {
        var refusal = new KlarnaRefusal(code, args);
        return new JsonResult(new { success = false, error = await _texts.RefusalAsync(refusal), errorCode = code.ToString() }) { StatusCode = statusCode };
    }

    /// <summary>
    /// Loads the order of an action and checks that the current admin may act on it as a Klarna order
    /// </summary>
    protected virtual async Task<(Order Order, JsonResult Error)> LoadOrderAsync(int orderId)
    {
        // vendors see only their products of an order: they never manage its payment
        if (await _workContext.GetCurrentVendorAsync() != null)
            return (null, await FailAsync(StatusCodes.Status403Forbidden, KlarnaRefusalCode.VendorNotAllowed));

        var order = orderId > 0 ? await _orderService.GetOrderByIdAsync(orderId) : null;
        if (order == null || order.Deleted)
            return (null, await FailAsync(StatusCodes.Status404NotFound, KlarnaRefusalCode.OrderNotFound));

        if (!string.Equals(order.PaymentMethodSystemName, KlarnaDefaults.SystemName, StringComparison.OrdinalIgnoreCase))
            return (null, await FailAsync(StatusCodes.Status404NotFound, KlarnaRefusalCode.NotKlarnaOrder));

        return (order, null);
    }

    protected virtual async Task<JsonResult> ValidateIdempotencyKeyAsync(string key)
    {
        return Guid.TryParse(key, out _) && key.Length <= 64
            ? null
            : await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.IdempotencyKeyInvalid);
    }

    /// <summary>
    /// Reads the ids of the operations the block showed without an outcome ("12,15"); what is not a positive number is
    /// left out (the script writes only ids; a missing list only loses the guard for this click)
    /// </summary>
    protected static IList<int> ParseOperationIds(string ids) =>
        (ids ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0)
            .Where(id => id > 0).Distinct().Take(MaxUnsettledIds).ToList();

    /// <summary>
    /// Parses the selected lines (their syntax only: whether they are in the order and within what is left, the policy decides
    /// on Klarna's order)
    /// </summary>
    protected virtual async Task<(IList<KlarnaLineSelection> Lines, JsonResult Error)> ParseLinesAsync(string linesJson)
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
            return (null, await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.NoLinesSelected));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in selection)
        {
            if (string.IsNullOrEmpty(item?.Reference) || !seen.Add(item.Reference))
                return (null, await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.UnknownLine, item?.Reference));
            if (item.Quantity <= 0)
                return (null, await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.LineQuantityNotPositive, item.Reference));
        }

        return (selection, null);
    }

    /// <summary>
    /// Parses a capture or refund request once, before Klarna is read: the mode, the lines, or the amount (in the order's
    /// currency, which is Klarna's purchase currency; the policy checks it)
    /// </summary>
    protected virtual async Task<(MoneyAction Action, JsonResult Error)> ParseMoneyActionAsync(KlarnaActionRequestModel model, Order order)
    {
        var action = new MoneyAction { Order = order, Description = string.IsNullOrWhiteSpace(model.Description) ? null : model.Description.Trim() };
        switch (model.Mode)
        {
            case "full":
                return (action, null);
            case "lines":
                var (lines, error) = await ParseLinesAsync(model.LinesJson);
                action.Lines = lines;
                return error != null ? (null, error) : (action, null);
            case "amount":
                var currency = order.CustomerCurrencyCode;
                var rules = KlarnaAmountRules.For(await _moneyFormatter.GetWorkingCultureAsync(), currency, await _moneyFormatter.GetFormatAsync(currency));
                var (amountMinor, refusal) = KlarnaAmountInput.Parse(model.Amount, currency, rules);
                if (refusal != null)
                    return (null, new JsonResult(new { success = false, error = await _texts.RefusalAsync(refusal), errorCode = refusal.Code.ToString() })
                    { StatusCode = StatusCodes.Status400BadRequest });
                action.AmountMinor = amountMinor;
                action.CurrencyCode = order.CustomerCurrencyCode;
                return (action, null);
            default:
                return (null, await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.ModeUnknown));
        }
    }

    /// <summary>
    /// Renders the order block (nopCommerce renders the partial view)
    /// </summary>
    /// <param name="model">Block model</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the HTML</returns>
    protected virtual Task<string> RenderOrderBlockAsync(KlarnaOrderDetailsModel model) =>
        RenderPartialViewToStringAsync(KlarnaDefaults.OrderDetailsViewPath, model);

    /// <summary>
    /// Answers an action with its result and the refreshed order block (rendered from the engine's state: no second read):
    /// 200 on success; 400 for input the policy refuses whatever happens at Klarna; 409 for the order's state, for Klarna's
    /// refusal (its code, messages and correlation id) and for an outcome not known yet
    /// </summary>
    protected virtual async Task<JsonResult> ResultAsync(KlarnaOperationResult result, Order order)
    {
        string html = null;
        if (result?.View != null)
        {
            var model = await _orderDetailsModelFactory.PrepareOrderDetailsModelAsync(order, result.View);
            if (model != null)
                html = await RenderOrderBlockAsync(model);
        }

        if (result?.Success == true)
            return new JsonResult(new { success = true, html });

        return new JsonResult(new
        {
            success = false,
            error = await _texts.ResultAsync(result),
            errorCode = result?.ErrorCode,
            klarnaErrorCode = result?.KlarnaError?.ErrorCode,
            correlationId = result?.CorrelationId,
            html
        })
        { StatusCode = result?.Refusal?.Kind == KlarnaRefusalKind.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict };
    }

    protected virtual async Task<string> GetInitiatedByAsync()
    {
        var customer = await _workContext.GetCurrentCustomerAsync();
        return customer?.Email ?? customer?.Id.ToString();
    }

    #endregion

    #region Order actions

    /// <summary>
    /// Loads and checks what every order action needs before the engine runs: the order (loaded once), the idempotency
    /// key of the click, the description
    /// </summary>
    protected virtual async Task<(Order Order, JsonResult Error)> PrepareActionAsync(KlarnaActionRequestModel model, bool needsKey)
    {
        var (order, error) = await LoadOrderAsync(model?.OrderId ?? 0);
        if (error != null)
            return (null, error);

        if (needsKey && (error = await ValidateIdempotencyKeyAsync(model.IdempotencyKey)) != null)
            return (null, error);

        if (model.Description?.Length > MaxDescriptionLength)
            return (null, await FailAsync(StatusCodes.Status400BadRequest, KlarnaRefusalCode.DescriptionTooLong, MaxDescriptionLength));

        return (order, null);
    }

    /// <summary>
    /// Runs one order action: the checks, the input parsed once (capture and refund), one command through the engine with
    /// the request's token (it cancels the waiting and the read, never a sent write), the answer with the refreshed block
    /// </summary>
    /// <param name="model">Request</param>
    /// <param name="needsKey">Whether the request must carry the click's idempotency key</param>
    /// <param name="withMoney">Whether the request carries a mode and lines or an amount</param>
    /// <param name="command">Creates the command from the parsed input (null without money)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the JSON answer</returns>
    protected virtual async Task<IActionResult> RunActionAsync(KlarnaActionRequestModel model, bool needsKey, bool withMoney, Func<MoneyAction, KlarnaCommand> command)
    {
        var (order, error) = await PrepareActionAsync(model, needsKey);
        if (error != null)
            return error;

        MoneyAction action = null;
        if (withMoney)
        {
            (action, error) = await ParseMoneyActionAsync(model, order);
            if (error != null)
                return error;
        }

        var klarnaCommand = command(action);
        klarnaCommand.OrderId = order.Id;
        klarnaCommand.Order = order;
        klarnaCommand.Initiator = KlarnaInitiator.Admin;
        klarnaCommand.InitiatedBy = await GetInitiatedByAsync();
        klarnaCommand.IdempotencyKey = model.IdempotencyKey;
        klarnaCommand.UnsettledSeen = ParseOperationIds(model.Unsettled);

        return await ResultAsync(await _executor.ExecuteAsync(klarnaCommand, HttpContext?.RequestAborted ?? default), order);
    }

    [HttpPost]
    [CheckPermission(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    public virtual Task<IActionResult> Capture(KlarnaActionRequestModel model) =>
        RunActionAsync(model, true, true, action => new KlarnaCaptureCommand
        {
            Lines = action.Lines,
            AmountMinor = action.AmountMinor,
            CurrencyCode = action.CurrencyCode,
            Description = action.Description
        });

    [HttpPost]
    [CheckPermission(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    public virtual Task<IActionResult> Refund(KlarnaActionRequestModel model) =>
        RunActionAsync(model, true, true, action => new KlarnaRefundCommand
        {
            Lines = action.Lines,
            AmountMinor = action.AmountMinor,
            CurrencyCode = action.CurrencyCode,
            Description = action.Description
        });

    [HttpPost]
    [CheckPermission(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    public virtual Task<IActionResult> Cancel(KlarnaActionRequestModel model) =>
        RunActionAsync(model, !string.IsNullOrEmpty(model?.IdempotencyKey), false, _ => new KlarnaCancelCommand());

    [HttpPost]
    [CheckPermission(StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    public virtual Task<IActionResult> Release(KlarnaActionRequestModel model) =>
        RunActionAsync(model, !string.IsNullOrEmpty(model?.IdempotencyKey), false, _ => new KlarnaReleaseCommand());

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
    /// A parsed capture or refund request
    /// </summary>
    protected class MoneyAction
    {
        public Order Order { get; set; }
        public IList<KlarnaLineSelection> Lines { get; set; }
        public long? AmountMinor { get; set; }
        public string CurrencyCode { get; set; }
        public string Description { get; set; }
    }

    #endregion
}
