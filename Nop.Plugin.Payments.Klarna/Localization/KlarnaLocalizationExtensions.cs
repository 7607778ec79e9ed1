using Nop.Services.Localization;

namespace Nop.Plugin.Payments.Klarna.Localization;

/// <summary>
/// Locale resource look-ups of the plugin
/// </summary>
public static class KlarnaLocalizationExtensions
{
    /// <summary>
    /// Gets a checkout resource (Plugins.Payments.Klarna.Checkout.{key}), or the English fallback when the resource is
    /// missing (e.g. a language added after the plugin was installed)
    /// </summary>
    /// <param name="localizationService">Localization service</param>
    /// <param name="key">Key below Plugins.Payments.Klarna.Checkout.</param>
    /// <param name="fallback">English text</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the text</returns>
    public static async Task<string> GetCheckoutResourceAsync(this ILocalizationService localizationService, string key, string fallback)
    {
        var value = await localizationService.GetResourceAsync($"Plugins.Payments.Klarna.Checkout.{key}");
        return string.IsNullOrWhiteSpace(value) || value.StartsWith("Plugins.", StringComparison.Ordinal) ? fallback : value;
    }
}
