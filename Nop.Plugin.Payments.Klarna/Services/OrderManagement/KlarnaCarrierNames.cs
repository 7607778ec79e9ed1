namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The carriers' own names, as Klarna's shipping_company takes them: proper names, the same in every language
/// </summary>
public static class KlarnaCarrierNames
{
    /// <summary>
    /// Gets the carrier of nopCommerce's carrier plugins (rate computation method system name to carrier)
    /// </summary>
    public static IReadOnlyDictionary<string, string> Plugins { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Shipping.UPS"] = "UPS",
        ["Shipping.FedEx"] = "FedEx",
        ["Shipping.USPS"] = "USPS",
        ["Shipping.CanadaPost"] = "Canada Post",
        ["Shipping.AustraliaPost"] = "Australia Post"
    };

    /// <summary>
    /// Gets the carriers recognized at the start of a shipping method's name
    /// </summary>
    public static IReadOnlyList<string> Prefixes { get; } = new[]
    {
        "UPS", "FedEx", "USPS", "DHL Express", "DHL", "DPD", "GLS", "PostNord", "Bring", "Posti", "Royal Mail", "Evri", "Hermes", "Canada Post",
        "Australia Post", "Budbee", "Instabox", "Schenker", "TNT", "Parcelforce", "Deutsche Post", "PostNL", "bpost", "Colissimo", "Chronopost",
        "Swiss Post", "Österreichische Post", "Poczta Polska", "InPost", "Correos", "Poste Italiane", "Purolator", "OnTrac", "Amazon Shipping"
    };
}
