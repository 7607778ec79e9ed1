using System;
using System.Collections.Generic;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// The only conversion between shop decimals and Klarna's integer minor units
/// </summary>
public static class KlarnaAmount
{
    #region Fields

    /// <summary>
    /// ISO 4217 currencies whose minor unit exponent is not 2
    /// </summary>
    private static readonly Dictionary<string, int> _exponents = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3
    };

    #endregion

    #region Methods

    /// <summary>
    /// Gets the number of decimals of the currency's minor unit (default 2)
    /// </summary>
    /// <param name="currencyCode">ISO 4217 currency code</param>
    /// <returns>The exponent</returns>
    public static int Exponent(string currencyCode)
    {
        if (string.IsNullOrWhiteSpace(currencyCode))
            throw new ArgumentException("Currency code is required", nameof(currencyCode));

        return _exponents.TryGetValue(currencyCode.Trim(), out var exponent) ? exponent : 2;
    }

    /// <summary>
    /// Converts an amount to integer minor units, rounding half away from zero
    /// </summary>
    /// <param name="amount">Amount in major units</param>
    /// <param name="currencyCode">ISO 4217 currency code</param>
    /// <returns>The amount in minor units</returns>
    public static long ToMinor(decimal amount, string currencyCode)
    {
        var scaled = amount * Pow10(Exponent(currencyCode));
        return decimal.ToInt64(Math.Round(scaled, 0, MidpointRounding.AwayFromZero));
    }

    /// <summary>
    /// Converts integer minor units to an amount in major units
    /// </summary>
    /// <param name="minor">Amount in minor units</param>
    /// <param name="currencyCode">ISO 4217 currency code</param>
    /// <returns>The amount in major units</returns>
    public static decimal FromMinor(long minor, string currencyCode)
    {
        return minor / Pow10(Exponent(currencyCode));
    }

    /// <summary>
    /// Converts a tax rate in percent to Klarna's basis points of percent (19.5 -> 1950), rounding half away from zero
    /// </summary>
    /// <param name="percent">Tax rate in percent</param>
    /// <returns>The tax rate in basis points</returns>
    public static int TaxRateToBasisPoints(decimal percent)
    {
        return decimal.ToInt32(Math.Round(percent * 100m, 0, MidpointRounding.AwayFromZero));
    }

    #endregion

    #region Utilities

    private static decimal Pow10(int exponent)
    {
        var factor = 1m;
        for (var i = 0; i < exponent; i++)
            factor *= 10m;

        return factor;
    }

    #endregion
}
