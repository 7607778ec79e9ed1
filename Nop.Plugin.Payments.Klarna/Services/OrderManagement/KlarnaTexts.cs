using System.Globalization;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Localization;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Turns the engine's typed refusals and notes into text: the locale resource of the code, with its arguments formatted
/// (amounts with nopCommerce's price formatter in their currency, enums with their localized names, dates in UTC). The one
/// place where the order engine's words are made
/// </summary>
public class KlarnaTexts
{
    #region Fields

    protected readonly ILocalizationService _localizationService;
    protected readonly KlarnaMoneyFormatter _moneyFormatter;

    #endregion

    #region Ctor

    public KlarnaTexts(ILocalizationService localizationService,
        KlarnaMoneyFormatter moneyFormatter)
    {
        _localizationService = localizationService;
        _moneyFormatter = moneyFormatter;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Formats one argument of a text
    /// </summary>
    protected virtual async Task<object> FormatArgAsync(object arg)
    {
        switch (arg)
        {
            case KlarnaMoney money:
                return await _moneyFormatter.FormatAsync(money.Minor, money.CurrencyCode);
            case DateTime date:
                return date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            case DateTimeOffset date:
                return date.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            case KlarnaOperationKind kind:
                return await _localizationService.GetLocalizedEnumAsync(kind);
            case KlarnaStatusEvent statusEvent:
                return await _localizationService.GetLocalizedEnumAsync(statusEvent);
            case PaymentStatus paymentStatus:
                return await _localizationService.GetLocalizedEnumAsync(paymentStatus);
            case OrderStatus orderStatus:
                return await _localizationService.GetLocalizedEnumAsync(orderStatus);
            case KlarnaRefusal refusal:
                return await RefusalAsync(refusal);
            case IEnumerable<string> list:
                return list.Any(item => !string.IsNullOrWhiteSpace(item)) ? string.Join("; ", list.Where(item => !string.IsNullOrWhiteSpace(item))) : "-";
            case null:
                return "-";
            default:
                return arg is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : arg.ToString();
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets the text of a resource with formatted arguments
    /// </summary>
    /// <param name="resourceKey">Resource name</param>
    /// <param name="args">Arguments</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the text</returns>
    public virtual async Task<string> FormatAsync(string resourceKey, IReadOnlyList<object> args)
    {
        var text = await _localizationService.GetResourceAsync(resourceKey);
        if (string.IsNullOrEmpty(text) || args is null || args.Count == 0)
            return text;

        var formatted = new object[args.Count];
        for (var i = 0; i < args.Count; i++)
            formatted[i] = await FormatArgAsync(args[i]);

        try
        {
            return string.Format(CultureInfo.CurrentCulture, text, formatted);
        }
        catch (FormatException)
        {
            //a translation with broken placeholders: show it with the values after it
            return $"{text} ({string.Join(", ", formatted)})";
        }
    }

    /// <summary>
    /// Gets the text of a refusal
    /// </summary>
    /// <param name="refusal">Refusal</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the text</returns>
    public virtual Task<string> RefusalAsync(KlarnaRefusal refusal) =>
        refusal is null ? Task.FromResult(string.Empty) : FormatAsync(refusal.ResourceKey, refusal.Args);

    /// <summary>
    /// Gets the text of an operation's result for the admin: the refusal, or Klarna's error (code, messages and correlation id
    /// as Klarna gave them), or the outcome still being unknown
    /// </summary>
    /// <param name="result">Result</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the text (empty on success)</returns>
    public virtual async Task<string> ResultAsync(KlarnaOperationResult result)
    {
        if (result is null || result.Success)
            return string.Empty;
        if (result.Refusal is not null)
            return await RefusalAsync(result.Refusal);

        var error = result.KlarnaError;
        var kind = result.Operation?.Kind ?? KlarnaOperationKind.Capture;
        return error?.OutcomeUnknown == true
            ? await FormatAsync(KlarnaDefaults.Locale.Result + "OutcomeUnknown", new object[] { kind, error.ErrorCode, error.Messages })
            : await FormatAsync(KlarnaDefaults.Locale.Result + "KlarnaRefused", new object[] { kind, error?.ErrorCode, error?.Messages, error?.CorrelationId });
    }

    #endregion
}
