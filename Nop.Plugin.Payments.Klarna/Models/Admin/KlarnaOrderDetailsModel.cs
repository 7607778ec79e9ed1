using Nop.Web.Framework.Models;

namespace Nop.Plugin.Payments.Klarna.Models.Admin;

/// <summary>
/// Represents the Klarna block on the admin order page. Everything the view shows is prepared here (no arithmetic in Razor);
/// amounts used by the script are integers in minor units.
/// </summary>
public record KlarnaOrderDetailsModel : BaseNopEntityModel
{
    public KlarnaOrderDetailsModel()
    {
        Captures = new List<KlarnaCaptureRowModel>();
        Refunds = new List<KlarnaRefundRowModel>();
        Operations = new List<KlarnaOperationRowModel>();
        Lines = new List<KlarnaLineRowModel>();
    }

    public string KlarnaOrderId { get; set; }
    public string KlarnaReference { get; set; }
    public string MerchantPortalUrl { get; set; }
    public string KlarnaStatus { get; set; }
    public string FraudStatus { get; set; }
    public bool FraudStatusWarning { get; set; }

    /// <summary>
    /// Gets or sets what Klarna's fraud decision asks of the merchant (pending review, rejected, stopped: do not ship), or null
    /// </summary>
    public string FraudWarning { get; set; }

    /// <summary>
    /// Gets or sets a notice that another operation on the order was under way when the block was read, or null
    /// </summary>
    public string BusyNotice { get; set; }
    public string Environment { get; set; }
    public bool IsPlayground { get; set; }

    /// <summary>Gets or sets the message shown when Klarna could not be read (the stored state is shown instead)</summary>
    public string ReadError { get; set; }

    public string CurrencyCode { get; set; }

    /// <summary>Gets or sets the number of decimals of the currency (for parsing typed amounts in the script)</summary>
    public int CurrencyExponent { get; set; }

    public string OrderAmount { get; set; }
    public string CapturedAmount { get; set; }
    public string RefundedAmount { get; set; }
    public string RemainingAuthorizedAmount { get; set; }
    public string RefundableAmount { get; set; }
    public long RemainingAuthorizedAmountMinor { get; set; }
    public long RefundableAmountMinor { get; set; }

    public string InitialPaymentMethod { get; set; }
    public string ExpiresOn { get; set; }
    public bool ExpiresSoon { get; set; }

    public bool CanCapture { get; set; }
    public bool CanCancel { get; set; }
    public bool CanRelease { get; set; }
    public bool CanRefund { get; set; }

    /// <summary>Gets or sets a value indicating whether the current admin may run actions (not a vendor, has the permission)</summary>
    public bool CanManage { get; set; }

    public IList<KlarnaCaptureRowModel> Captures { get; set; }
    public IList<KlarnaRefundRowModel> Refunds { get; set; }
    public IList<KlarnaOperationRowModel> Operations { get; set; }
    public IList<KlarnaLineRowModel> Lines { get; set; }

    public bool HasCapturableLines { get; set; }
    public bool HasRefundableLines { get; set; }

    public string CaptureUrl { get; set; }
    public string RefundUrl { get; set; }
    public string CancelUrl { get; set; }
    public string ReleaseUrl { get; set; }
    public string RefreshUrl { get; set; }
}

/// <summary>
/// Represents an order line with what is left to capture and to refund
/// </summary>
public record KlarnaLineRowModel : BaseNopModel
{
    public string Reference { get; set; }
    public string Name { get; set; }
    public string Type { get; set; }
    public long Quantity { get; set; }
    public string UnitPrice { get; set; }

    /// <summary>Gets or sets the unit price in minor units</summary>
    public long UnitPriceMinor { get; set; }

    /// <summary>Gets or sets the line's total discount in minor units</summary>
    public long TotalDiscountAmountMinor { get; set; }

    /// <summary>Gets or sets what is left to capture of the line in minor units (the amount of a capture of all capturable units)</summary>
    public long CapturableAmountMinor { get; set; }

    /// <summary>Gets or sets what is left to refund of the line in minor units (the amount of a refund of all refundable units)</summary>
    public long RefundableAmountMinor { get; set; }

    /// <summary>Gets or sets the line total (quantity x unit price - discount) in minor units</summary>
    public long TotalAmountMinor { get; set; }
    public string TotalAmount { get; set; }
    public long CapturedQuantity { get; set; }
    public long RefundedQuantity { get; set; }
    public long CapturableQuantity { get; set; }
    public long RefundableQuantity { get; set; }

    /// <summary>
    /// Gets or sets how many units are not captured yet (capturing all of them takes exactly what is left of the line)
    /// </summary>
    public long UncapturedQuantity { get; set; }

    /// <summary>
    /// Gets or sets how many captured units are not refunded yet (refunding all of them takes exactly what is left)
    /// </summary>
    public long UnrefundedQuantity { get; set; }

    /// <summary>
    /// Gets or sets why the line is left out of a capture (or why fewer units can be captured), or null
    /// </summary>
    public string CaptureNote { get; set; }

    /// <summary>
    /// Gets or sets why the line is left out of a refund (or why fewer units can be refunded), or null
    /// </summary>
    public string RefundNote { get; set; }
}

/// <summary>
/// Represents one capture
/// </summary>
public record KlarnaCaptureRowModel : BaseNopModel
{
    public string CaptureId { get; set; }
    public string KlarnaReference { get; set; }
    public string CapturedOn { get; set; }
    public string Amount { get; set; }
    public string Description { get; set; }
    public IList<string> Lines { get; set; } = new List<string>();
    public IList<string> Tracking { get; set; } = new List<string>();
}

/// <summary>
/// Represents one refund
/// </summary>
public record KlarnaRefundRowModel : BaseNopModel
{
    public string RefundId { get; set; }
    public string RefundedOn { get; set; }
    public string Amount { get; set; }
    public string Description { get; set; }
    public string Reference { get; set; }
    public IList<string> Lines { get; set; } = new List<string>();
}

/// <summary>
/// Represents a failed or pending operation
/// </summary>
public record KlarnaOperationRowModel : BaseNopModel
{
    public string Kind { get; set; }
    public string Status { get; set; }
    public bool IsFailed { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the operation needs a person's attention (no outcome after Klarna's replay window)
    /// </summary>
    public bool NeedsAttention { get; set; }
    public string CreatedOn { get; set; }
    public string Amount { get; set; }
    public string Initiator { get; set; }
    public string ErrorCode { get; set; }
    public string ErrorMessage { get; set; }
    public string CorrelationId { get; set; }
}
