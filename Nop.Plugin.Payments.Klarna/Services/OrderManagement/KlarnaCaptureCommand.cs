using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Captures the whole remainder (no lines, no amount), selected lines, or an amount
/// </summary>
public class KlarnaCaptureCommand : KlarnaCommand
{
    /// <inheritdoc />
    public override KlarnaOperationKind Kind => KlarnaOperationKind.Capture;

    /// <summary>
    /// Gets or sets the lines to capture (by reference and quantity)
    /// </summary>
    public IList<KlarnaLineSelection> Lines { get; set; }

    /// <summary>
    /// Gets or sets the amount to capture in minor units (without lines)
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
    /// Gets or sets the shipments whose tracking info goes with the capture (null = every shipped shipment of the order)
    /// </summary>
    public IList<int> ShipmentIds { get; set; }

    /// <summary>
    /// Plans a capture within the remaining authorization
    /// </summary>
    /// <param name="context">Context</param>
    /// <param name="clamp">True to capture what is left of a line asked for more (capture upon fulfillment)</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the plan</returns>
    protected async Task<KlarnaWritePlan> PlanCaptureAsync(KlarnaCommandContext context, bool clamp)
    {
        var (amount, lines, refusal) = PlanMoney(context, context.Decision.Capture, Lines, AmountMinor, CurrencyCode, false, clamp);
        if (refusal is not null)
            return KlarnaWritePlan.Refuse(refusal);

        var shippingInfo = await context.Services.TrackingService.GetShippingInfoAsync(context.Order, ShipmentIds);
        return new KlarnaWritePlan
        {
            Kind = KlarnaOperationKind.Capture,
            AmountMinor = amount,
            Lines = lines,
            Description = KlarnaText.Truncate(Description, 255),
            Reference = KlarnaText.Truncate(context.Order.CustomOrderNumber, 255),
            ShippingInfo = shippingInfo?.Count > 0 ? shippingInfo : null,
            ShipmentId = ShipmentIds?.Count == 1 ? ShipmentIds[0] : null
        };
    }

    /// <inheritdoc />
    public override Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context) =>
        PlanCaptureAsync(context, Initiator == KlarnaInitiator.CaptureUponFulfillment);
}

/// <summary>
/// Captures one shipment's items (and the shipping fee with the first shipment) with its tracking info, when the shipment
/// is shipped (capture upon fulfillment, per shipment)
/// </summary>
public class KlarnaShipmentCaptureCommand : KlarnaCaptureCommand
{
    /// <summary>
    /// Gets or sets the shipment
    /// </summary>
    public int ShipmentId { get; set; }

    /// <inheritdoc />
    public override async Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context)
    {
        var captures = context.Operations.Where(op => op.Kind == KlarnaOperationKind.Capture && op.Status == KlarnaOperationStatus.Succeeded).ToList();
        if (captures.Any(op => op.ShipmentId == ShipmentId))
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.ShipmentAlreadyCaptured, ShipmentId);
        if (!context.Decision.Capture.Allowed)
            return KlarnaWritePlan.Refuse(context.Decision.Capture.Refusal);

        var shipment = await context.Services.ShipmentService.GetShipmentByIdAsync(ShipmentId);
        if (shipment is null || shipment.OrderId != context.Order.Id)
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.ShipmentNotInOrder, ShipmentId);

        var firstShipment = !captures.Any(op => op.ShipmentId is not null);
        var (lines, unmatched) = await context.Services.TrackingService.GetShipmentLinesAsync(context.Order, context.KlarnaOrder, shipment, firstShipment);
        if (unmatched.Count > 0)
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.ShipmentLinesUnmatched, ShipmentId, unmatched);
        if (lines.Count == 0)
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.NothingInShipment, ShipmentId);

        Lines = lines;
        AmountMinor = null;
        ShipmentIds = new List<int> { ShipmentId };
        Description ??= await context.Services.Texts.FormatAsync("Plugins.Payments.Klarna.Capture.ShipmentDescription", new object[] { ShipmentId });
        return await PlanCaptureAsync(context, true);
    }
}
