using System.Globalization;
using System.Text.RegularExpressions;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Validators;

/// <summary>
/// Strict parsing of an amount typed by an admin: invariant culture ("1234.56"), at most the currency's decimals, greater than zero.
/// Conversion to minor units goes through KlarnaAmount.ToMinor only.
/// </summary>
public static partial class KlarnaAmountInput
{
    [GeneratedRegex(@"^(?<int>[0-9]{1,15})(\.(?<frac>[0-9]{1,9}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();

    /// <summary>
    /// Parses an amount typed by an admin
    /// </summary>
    /// <param name="text">Typed text</param>
    /// <param name="currencyCode">ISO 4217 currency code of the order</param>
    /// <param name="amountMinor">Parsed amount in minor units</param>
    /// <param name="errorResource">Locale resource name of the error when parsing failed</param>
    /// <returns>True when the text is a valid positive amount</returns>
    public static bool TryParse(string text, string currencyCode, out long amountMinor, out string errorResource)
    {
        amountMinor = 0;
        errorResource = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errorResource = "Plugins.Payments.Klarna.Admin.Error.AmountRequired";
            return false;
        }

        var match = AmountPattern().Match(trimmed);
        if (!match.Success)
        {
            errorResource = "Plugins.Payments.Klarna.Admin.Error.AmountFormat";
            return false;
        }

        var fraction = match.Groups["frac"];
        if (fraction.Success && fraction.Value.Length > KlarnaAmount.Exponent(currencyCode))
        {
            errorResource = "Plugins.Payments.Klarna.Admin.Error.AmountDecimals";
            return false;
        }

        var amount = decimal.Parse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (amount <= 0)
        {
            errorResource = "Plugins.Payments.Klarna.Admin.Error.AmountPositive";
            return false;
        }

        amountMinor = KlarnaAmount.ToMinor(amount, currencyCode);
        return true;
    }
}
