using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Whether an operation is allowed now, up to which amount (minor units), or why not
/// </summary>
public sealed class KlarnaAllowance
{
    /// <summary>
    /// Gets the allowance of an operation allowed up to an amount
    /// </summary>
    public static KlarnaAllowance Allow(long limitMinor) => new() { Allowed = true, LimitMinor = limitMinor };

    /// <summary>
    /// Gets the allowance of an operation refused for a reason
    /// </summary>
    public static KlarnaAllowance Refuse(KlarnaRefusalCode code, params object[] args) => new() { Refusal = new KlarnaRefusal(code, args) };

    public bool Allowed { get; private init; }

    /// <summary>
    /// Gets the most the operation may move, in minor units (0 when refused)
    /// </summary>
    public long LimitMinor { get; private init; }

    /// <summary>
    /// Gets why it is refused (null when allowed)
    /// </summary>
    public KlarnaRefusal Refusal { get; private init; }
}

/// <summary>
/// What can still be done with one Klarna order line (amounts in minor units)
/// </summary>
public sealed class KlarnaLineAllowance
{
    public string Reference { get; init; }
    public string Name { get; init; }
    public string Type { get; init; }
    public long Quantity { get; init; }
    public long UnitPrice { get; init; }
    public long TotalAmount { get; init; }
    public long TotalDiscountAmount { get; init; }
    public long CapturedQuantity { get; init; }
    public long RefundedQuantity { get; init; }

    /// <summary>
    /// Gets how many units are not captured yet, whatever the remaining authorization allows
    /// </summary>
    public long UncapturedQuantity { get; init; }

    /// <summary>
    /// Gets the amount of the line not captured yet (what the last part of the line captures)
    /// </summary>
    public long UncapturedAmount { get; init; }

    /// <summary>
    /// Gets how many units can be captured now: within the remaining authorization (0 = the line is left out)
    /// </summary>
    public long CapturableQuantity { get; init; }

    /// <summary>
    /// Gets why the line is left out of a capture, or why fewer units than uncaptured can be captured (null otherwise)
    /// </summary>
    public KlarnaRefusal CaptureNote { get; init; }

    /// <summary>
    /// Gets how many captured units are not refunded yet
    /// </summary>
    public long UnrefundedQuantity { get; init; }

    /// <summary>
    /// Gets the captured amount of the line not refunded yet (what the last part of the line refunds)
    /// </summary>
    public long UnrefundedAmount { get; init; }

    /// <summary>
    /// Gets how many units can be refunded now: within what Klarna can still refund (0 = the line is left out)
    /// </summary>
    public long RefundableQuantity { get; init; }

    /// <summary>
    /// Gets why the line is left out of a refund, or why fewer units than unrefunded can be refunded (null otherwise)
    /// </summary>
    public KlarnaRefusal RefundNote { get; init; }
}

/// <summary>
/// How the fraud decision holds the order back
/// </summary>
public enum KlarnaFraudHold
{
    None = 0,
    Pending = 1,
    Rejected = 2,
    Stopped = 3
}

/// <summary>
/// Everything the policy decides about one Klarna order (amounts in minor units of <see cref="CurrencyCode"/>)
/// </summary>
public sealed class KlarnaOrderDecision
{
    public string CurrencyCode { get; init; }

    /// <summary>
    /// Gets Klarna's order status, upper case
    /// </summary>
    public string KlarnaStatus { get; init; }

    /// <summary>
    /// Gets Klarna's fraud status, upper case
    /// </summary>
    public string FraudStatus { get; init; }

    public KlarnaFraudHold FraudHold { get; init; }

    /// <summary>
    /// Gets nopCommerce's payment status that follows the money
    /// </summary>
    public PaymentStatus PaymentStatus { get; init; }

    /// <summary>
    /// Gets the events of the order status mapping the order went through, oldest first (empty for an unknown Klarna status)
    /// </summary>
    public IReadOnlyList<KlarnaStatusEvent> StatusEvents { get; init; } = Array.Empty<KlarnaStatusEvent>();

    /// <summary>
    /// Gets the event of the order status mapping that describes the order now (null for an unknown Klarna status)
    /// </summary>
    public KlarnaStatusEvent? StatusEvent => StatusEvents.Count == 0 ? null : StatusEvents[^1];

    public long OrderAmountMinor { get; init; }
    public long CapturedAmountMinor { get; init; }
    public long RefundedAmountMinor { get; init; }
    public long RemainingAuthorizedAmountMinor { get; init; }

    /// <summary>
    /// Gets what Klarna can still refund: captured and not refunded
    /// </summary>
    public long RefundableAmountMinor { get; init; }

    public KlarnaAllowance Capture { get; init; }
    public KlarnaAllowance Refund { get; init; }
    public KlarnaAllowance Cancel { get; init; }
    public KlarnaAllowance Release { get; init; }
    public KlarnaAllowance Extend { get; init; }

    /// <summary>
    /// Gets what can still be done per order line
    /// </summary>
    public IReadOnlyList<KlarnaLineAllowance> Lines { get; init; } = Array.Empty<KlarnaLineAllowance>();

    /// <summary>
    /// Gets a value indicating whether the authorization can still be captured and expires within the warning period
    /// </summary>
    public bool ExpiresSoon { get; init; }

    /// <summary>
    /// Gets a value indicating whether the plugin cancels the order now: Klarna rejected it, nothing is captured, the
    /// authorization is open and no cancel is on its way
    /// </summary>
    public bool FraudCancelDue { get; init; }

    /// <summary>
    /// Gets the operations still pending (sent or about to be sent, outcome not known)
    /// </summary>
    public IReadOnlyList<KlarnaOperation> Pending { get; init; } = Array.Empty<KlarnaOperation>();

    /// <summary>
    /// Gets the operations that need a person's attention
    /// </summary>
    public IReadOnlyList<KlarnaOperation> NeedsAttention { get; init; } = Array.Empty<KlarnaOperation>();
}
