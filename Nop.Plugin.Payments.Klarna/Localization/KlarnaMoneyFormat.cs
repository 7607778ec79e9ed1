using System.Globalization;
using System.Text;

namespace Nop.Plugin.Payments.Klarna.Localization;

/// <summary>
/// How nopCommerce's price formatting writes amounts of one currency for the admin (prefix, separators, grouping, decimals,
/// suffix), read from what the price formatter made of a probe amount. The admin script formats the sums it adds up with
/// it; <see cref="Format"/> is the same algorithm in C#, so that a description is only handed out when it writes exactly
/// what nopCommerce writes
/// </summary>
public sealed class KlarnaMoneyFormat
{
    #region Constants

    /// <summary>
    /// Gets the integer digits of the probe amount (distinct digits, so that each group can be told apart)
    /// </summary>
    public const string ProbeIntegerDigits = "1234567";

    /// <summary>
    /// Gets the fraction digits of the probe amount (as many as the currency has)
    /// </summary>
    public const string ProbeFractionDigits = "891";

    #endregion

    #region Properties

    /// <summary>Gets or sets what comes before the digits (e.g. "$", "€", "CHF ")</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>Gets or sets what comes after the digits (e.g. " €", " kr", " (USD)")</summary>
    public string Suffix { get; init; } = string.Empty;

    /// <summary>Gets or sets the decimal separator (empty without decimals)</summary>
    public string DecimalSeparator { get; init; } = string.Empty;

    /// <summary>Gets or sets the group separator (empty without grouping)</summary>
    public string GroupSeparator { get; init; } = string.Empty;

    /// <summary>Gets or sets the sizes of the digit groups from the right (the last one repeats; empty without grouping)</summary>
    public IReadOnlyList<int> GroupSizes { get; init; } = Array.Empty<int>();

    /// <summary>Gets or sets how many decimals are written</summary>
    public int Decimals { get; init; }

    /// <summary>Gets or sets the currency's exponent (minor units per unit = 10^exponent)</summary>
    public int Exponent { get; init; }

    #endregion

    #region Utilities

    private static string Group(string digits, IReadOnlyList<int> sizes, string separator)
    {
        if (sizes.Count == 0 || string.IsNullOrEmpty(separator))
            return digits;

        var groups = new List<string>();
        var end = digits.Length;
        for (var i = 0; end > 0; i++)
        {
            var size = sizes[Math.Min(i, sizes.Count - 1)];
            if (size <= 0)
            {
                groups.Insert(0, digits[..end]);
                break;
            }

            var start = Math.Max(0, end - size);
            groups.Insert(0, digits[start..end]);
            end = start;
        }

        return string.Join(separator, groups);
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets the probe amount in minor units of a currency with the given exponent: 1234567.891 cut to the exponent
    /// </summary>
    /// <param name="exponent">Currency exponent</param>
    /// <returns>Minor units</returns>
    public static long ProbeMinor(int exponent) =>
        long.Parse(ProbeIntegerDigits + ProbeFractionDigits[..Math.Min(exponent, ProbeFractionDigits.Length)].PadRight(exponent, '0'), CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the format from what the price formatter wrote for the probe amount (<see cref="ProbeMinor"/>)
    /// </summary>
    /// <param name="formattedProbe">The formatted probe</param>
    /// <param name="exponent">Currency exponent</param>
    /// <returns>The format, or null when the text is not made of the probe's digits</returns>
    public static KlarnaMoneyFormat Read(string formattedProbe, int exponent)
    {
        if (string.IsNullOrEmpty(formattedProbe))
            return null;

        var first = -1;
        var last = -1;
        for (var i = 0; i < formattedProbe.Length; i++)
        {
            if (!char.IsAsciiDigit(formattedProbe[i]))
                continue;
            if (first < 0)
                first = i;
            last = i;
        }
        if (first < 0)
            return null;

        //the digits and what separates them
        var runs = new List<string>();
        var separators = new List<string>();
        var run = new StringBuilder();
        var separator = new StringBuilder();
        foreach (var c in formattedProbe[first..(last + 1)])
        {
            if (char.IsAsciiDigit(c))
            {
                if (separator.Length > 0)
                {
                    separators.Add(separator.ToString());
                    separator.Clear();
                }
                run.Append(c);
            }
            else
            {
                if (run.Length > 0)
                {
                    runs.Add(run.ToString());
                    run.Clear();
                }
                separator.Append(c);
            }
        }
        runs.Add(run.ToString());

        var digits = string.Concat(runs);
        var decimals = digits.Length - ProbeIntegerDigits.Length;
        if (decimals < 0 || !digits.StartsWith(ProbeIntegerDigits, StringComparison.Ordinal))
            return null;

        var integerRuns = runs;
        var decimalSeparator = string.Empty;
        if (decimals > 0)
        {
            if (runs.Count < 2 || runs[^1].Length != decimals)
                return null;
            decimalSeparator = separators[^1];
            integerRuns = runs.Take(runs.Count - 1).ToList();
            separators = separators.Take(separators.Count - 1).ToList();
        }

        if (separators.Distinct(StringComparer.Ordinal).Count() > 1)
            return null;

        var sizes = new List<int>();
        if (integerRuns.Count > 1)
        {
            sizes.Add(integerRuns[^1].Length);
            if (integerRuns.Count > 2 && integerRuns[^2].Length != integerRuns[^1].Length)
                sizes.Add(integerRuns[^2].Length);
        }

        return new KlarnaMoneyFormat
        {
            Prefix = formattedProbe[..first],
            Suffix = formattedProbe[(last + 1)..],
            DecimalSeparator = decimalSeparator,
            GroupSeparator = separators.FirstOrDefault() ?? string.Empty,
            GroupSizes = sizes,
            Decimals = decimals,
            Exponent = exponent
        };
    }

    /// <summary>
    /// Writes an amount (zero or more) the way nopCommerce does for this currency; the admin script does the same
    /// </summary>
    /// <param name="minor">Amount in minor units</param>
    /// <returns>The text</returns>
    public string Format(long minor)
    {
        var value = Math.Abs(minor);

        //fewer decimals shown than the currency has: rounded half away from zero, as decimal.ToString does
        if (Decimals < Exponent)
        {
            var step = (long)Math.Pow(10, Exponent - Decimals);
            value = (value + step / 2) / step;
        }

        var digits = value.ToString(CultureInfo.InvariantCulture);
        if (Decimals > Exponent)
            digits += new string('0', Decimals - Exponent);
        digits = digits.PadLeft(Decimals + 1, '0');

        var integer = digits[..^Decimals];
        var fraction = Decimals > 0 ? digits[^Decimals..] : string.Empty;
        var text = Group(integer, GroupSizes, GroupSeparator) + (Decimals > 0 ? DecimalSeparator + fraction : string.Empty);
        return (minor < 0 ? "-" : string.Empty) + Prefix + text + Suffix;
    }

    #endregion
}
