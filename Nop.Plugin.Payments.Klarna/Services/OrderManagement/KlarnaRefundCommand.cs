using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Refunds everything captured and not refunded (no lines, no amount), selected lines, or an amount; never more than
/// Klarna can refund
/// </summary>
public class KlarnaRefundCommand : KlarnaCommand
{
    /// <inheritdoc />
    public override KlarnaOperationKind Kind => KlarnaOperationKind.Refund;

    /// <summary>
    /// Gets or sets the lines to refund (by reference and quantity)
    /// </summary>
    public IList<KlarnaLineSelection> Lines { get; set; }

    /// <summary>
    /// Gets or sets the amount to refund in minor units (without lines)
    /// </summary>
    public long? AmountMinor { get; set; }

    /// <summary>
    /// Gets or sets the currency <see cref="AmountMinor"/> was entered in (null: Klarna's order currency)
    /// </summary>
    public string CurrencyCode { get; set; }

    /// <summary>
    /// Gets or sets the description shown to the customer
    /// </summary>
    public string Description { get; set; }

    /// <summary>
    /// Gets or sets the reference (settlement files; the order number when empty)
    /// </summary>
    public string Reference { get; set; }

    /// <inheritdoc />
    public override Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context)
    {
        var (amount, lines, refusal) = PlanMoney(context, context.Decision.Refund, Lines, AmountMinor, CurrencyCode, true, false);
        if (refusal is not null)
            return Task.FromResult(KlarnaWritePlan.Refuse(refusal));

        return Task.FromResult(new KlarnaWritePlan
        {
            Kind = KlarnaOperationKind.Refund,
            AmountMinor = amount,
            Lines = lines,
            Description = KlarnaText.Truncate(Description, 255),
            Reference = KlarnaText.Truncate(Reference ?? context.Order.CustomOrderNumber, 255)
        });
    }
}
