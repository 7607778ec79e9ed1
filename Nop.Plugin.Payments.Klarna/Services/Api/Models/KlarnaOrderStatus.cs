
namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents Klarna Order Management order statuses
/// </summary>
public static class KlarnaOrderStatus
{
    /// <summary>Authorized, nothing captured</summary>
    public const string Authorized = "AUTHORIZED";

    /// <summary>Partly captured</summary>
    public const string PartCaptured = "PART_CAPTURED";

    /// <summary>Fully captured</summary>
    public const string Captured = "CAPTURED";

    /// <summary>Cancelled</summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>Expired</summary>
    public const string Expired = "EXPIRED";

    /// <summary>Closed</summary>
    public const string Closed = "CLOSED";
}
