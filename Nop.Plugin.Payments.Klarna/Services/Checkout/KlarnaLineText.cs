using Nop.Plugin.Payments.Klarna.Services.Api;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Nop.Plugin.Payments.Klarna.Services.Checkout;

/// <summary>
/// The names and references of Klarna order lines: plain text from nopCommerce's HTML attribute descriptions, within
/// Klarna's length, and references unique within one order (a product in several attribute combinations shares its SKU)
/// </summary>
public class KlarnaLineText
{
    #region Fields

    private static readonly Regex _tags = new("<[^>]*>", RegexOptions.Compiled);
    private static readonly Regex _breaks = new(@"<br\s*/?>", RegexOptions.Compiled | RegexOptions.IgnoreCase);
    private static readonly Regex _spaces = new(@"\s+", RegexOptions.Compiled);

    /// <summary>
    /// References already used in the order and, per wanted reference, the next suffix to try: many lines with the same
    /// SKU cost one try each instead of one per earlier duplicate
    /// </summary>
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.OrdinalIgnoreCase);

    #endregion

    #region Methods

    /// <summary>
    /// Converts nopCommerce's HTML attribute description to plain text ("Color: Red, Size: M")
    /// </summary>
    /// <param name="html">Attribute description</param>
    /// <returns>Plain text</returns>
    public static string PlainText(string html)
    {
        if (string.IsNullOrWhiteSpace(html))
            return string.Empty;

        var text = _breaks.Replace(html, ", ");
        text = _tags.Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        text = _spaces.Replace(text, " ").Trim().Trim(',').Trim();
        return text;
    }

    /// <summary>
    /// Gets the name of a product line: the product's name (or, when it has none, the localized "Product {id}") and its
    /// attributes in plain text, within Klarna's length
    /// </summary>
    /// <param name="item">The cart item or order item</param>
    /// <param name="names">Names in the customer's language: a product without a name is called <see cref="KlarnaLineNames.Product"/></param>
    /// <returns>Name</returns>
    public static string ItemName(KlarnaItemSource item, KlarnaLineNames names)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(names);
        var name = string.IsNullOrWhiteSpace(item.Name)
            ? string.Format(CultureInfo.InvariantCulture, names.Product, item.ProductId)
            : item.Name.Trim();
        var attributes = PlainText(item.AttributeDescription);
        if (!string.IsNullOrEmpty(attributes))
            name = $"{name} ({attributes})";

        return KlarnaText.Truncate(name, KlarnaLineRules.MaxTextLength);
    }

    /// <summary>
    /// Gets a reference not yet used in this order: the one wanted, else the wanted one with the next free suffix (-2, -3…)
    /// </summary>
    /// <param name="wanted">The wanted reference (e.g. the SKU); "line" when empty</param>
    /// <returns>Reference</returns>
    public string UniqueReference(string wanted)
    {
        var reference = KlarnaText.Truncate(string.IsNullOrWhiteSpace(wanted) ? "line" : wanted.Trim(), KlarnaLineRules.MaxTextLength);
        if (_used.Add(reference))
            return reference;

        //suffixes below the remembered one are all taken (the set only grows): same result as trying from -2 each time
        for (var n = _nextSuffix.GetValueOrDefault(reference, 2); ; n++)
        {
            var suffix = $"-{n}";
            var candidate = KlarnaText.Truncate(reference, KlarnaLineRules.MaxTextLength - suffix.Length) + suffix;
            if (_used.Add(candidate))
            {
                _nextSuffix[reference] = n + 1;
                return candidate;
            }
        }
    }

    #endregion
}
