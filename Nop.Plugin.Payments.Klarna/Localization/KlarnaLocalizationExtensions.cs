using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Services.Localization;

namespace Nop.Plugin.Payments.Klarna.Localization;

/// <summary>
/// Locale resource look-ups of the plugin
/// </summary>
public static class KlarnaLocalizationExtensions
{
    /// <summary>
    /// Gets the resource key of a checkout message: Plugins.Payments.Klarna.Checkout.{message}
    /// </summary>
    /// <param name="message">Checkout message</param>
    /// <returns>Resource key</returns>
    public static string ResourceKeyOf(KlarnaCheckoutMessage message) => KlarnaDefaults.Locale.Checkout + message;

    /// <summary>
    /// Gets the text of a checkout message in the current language
    /// </summary>
    /// <param name="localizationService">Localization service</param>
    /// <param name="message">Checkout message</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the text</returns>
    public static Task<string> GetCheckoutTextAsync(this ILocalizationService localizationService, KlarnaCheckoutMessage message) =>
        localizationService.GetResourceAsync(ResourceKeyOf(message));
}
