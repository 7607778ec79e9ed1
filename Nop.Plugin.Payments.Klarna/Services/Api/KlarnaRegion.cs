
namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Klarna's API regions; each has its own hosts and its own credentials
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
