using System;
using System.Collections.Generic;
using System.Net;

namespace Klarna.Sandbox;

/// <summary>
/// The payment method categories the sandbox offers and their logos (asset_urls: /kp/assets/{identifier}_{descriptive|standard}.svg),
/// simple SVGs of the sandbox's own making in place of Klarna's
/// </summary>
public static class SandboxAssets
{
    /// <summary>
    /// Gets the categories of every session: identifier and name
    /// </summary>
    public static IReadOnlyList<(string Identifier, string Name)> Categories { get; } = new[]
    {
        ("klarna", "Pay with Klarna"), ("pay_later", "Pay later"), ("pay_over_time", "Financing"), ("pay_now", "Pay now")
    };

    /// <summary>
    /// Gets the logo of an asset file name ("pay_later_standard.svg"), or null when there is none
    /// </summary>
    public static string Svg(string fileName)
    {
        foreach (var (identifier, name) in Categories)
        {
            if (fileName == $"{identifier}_standard.svg")
                return Logo(56, "Klarna");
            if (fileName == $"{identifier}_descriptive.svg")
                return Logo(200, "Klarna · " + name);
        }

        return null;
    }

    private static string Logo(int width, string text) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"24\" viewBox=\"0 0 {width} 24\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(text)}\">" +
        $"<rect width=\"{width}\" height=\"24\" rx=\"5\" fill=\"#ffb3c7\"/>" +
        $"<text x=\"{width / 2}\" y=\"16\" font-family=\"sans-serif\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#17120f\">{WebUtility.HtmlEncode(text)}</text></svg>";
}
