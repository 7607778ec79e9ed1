namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Represents one line of the merchant's shipping carrier table: a nopCommerce shipping method (its name, e.g. "Ground",
/// or its rate computation method's system name, e.g. "Shipping.FixedByWeightByTotal") and the carrier and Klarna shipping
/// method it stands for
/// </summary>
/// <param name="Key">Shipping method name or rate computation method system name</param>
/// <param name="Carrier">Carrier name (shipping_company; null when none is sent)</param>
/// <param name="Method">Klarna shipping_method (null: decided as without a mapping)</param>
public sealed record KlarnaCarrierMapping(string Key, string Carrier, string Method);

/// <summary>
/// What is wrong with a line of the merchant's shipping carrier table
/// </summary>
public enum KlarnaCarrierLineProblem
{
    /// <summary>The line does not read "shipping method = carrier; Klarna shipping method"</summary>
    NotAMapping = 1,

    /// <summary>The line has more than one ';'</summary>
    TooManyParts = 2,

    /// <summary>The carrier has more than 100 characters</summary>
    CarrierTooLong = 3,

    /// <summary>The Klarna shipping method is not one of Klarna's</summary>
    UnknownShippingMethod = 4
}

/// <summary>
/// Pure rules of shipping info: which carrier (shipping_company) and which of Klarna's shipping_method values a nopCommerce
/// shipment gets. The carrier comes from the merchant's table, else from the shipment's rate computation method (UPS,
/// FedEx...) or the shipping method's name when it starts with a carrier's ("DHL Paket"; aggregators such as ShipStation
/// and EasyPost name their rates "USPS Priority Mail"); never a shipping method name that names no carrier ("Ground").
/// </summary>
public static class KlarnaShippingCarriers
{
    #region Fields

    /// <summary>
    /// Gets Klarna's shipping_method values
    /// </summary>
    public static IReadOnlyList<string> ShippingMethods { get; } = new[]
    {
        "PickUpStore", "Home", "BoxReg", "BoxUnreg", "PickUpPoint", "Own", "Postal", "DHLPackstation", "Digital", "Undefined",
        "PickUpWarehouse", "ClickCollect", "PalletDelivery"
    };

    private const string PickupInStoreProvider = "Pickup.PickupInStore";

    #endregion

    #region Methods

    /// <summary>
    /// Parses the merchant's table: one mapping a line, "shipping method = carrier; Klarna shipping method" (either part may
    /// be empty; # starts a comment)
    /// </summary>
    /// <param name="text">Table</param>
    /// <returns>The mappings and, for each line that is not one, its line number and what is wrong</returns>
    public static (IList<KlarnaCarrierMapping> Mappings, IList<(int Line, KlarnaCarrierLineProblem Problem)> Problems) Parse(string text)
    {
        var mappings = new List<KlarnaCarrierMapping>();
        var problems = new List<(int, KlarnaCarrierLineProblem)>();
        var lines = (text ?? string.Empty).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                problems.Add((i + 1, KlarnaCarrierLineProblem.NotAMapping));
                continue;
            }

            var key = line[..equals].Trim();
            var parts = line[(equals + 1)..].Split(';');
            var carrier = parts[0].Trim();
            var method = parts.Length > 1 ? parts[1].Trim() : string.Empty;
            if (parts.Length > 2)
                problems.Add((i + 1, KlarnaCarrierLineProblem.TooManyParts));
            else if (carrier.Length > 100)
                problems.Add((i + 1, KlarnaCarrierLineProblem.CarrierTooLong));
            else if (method.Length > 0 && !ShippingMethods.Contains(method, StringComparer.Ordinal))
                problems.Add((i + 1, KlarnaCarrierLineProblem.UnknownShippingMethod));
            else
                mappings.Add(new KlarnaCarrierMapping(key, carrier.Length == 0 ? null : carrier, method.Length == 0 ? null : method));
        }

        return (mappings, problems);
    }

    /// <summary>
    /// Gets the carrier and Klarna shipping method of an order's shipments
    /// </summary>
    /// <param name="mappings">The merchant's table</param>
    /// <param name="rateComputationMethod">The order's rate computation method (or pickup point provider) system name</param>
    /// <param name="shippingMethod">The order's shipping method name</param>
    /// <param name="pickupInStore">Whether the customer picks the order up</param>
    /// <param name="shipped">Whether the order is shipped at all</param>
    /// <returns>Carrier (null when unknown) and Klarna shipping method</returns>
    public static (string Carrier, string Method) Resolve(IEnumerable<KlarnaCarrierMapping> mappings, string rateComputationMethod,
        string shippingMethod, bool pickupInStore, bool shipped)
    {
        var list = mappings?.ToList() ?? new List<KlarnaCarrierMapping>();
        var mapping = list.FirstOrDefault(m => string.Equals(m.Key, shippingMethod?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? list.FirstOrDefault(m => string.Equals(m.Key, rateComputationMethod?.Trim(), StringComparison.OrdinalIgnoreCase));

        var carrier = mapping is not null ? mapping.Carrier : KnownCarrier(rateComputationMethod, shippingMethod);
        var method = mapping?.Method
            ?? (pickupInStore
                ? string.Equals(rateComputationMethod, PickupInStoreProvider, StringComparison.OrdinalIgnoreCase) ? "PickUpStore" : "PickUpPoint"
                : !shipped ? "Digital"
                : carrier is not null ? "Home"
                : "Undefined");

        return (carrier, method);
    }

    private static string KnownCarrier(string rateComputationMethod, string shippingMethod)
    {
        if (rateComputationMethod is not null && KlarnaCarrierNames.Plugins.TryGetValue(rateComputationMethod.Trim(), out var carrier))
            return carrier;

        // a shipping method named after its carrier ("DHL Paket", "USPS Priority Mail") names the carrier as specifically as Klarna asks
        var name = shippingMethod?.Trim() ?? string.Empty;
        return KlarnaCarrierNames.Prefixes.Any(known => name.StartsWith(known, StringComparison.OrdinalIgnoreCase)
            && (name.Length == known.Length || !char.IsLetterOrDigit(name[known.Length])))
            ? name
            : null;
    }

    #endregion
}
