namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// The one way the plugin fits a text into a length limit (Klarna's field limits, the plugin's columns)
/// </summary>
public static class KlarnaText
{
    /// <summary>
    /// Trims a text and cuts it to a length
    /// </summary>
    /// <param name="value">Text</param>
    /// <param name="length">Most characters</param>
    /// <returns>The trimmed text of at most <paramref name="length"/> characters; null for a null or blank text</returns>
    public static string Truncate(string value, int length)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;

        var trimmed = value.Trim();
        return trimmed.Length <= length ? trimmed : trimmed[..length];
    }
}
