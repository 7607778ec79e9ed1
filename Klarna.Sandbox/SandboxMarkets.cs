using System;
using System.Collections.Generic;
using System.Linq;

namespace Klarna.Sandbox;

/// <summary>
/// Represents Klarna Payments' purchase countries with their one currency and the locales Klarna supports there
/// (Klarna's "purchase countries, currencies and locales" table; Klarna supports only the local currency of each country)
/// </summary>
public static class SandboxMarkets
{
    private static readonly IReadOnlyDictionary<string, (string Currency, string[] Locales)> _markets =
        new Dictionary<string, (string, string[])>(StringComparer.OrdinalIgnoreCase)
        {
            ["AT"] = ("EUR", new[] { "de-AT", "en-AT" }),
            ["AU"] = ("AUD", new[] { "en-AU" }),
            ["BE"] = ("EUR", new[] { "nl-BE", "fr-BE", "en-BE" }),
            ["CA"] = ("CAD", new[] { "en-CA", "fr-CA" }),
            ["CH"] = ("CHF", new[] { "de-CH", "fr-CH", "it-CH", "en-CH" }),
            ["CZ"] = ("CZK", new[] { "cs-CZ", "en-CZ" }),
            ["DE"] = ("EUR", new[] { "de-DE", "en-DE" }),
            ["DK"] = ("DKK", new[] { "da-DK", "en-DK" }),
            ["ES"] = ("EUR", new[] { "es-ES", "en-ES" }),
            ["FI"] = ("EUR", new[] { "fi-FI", "sv-FI", "en-FI" }),
            ["FR"] = ("EUR", new[] { "fr-FR", "en-FR" }),
            ["GB"] = ("GBP", new[] { "en-GB" }),
            ["GR"] = ("EUR", new[] { "el-GR", "en-GR" }),
            ["HU"] = ("HUF", new[] { "hu-HU", "en-HU" }),
            ["IE"] = ("EUR", new[] { "en-IE" }),
            ["IT"] = ("EUR", new[] { "it-IT", "en-IT" }),
            ["MX"] = ("MXN", new[] { "es-MX", "en-MX" }),
            ["NL"] = ("EUR", new[] { "nl-NL", "en-NL" }),
            ["NO"] = ("NOK", new[] { "nb-NO", "en-NO" }),
            ["NZ"] = ("NZD", new[] { "en-NZ" }),
            ["PL"] = ("PLN", new[] { "pl-PL", "en-PL" }),
            ["PT"] = ("EUR", new[] { "pt-PT", "en-PT" }),
            ["RO"] = ("RON", new[] { "ro-RO", "en-RO" }),
            ["SE"] = ("SEK", new[] { "sv-SE", "en-SE" }),
            ["SK"] = ("EUR", new[] { "sk-SK", "en-SK" }),
            ["US"] = ("USD", new[] { "en-US", "es-US" })
        };

    /// <summary>
    /// Gets the purchase countries
    /// </summary>
    public static IEnumerable<string> Countries => _markets.Keys;

    /// <summary>
    /// Gets the field a purchase_country / purchase_currency / locale combination breaks (null when Klarna accepts it; a
    /// missing locale is left to Klarna's default)
    /// </summary>
    public static string Violation(string country, string currency, string locale)
    {
        if (string.IsNullOrWhiteSpace(country) || !_markets.TryGetValue(country.Trim(), out var market))
            return "purchase_country";
        if (!string.Equals(currency?.Trim(), market.Currency, StringComparison.OrdinalIgnoreCase))
            return "purchase_currency";
        if (locale is not null && !market.Locales.Contains(locale.Trim(), StringComparer.OrdinalIgnoreCase))
            return "locale";

        return null;
    }
}
