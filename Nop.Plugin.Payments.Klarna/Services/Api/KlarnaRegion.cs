namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents the Klarna API region (selects the API host)
/// </summary>
public enum KlarnaRegion
{
    /// <summary>
    /// Europe (api.klarna.com)
    /// </summary>
    Europe = 0,

    /// <summary>
    /// North America (api-na.klarna.com)
    /// </summary>
    NorthAmerica = 1,

    /// <summary>
    /// Oceania (api-oc.klarna.com)
    /// </summary>
    Oceania = 2
}
