namespace Nop.Plugin.Payments.Klarna.Localization;

/// <summary>
/// The plugin's locale resources (English), added on install and removed by prefix on uninstall.
/// Each feature adds its own resources in its own file by implementing one of the partial methods below.
/// </summary>
public static partial class KlarnaLocaleResources
{
    static partial void AddGeneral(IDictionary<string, string> resources);
    static partial void AddCheckout(IDictionary<string, string> resources);
    static partial void AddOrderManagement(IDictionary<string, string> resources);
    static partial void AddAdmin(IDictionary<string, string> resources);
    static partial void AddStatusSync(IDictionary<string, string> resources);

    /// <summary>
    /// Gets every resource of the plugin
    /// </summary>
    /// <returns>Resource name to English value</returns>
    public static IDictionary<string, string> GetAll()
    {
        var resources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Plugins.Payments.Klarna.PaymentMethodDescription"] = "Pay with Klarna: pay now, pay later or slice it.",
        };
        AddGeneral(resources);
        AddCheckout(resources);
        AddOrderManagement(resources);
        AddAdmin(resources);
        AddStatusSync(resources);
        return resources;
    }
}
