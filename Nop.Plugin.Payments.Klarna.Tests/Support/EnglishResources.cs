using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Checkout;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// The plugin's English locale resources, as an installed shop has them, for tests that build texts without a localization service
/// </summary>
public static class EnglishResources
{
    /// <summary>
    /// Gets every resource of the plugin (name to English value)
    /// </summary>
    public static IDictionary<string, string> All { get; } = KlarnaLocaleResources.GetAll();

    /// <summary>
    /// Gets a resource the way nopCommerce answers: its value, or the key when it is missing
    /// </summary>
    /// <param name="key">Resource name</param>
    /// <returns>The text</returns>
    public static string Get(string key) => All.TryGetValue(key, out var value) ? value : key;

    /// <summary>
    /// Gets the English names of the lines that are not products
    /// </summary>
    public static KlarnaLineNames LineNames { get; } = KlarnaLineNames.LoadAsync(key => Task.FromResult(Get(key))).GetAwaiter().GetResult();
}
