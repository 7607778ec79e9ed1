using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// Represents Klarna Payments' markets: the purchase countries each Klarna region serves, the one currency Klarna takes in
/// each (its local currency) and the locales Klarna supports there, local language first (Klarna's "purchase countries,
/// currencies and locales" table)
/// </summary>
/// <remarks>
/// Europe: AT BE CH CZ DE DK ES FI FR GB GR HU IE IT NL NO PL PT RO SE SK. North America: CA MX US. Oceania: AU NZ.
/// A purchase in another currency than the country's (a shop showing EUR to a Swedish customer) is not a Klarna market:
/// Klarna does not convert currencies and refuses the session.
/// </remarks>
public static class KlarnaCheckoutRegions
{
    #region Nested

    private sealed record Market(KlarnaRegion Region, string Currency, string[] Locales);

    #endregion

    #region Fields

    private static readonly IReadOnlyDictionary<string, Market> _markets = new Dictionary<string, Market>(StringComparer.OrdinalIgnoreCase)
    {
        ["AT"] = new(KlarnaRegion.Europe, "EUR", ["de-AT", "en-AT"]),
        ["BE"] = new(KlarnaRegion.Europe, "EUR", ["nl-BE", "fr-BE", "en-BE"]),
        ["CH"] = new(KlarnaRegion.Europe, "CHF", ["de-CH", "fr-CH", "it-CH", "en-CH"]),
        ["CZ"] = new(KlarnaRegion.Europe, "CZK", ["cs-CZ", "en-CZ"]),
        ["DE"] = new(KlarnaRegion.Europe, "EUR", ["de-DE", "en-DE"]),
        ["DK"] = new(KlarnaRegion.Europe, "DKK", ["da-DK", "en-DK"]),
        ["ES"] = new(KlarnaRegion.Europe, "EUR", ["es-ES", "en-ES"]),
        ["FI"] = new(KlarnaRegion.Europe, "EUR", ["fi-FI", "sv-FI", "en-FI"]),
        ["FR"] = new(KlarnaRegion.Europe, "EUR", ["fr-FR", "en-FR"]),
        ["GB"] = new(KlarnaRegion.Europe, "GBP", ["en-GB"]),
        ["GR"] = new(KlarnaRegion.Europe, "EUR", ["el-GR", "en-GR"]),
        ["HU"] = new(KlarnaRegion.Europe, "HUF", ["hu-HU", "en-HU"]),
        ["IE"] = new(KlarnaRegion.Europe, "EUR", ["en-IE"]),
        ["IT"] = new(KlarnaRegion.Europe, "EUR", ["it-IT", "en-IT"]),
        ["NL"] = new(KlarnaRegion.Europe, "EUR", ["nl-NL", "en-NL"]),
        ["NO"] = new(KlarnaRegion.Europe, "NOK", ["nb-NO", "en-NO"]),
        ["PL"] = new(KlarnaRegion.Europe, "PLN", ["pl-PL", "en-PL"]),
        ["PT"] = new(KlarnaRegion.Europe, "EUR", ["pt-PT", "en-PT"]),
        ["RO"] = new(KlarnaRegion.Europe, "RON", ["ro-RO", "en-RO"]),
        ["SE"] = new(KlarnaRegion.Europe, "SEK", ["sv-SE", "en-SE"]),
        ["SK"] = new(KlarnaRegion.Europe, "EUR", ["sk-SK", "en-SK"]),
        ["CA"] = new(KlarnaRegion.NorthAmerica, "CAD", ["en-CA", "fr-CA"]),
        ["MX"] = new(KlarnaRegion.NorthAmerica, "MXN", ["es-MX", "en-MX"]),
        ["US"] = new(KlarnaRegion.NorthAmerica, "USD", ["en-US", "es-US"]),
        ["AU"] = new(KlarnaRegion.Oceania, "AUD", ["en-AU"]),
        ["NZ"] = new(KlarnaRegion.Oceania, "NZD", ["en-NZ"])
    };

    /// <summary>
    /// Language codes nopCommerce cultures may use for a language Klarna names otherwise (Norwegian: Klarna's nb)
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> _languageAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["no"] = "nb",
        ["nn"] = "nb"
    };

    #endregion

    #region Methods

    /// <summary>
    /// Gets a value indicating whether the region serves purchases from the country in the currency (the country's own)
    /// </summary>
    /// <param name="region">Configured Klarna region</param>
    /// <param name="countryCode">Purchase (billing) country (ISO 3166 alpha-2)</param>
    /// <param name="currencyCode">Currency (ISO 4217)</param>
    /// <returns>True when Klarna serves the combination</returns>
    public static bool IsServed(KlarnaRegion region, string countryCode, string currencyCode)
    {
        if (string.IsNullOrWhiteSpace(countryCode) || string.IsNullOrWhiteSpace(currencyCode))
            return false;

        return _markets.TryGetValue(countryCode.Trim(), out var market)
            && market.Region == region
            && market.Currency.Equals(currencyCode.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Gets the currency Klarna takes in a purchase country
    /// </summary>
    /// <param name="countryCode">Purchase country (ISO 3166 alpha-2)</param>
    /// <returns>Currency code, or null for a country Klarna Payments does not serve</returns>
    public static string GetCurrency(string countryCode) =>
        countryCode is not null && _markets.TryGetValue(countryCode.Trim(), out var market) ? market.Currency : null;

    /// <summary>
    /// Gets the countries and currencies of a region
    /// </summary>
    /// <param name="region">Klarna region</param>
    /// <returns>Country code to currency code</returns>
    public static IReadOnlyDictionary<string, string> GetMarkets(KlarnaRegion region) =>
        _markets.Where(pair => pair.Value.Region == region).ToDictionary(pair => pair.Key, pair => pair.Value.Currency, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the locales Klarna supports in a purchase country, its local language first
    /// </summary>
    /// <param name="countryCode">Purchase country (ISO 3166 alpha-2)</param>
    /// <returns>Locales (empty for a country Klarna Payments does not serve)</returns>
    public static IReadOnlyList<string> GetLocales(string countryCode) =>
        countryCode is not null && _markets.TryGetValue(countryCode.Trim(), out var market) ? market.Locales : Array.Empty<string>();

    /// <summary>
    /// Gets a value indicating whether taxes are sent the United States way (one sales_tax line, tax-free lines)
    /// </summary>
    /// <param name="countryCode">Purchase country</param>
    /// <returns>True for the United States</returns>
    public static bool UsesSalesTax(string countryCode) =>
        string.Equals(countryCode?.Trim(), "US", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Gets Klarna's locale for a purchase: the customer's language in the purchase country when Klarna supports that
    /// combination (en-DE, fr-CH, sv-FI), else the country's local language (a German shop selling to the Netherlands
    /// sends nl-NL, never de-NL, which Klarna refuses)
    /// </summary>
    /// <param name="languageCulture">The customer's working language culture, e.g. de-DE</param>
    /// <param name="countryCode">Purchase country</param>
    /// <returns>Locale, e.g. nl-NL; for a country Klarna does not serve, language-COUNTRY as given</returns>
    public static string GetLocale(string languageCulture, string countryCode)
    {
        var language = string.IsNullOrWhiteSpace(languageCulture) ? string.Empty : languageCulture.Trim().Split('-', '_')[0].ToLowerInvariant();
        language = _languageAliases.GetValueOrDefault(language, language);

        var locales = GetLocales(countryCode);
        if (locales.Count == 0)
            return string.IsNullOrWhiteSpace(countryCode) ? language : $"{(language.Length == 2 ? language : "en")}-{countryCode.Trim().ToUpperInvariant()}";

        return locales.FirstOrDefault(locale => locale.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase)) ?? locales[0];
    }

    #endregion
}
