
namespace Nop.Plugin.Payments.Klarna.Services.Api.Models;

/// <summary>
/// Represents Klarna fraud statuses
/// </summary>
public static class KlarnaFraudStatus
{
    /// <summary>Accepted: the order may be fulfilled</summary>
    public const string Accepted = "ACCEPTED";

    /// <summary>Pending review: hold the shipment</summary>
    public const string Pending = "PENDING";

    /// <summary>Rejected: do not ship</summary>
    public const string Rejected = "REJECTED";

    /// <summary>Stopped (stop request)</summary>
    public const string Stopped = "STOPPED";
}
