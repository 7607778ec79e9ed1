using System.Globalization;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Validators;

/// <summary>
/// Reads an amount an admin typed, in the admin's working culture (nopCommerce's current language culture) and in the format
/// the page shows amounts of the currency (nopCommerce's price formatting): group separators and the currency symbol as
/// displayed are accepted. A text that both readings take with different values is ambiguous; such a text and a malformed
/// one are refused with the expected format. The admin script reads typed amounts by the same rules
/// (<see cref="KlarnaAmountRules"/>). Conversion to minor units goes through KlarnaAmount only.
/// </summary>
public static class KlarnaAmountInput
{
    #region Constants

    /// <summary>
    /// Gets the most integer digits an amount may have
    /// </summary>
    public const int MaxIntegerDigits = 15;

    #endregion

    #region Utilities

    private static bool IsSpace(char c) => c is ' ' or '\u00A0' or '\u202F' or '\u2009';

    /// <summary>
    /// Normalizes the spaces a group separator may be typed with (a culture's no-break space is typed as a space)
    /// </summary>
    private static string NormalizeSpaces(string text) => new(text.Select(c => IsSpace(c) ? ' ' : c).ToArray());

    /// <summary>
    /// Reads a text with one decimal and one group separator
    /// </summary>
    /// <returns>Null when the text is no number in this reading; else the integer and fraction digits</returns>
    private static (string Integer, string Fraction)? Read(string text, KlarnaAmountReading reading)
    {
        var decimalSeparator = NormalizeSpaces(reading.DecimalSeparator ?? string.Empty);
        var groupSeparator = NormalizeSpaces(reading.GroupSeparator ?? string.Empty);
        var integerText = text;
        var fraction = string.Empty;
        if (!string.IsNullOrEmpty(decimalSeparator))
        {
            var index = text.IndexOf(decimalSeparator, StringComparison.Ordinal);
            if (index >= 0)
            {
                integerText = text[..index];
                fraction = text[(index + decimalSeparator.Length)..];
                if (fraction.Length == 0 || !fraction.All(char.IsAsciiDigit))
                    return null;
            }
        }

        if (integerText.Length == 0)
            return null;

        var groups = string.IsNullOrEmpty(groupSeparator) ? new[] { integerText } : integerText.Split(groupSeparator);
        if (groups.Any(group => group.Length == 0 || !group.All(char.IsAsciiDigit)))
            return null;

        if (groups.Length > 1)
        {
            //grouped from the right by the reading's sizes (the last size repeats); the leftmost group may be shorter
            var sizes = reading.GroupSizes?.Count > 0 ? reading.GroupSizes : new[] { 3 };
            for (var i = 0; i < groups.Length - 1; i++)
            {
                var size = sizes[Math.Min(i, sizes.Count - 1)];
                var group = groups[groups.Length - 1 - i];
                if (group.Length != size)
                    return null;
            }
            var leftmost = groups[0].Length;
            if (leftmost > sizes[Math.Min(groups.Length - 1, sizes.Count - 1)])
                return null;
        }

        return (string.Concat(groups), fraction);
    }

    #endregion

    #region Methods

    /// <summary>
    /// Reads an amount typed by an admin
    /// </summary>
    /// <param name="text">Typed text</param>
    /// <param name="currencyCode">ISO 4217 currency code of the order</param>
    /// <param name="rules">The readings of the admin's culture and of the displayed format, and the currency's markers</param>
    /// <returns>The amount in minor units, or the refusal (with the expected format)</returns>
    public static (long AmountMinor, KlarnaRefusal Refusal) Parse(string text, string currencyCode, KlarnaAmountRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);

        var trimmed = NormalizeSpaces(text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
            return (0, new KlarnaRefusal(KlarnaRefusalCode.AmountRequired));

        //the currency as displayed (symbol or code) before or after the digits
        foreach (var marker in rules.CurrencyMarkers.Select(m => NormalizeSpaces(m).Trim()).Where(m => m.Length > 0).OrderByDescending(m => m.Length))
        {
            if (trimmed.StartsWith(marker, StringComparison.OrdinalIgnoreCase))
                trimmed = trimmed[marker.Length..].Trim();
            else if (trimmed.EndsWith(marker, StringComparison.OrdinalIgnoreCase))
                trimmed = trimmed[..^marker.Length].Trim();
        }

        var exponent = KlarnaAmount.Exponent(currencyCode);
        var readings = rules.Readings.Select(reading => Read(trimmed, reading)).Where(read => read.HasValue).Select(read => read.Value)
            .Where(read => read.Integer.TrimStart('0').Length <= MaxIntegerDigits && read.Fraction.Length <= 9)
            .Distinct().ToList();
        if (readings.Count == 0)
            return (0, new KlarnaRefusal(KlarnaRefusalCode.AmountMalformed, rules.Example));

        var values = readings.Select(read => decimal.Parse(read.Integer + (read.Fraction.Length > 0 ? "." + read.Fraction : string.Empty), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture))
            .Distinct().ToList();
        if (values.Count > 1)
            return (0, new KlarnaRefusal(KlarnaRefusalCode.AmountAmbiguous, trimmed, rules.Example));

        if (readings.All(read => read.Fraction.Length > exponent))
            return (0, new KlarnaRefusal(KlarnaRefusalCode.AmountTooManyDecimals, exponent, rules.Example));

        if (values[0] <= 0)
            return (0, new KlarnaRefusal(KlarnaRefusalCode.AmountNotPositive));

        return (KlarnaAmount.ToMinor(values[0], currencyCode), null);
    }

    #endregion
}

/// <summary>
/// One way of reading a typed amount: a decimal separator, a group separator and the sizes of the groups
/// </summary>
public sealed record KlarnaAmountReading(string DecimalSeparator, string GroupSeparator, IReadOnlyList<int> GroupSizes);

/// <summary>
/// The rules typed amounts of one currency are read by, for one admin: the admin's working culture, the displayed format,
/// the currency's markers and an example of the expected format. Given to the admin script as they are
/// </summary>
public sealed class KlarnaAmountRules
{
    /// <summary>Gets or sets the readings: the working culture's first, then the displayed format's</summary>
    public IReadOnlyList<KlarnaAmountReading> Readings { get; init; } = Array.Empty<KlarnaAmountReading>();

    /// <summary>Gets or sets what may stand before or after the digits (the displayed prefix and suffix, the currency code)</summary>
    public IReadOnlyList<string> CurrencyMarkers { get; init; } = Array.Empty<string>();

    /// <summary>Gets or sets an amount written in the working culture (e.g. "1,234.56"), shown with a refusal</summary>
    public string Example { get; init; }

    /// <summary>Gets or sets the currency's exponent (decimals)</summary>
    public int Exponent { get; init; }

    /// <summary>
    /// Gets the rules of a currency for an admin
    /// </summary>
    /// <param name="culture">The admin's working culture</param>
    /// <param name="currencyCode">Currency (ISO 4217)</param>
    /// <param name="displayed">How amounts of the currency are displayed (null when not known)</param>
    /// <returns>The rules</returns>
    public static KlarnaAmountRules For(CultureInfo culture, string currencyCode, KlarnaMoneyFormat displayed)
    {
        culture ??= CultureInfo.InvariantCulture;
        var exponent = KlarnaAmount.Exponent(currencyCode);
        var number = culture.NumberFormat;
        var readings = new List<KlarnaAmountReading>
        {
            new(number.NumberDecimalSeparator, number.NumberGroupSeparator, number.NumberGroupSizes.Where(size => size > 0).ToArray())
        };
        if (displayed is not null)
            readings.Add(new KlarnaAmountReading(displayed.DecimalSeparator, displayed.GroupSeparator, displayed.GroupSizes));

        var markers = new List<string> { currencyCode?.ToUpperInvariant() };
        if (displayed is not null)
        {
            markers.Add(displayed.Prefix);
            markers.Add(displayed.Suffix);
        }

        return new KlarnaAmountRules
        {
            Readings = readings.Distinct().ToList(),
            CurrencyMarkers = markers.Where(marker => !string.IsNullOrWhiteSpace(marker)).Select(marker => marker.Trim()).Distinct().ToList(),
            Example = 1234.56m.ToString("N" + exponent, culture),
            Exponent = exponent
        };
    }
}
