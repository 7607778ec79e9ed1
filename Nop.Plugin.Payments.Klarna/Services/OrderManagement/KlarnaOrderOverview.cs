using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// State of one Klarna order line (amounts in minor units)
/// </summary>
public class KlarnaLineState
{
    public string Reference { get; set; }
    public string Name { get; set; }
    public string Type { get; set; }
    public long Quantity { get; set; }
    public long UnitPrice { get; set; }
    public long TotalAmount { get; set; }
    public long TotalDiscountAmount { get; set; }
    public long CapturedQuantity { get; set; }
    public long RefundedQuantity { get; set; }
    public long CapturableQuantity { get; set; }
    public long RefundableQuantity { get; set; }
}

/// <summary>
/// Everything the admin needs about a Klarna order (amounts in minor units of <see cref="CurrencyCode"/>)
/// </summary>
public class KlarnaOrderOverview
{
    public KlarnaOrderRecord Record { get; set; }

    /// <summary>
    /// Gets or sets Klarna's order, read fresh (null when the read failed)
    /// </summary>
    public KlarnaOrder KlarnaOrder { get; set; }

    /// <summary>
    /// Gets or sets the error of the read
    /// </summary>
    public string ReadError { get; set; }

    public IList<KlarnaOperation> Operations { get; set; } = new List<KlarnaOperation>();
    public IList<KlarnaLineState> Lines { get; set; } = new List<KlarnaLineState>();
    public string CurrencyCode { get; set; }
    public long OrderAmountMinor { get; set; }
    public long CapturedAmountMinor { get; set; }
    public long RefundedAmountMinor { get; set; }
    public long RemainingAuthorizedAmountMinor { get; set; }
    public long RefundableAmountMinor { get; set; }
    public bool CanCapture { get; set; }
    public bool CanCancel { get; set; }
    public bool CanRelease { get; set; }
    public bool CanRefund { get; set; }
    public bool CanExtendAuthorization { get; set; }
    public bool ExpiresSoon { get; set; }
}
