using System.Globalization;
using Nop.Core;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Catalog;
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
    protected readonly IPriceFormatter _priceFormatter;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaTexts(ILocalizationService localizationService,
        IPriceFormatter priceFormatter,
        IWorkContext workContext)
    {
        _localizationService = localizationService;
        _priceFormatter = priceFormatter;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    protected virtual async Task<int> LanguageIdAsync()
    {
        try
        {
            return (await _workContext.GetWorkingLanguageAsync())?.Id ?? 0;
        }
        catch (Exception)
        {
            //outside a request (a schedule task): nopCommerce's default language
            return 0;
        }
    }

    /// <summary>
    /// Formats one argument of a text
    /// </summary>
    protected virtual async Task<object> FormatArgAsync(object arg, int languageId)
    {
        switch (arg)
        {
            case KlarnaMoney money:
                var amount = KlarnaAmount.FromMinor(money.Minor, money.CurrencyCode);
                var formatted = await _priceFormatter.FormatPriceAsync(amount, true, money.CurrencyCode, false, languageId);
                return string.IsNullOrEmpty(formatted) ? $"{amount.ToString(CultureInfo.InvariantCulture)} {money.CurrencyCode}" : formatted;
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
                return string.Join("; ", list);
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
            return text ?? resourceKey;

        var languageId = await LanguageIdAsync();
        var formatted = new object[args.Count];
        for (var i = 0; i < args.Count; i++)
            formatted[i] = await FormatArgAsync(args[i], languageId);

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
            ? await FormatAsync("Plugins.Payments.Klarna.Result.OutcomeUnknown", new object[] { kind, error.ErrorCode, error.Messages })
            : await FormatAsync("Plugins.Payments.Klarna.Result.KlarnaRefused", new object[] { kind, error?.ErrorCode, error?.Messages, error?.CorrelationId });
    }

    #endregion
}
