using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents the purchase country × currency combinations each Klarna region serves (the method is hidden otherwise)
/// </summary>
/// <remarks>
/// Europe: AT BE DE EE ES FI FR GR IE IT LT LV NL PT SK (EUR), CH (CHF), CZ (CZK), DK (DKK), GB (GBP), HU (HUF), NO (NOK),
/// PL (PLN), RO (RON), SE (SEK). North America: US (USD), CA (CAD), MX (MXN). Oceania: AU (AUD), NZ (NZD).
/// (Klarna's own shop modules use the same split: EU host for EUR/SEK/NOK/DKK/GBP/CHF/PLN/CZK/RON…, NA host for US/CA/MX,
/// OC host for AU/NZ; API.md §1.)
/// </remarks>
public static class KlarnaCheckoutRegions
{
    #region Fields

    private static readonly IReadOnlyDictionary<KlarnaRegion, IReadOnlyDictionary<string, string>> _markets =
        new Dictionary<KlarnaRegion, IReadOnlyDictionary<string, string>>
        {
            [KlarnaRegion.Europe] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["AT"] = "EUR", ["BE"] = "EUR", ["DE"] = "EUR", ["EE"] = "EUR", ["ES"] = "EUR", ["FI"] = "EUR", ["FR"] = "EUR",
                ["GR"] = "EUR", ["IE"] = "EUR", ["IT"] = "EUR", ["LT"] = "EUR", ["LV"] = "EUR", ["NL"] = "EUR", ["PT"] = "EUR",
                ["SK"] = "EUR", ["CH"] = "CHF", ["CZ"] = "CZK", ["DK"] = "DKK", ["GB"] = "GBP", ["HU"] = "HUF", ["NO"] = "NOK",
                ["PL"] = "PLN", ["RO"] = "RON", ["SE"] = "SEK"
            },
            [KlarnaRegion.NorthAmerica] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["US"] = "USD", ["CA"] = "CAD", ["MX"] = "MXN"
            },
            [KlarnaRegion.Oceania] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["AU"] = "AUD", ["NZ"] = "NZD"
            }
        };

    #endregion

    #region Methods

    /// <summary>
    /// Gets a value indicating whether the region serves purchases from the country in the currency
    /// </summary>
    /// <param name="region">Configured Klarna region</param>
    /// <param name="countryCode">Billing country (ISO 3166 alpha-2)</param>
    /// <param name="currencyCode">Currency (ISO 4217)</param>
    /// <returns>True when Klarna serves the combination</returns>
    public static bool IsServed(KlarnaRegion region, string countryCode, string currencyCode)
    {
        if (string.IsNullOrWhiteSpace(countryCode) || string.IsNullOrWhiteSpace(currencyCode))
            return false;

        return _markets.TryGetValue(region, out var markets)
            && markets.TryGetValue(countryCode.Trim(), out var currency)
            && currency.Equals(currencyCode.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Gets the countries and currencies of a region
    /// </summary>
    /// <param name="region">Klarna region</param>
    /// <returns>Country code to currency code</returns>
    public static IReadOnlyDictionary<string, string> GetMarkets(KlarnaRegion region) =>
        _markets.TryGetValue(region, out var markets) ? markets : new Dictionary<string, string>();

    /// <summary>
    /// Gets a value indicating whether taxes are sent the United States way (one sales_tax line, tax-free lines)
    /// </summary>
    /// <param name="countryCode">Purchase country</param>
    /// <returns>True for the United States</returns>
    public static bool UsesSalesTax(string countryCode) =>
        string.Equals(countryCode?.Trim(), "US", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Gets Klarna's locale (language-COUNTRY, e.g. de-AT) from the working language culture and the purchase country
    /// </summary>
    /// <param name="languageCulture">Language culture, e.g. de-DE</param>
    /// <param name="countryCode">Purchase country</param>
    /// <returns>Locale</returns>
    public static string GetLocale(string languageCulture, string countryCode)
    {
        var language = string.IsNullOrWhiteSpace(languageCulture) ? "en" : languageCulture.Trim().Split('-', '_')[0].ToLowerInvariant();
        if (language.Length != 2)
            language = "en";

        return string.IsNullOrWhiteSpace(countryCode) ? language : $"{language}-{countryCode.Trim().ToUpperInvariant()}";
    }

    #endregion
}
