using System.Globalization;
using Nop.Core;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Services.Catalog;

namespace Nop.Plugin.Payments.Klarna.Localization;

/// <summary>
/// The one place where the plugin writes an amount for a person: nopCommerce's price formatting for the amount's currency
/// and the admin's language (block, modals, hints, errors, order notes); the format the admin script needs for the sums
/// it adds up; the admin's working culture for amounts typed in
/// </summary>
public class KlarnaMoneyFormatter
{
    #region Fields

    protected readonly IPriceFormatter _priceFormatter;
    protected readonly IWorkContext _workContext;

    #endregion

    #region Ctor

    public KlarnaMoneyFormatter(IPriceFormatter priceFormatter, IWorkContext workContext)
    {
        _priceFormatter = priceFormatter;
        _workContext = workContext;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets the admin's working language (outside a request, e.g. in a schedule task run without one: null)
    /// </summary>
    protected virtual async Task<Nop.Core.Domain.Localization.Language> WorkingLanguageAsync()
    {
        try
        {
            return await _workContext.GetWorkingLanguageAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null;
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Formats an amount with nopCommerce's price formatting for its currency and the admin's language
    /// </summary>
    /// <param name="minor">Amount in minor units</param>
    /// <param name="currencyCode">Currency (ISO 4217)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the text</returns>
    public virtual async Task<string> FormatAsync(long minor, string currencyCode)
    {
        var language = await WorkingLanguageAsync();
        return await _priceFormatter.FormatPriceAsync(KlarnaAmount.FromMinor(minor, currencyCode), true, currencyCode, false, language?.Id ?? 0);
    }

    /// <summary>
    /// Gets how nopCommerce writes amounts of a currency, for the admin script; null when the description would not write
    /// exactly what nopCommerce writes (e.g. cash rounding to 0.05): the script then shows no sums
    /// </summary>
    /// <param name="currencyCode">Currency (ISO 4217)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the format or null</returns>
    public virtual async Task<KlarnaMoneyFormat> GetFormatAsync(string currencyCode)
    {
        var exponent = KlarnaAmount.Exponent(currencyCode);
        var format = KlarnaMoneyFormat.Read(await FormatAsync(KlarnaMoneyFormat.ProbeMinor(exponent), currencyCode), exponent);
        if (format is null)
            return null;

        var unit = (long)Math.Pow(10, exponent);
        foreach (var minor in new[] { 0, 1, 5, 10, 99, unit, 999 * unit + 99, 1000 * unit, 123456789012L })
        {
            if (!string.Equals(format.Format(minor), await FormatAsync(minor, currencyCode), StringComparison.Ordinal))
                return null;
        }

        return format;
    }

    /// <summary>
    /// Gets the admin's working culture (nopCommerce's current language culture), in which typed amounts are read
    /// </summary>
    /// <returns>A task that represents the asynchronous operation; the task result contains the culture (invariant when the language has none)</returns>
    public virtual async Task<CultureInfo> GetWorkingCultureAsync()
    {
        var culture = (await WorkingLanguageAsync())?.LanguageCulture;
        if (string.IsNullOrWhiteSpace(culture))
            return CultureInfo.InvariantCulture;

        try
        {
            return CultureInfo.GetCultureInfo(culture);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }

    #endregion
}
