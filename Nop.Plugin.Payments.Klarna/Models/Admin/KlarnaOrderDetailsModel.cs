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

    /// <summary>Gets or sets the number of decimals of the currency</summary>
    public int CurrencyExponent { get; set; }

    /// <summary>Gets or sets how nopCommerce writes amounts of the currency (JSON for the script: prefix, separators, grouping,
    /// decimals, suffix), or null when the script cannot write them as nopCommerce does (it then shows no sums)</summary>
    public string MoneyFormatJson { get; set; }

    /// <summary>Gets or sets the rules the script reads typed amounts by (JSON: the admin's culture and the displayed format)</summary>
    public string AmountRulesJson { get; set; }

    /// <summary>Gets or sets an amount written in the admin's culture (e.g. "1,234.56"), for the hints</summary>
    public string AmountExample { get; set; }

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

    /// <summary>
    /// Gets or sets the ids of the operations shown without an outcome (comma-separated): the script posts them with each
    /// action, so that a click decided while one of them was open is refused once it turns out done
    /// </summary>
    public string UnsettledOperationIds { get; set; }
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

    public string TotalAmount { get; set; }
    public long CapturedQuantity { get; set; }
    public long RefundedQuantity { get; set; }
    public long CapturableQuantity { get; set; }
    public long RefundableQuantity { get; set; }

    /// <summary>
    /// Gets or sets the amount of 1, 2, ... CapturableQuantity units as the capture of them will be (JSON array of minor units)
    /// </summary>
    public string CaptureAmountsJson { get; set; }

    /// <summary>
    /// Gets or sets the amount of 1, 2, ... RefundableQuantity units as the refund of them will be (JSON array of minor units)
    /// </summary>
    public string RefundAmountsJson { get; set; }

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

    /// <summary>Gets or sets where the capture was made (the plugin's initiator, or the Klarna Merchant Portal)</summary>
    public string Origin { get; set; }
    public bool IsMerchantPortal { get; set; }

    /// <summary>Gets or sets the admin who made it (captures made from the block)</summary>
    public string InitiatedBy { get; set; }
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

    /// <summary>Gets or sets where the refund was made (the plugin's initiator, or the Klarna Merchant Portal)</summary>
    public string Origin { get; set; }
    public bool IsMerchantPortal { get; set; }

    /// <summary>Gets or sets the admin who made it (refunds made from the block)</summary>
    public string InitiatedBy { get; set; }
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
