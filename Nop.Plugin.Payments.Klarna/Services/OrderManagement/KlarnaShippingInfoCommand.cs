using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Adds a shipment's tracking info to the capture that covered it (a tracking number set after the capture)
/// </summary>
public class KlarnaShippingInfoCommand : KlarnaCommand
{
    /// <inheritdoc />
    public override KlarnaOperationKind Kind => KlarnaOperationKind.ShippingInfo;

    /// <summary>
    /// Gets or sets the shipment
    /// </summary>
    public int ShipmentId { get; set; }

    /// <inheritdoc />
    public override async Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context)
    {
        var captures = context.Operations
            .Where(op => op.Kind == KlarnaOperationKind.Capture && op.Status == KlarnaOperationStatus.Succeeded && !string.IsNullOrEmpty(op.KlarnaId))
            .ToList();
        var capture = captures.LastOrDefault(op => op.ShipmentId == ShipmentId) ?? captures.LastOrDefault(op => op.ShipmentId is null);
        if (capture is null)
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.NoCaptureForShipment, ShipmentId);

        var shipment = await context.Services.ShipmentService.GetShipmentByIdAsync(ShipmentId);
        if (shipment is null || shipment.OrderId != context.Order.Id)
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.ShipmentNotInOrder, ShipmentId);

        var info = await context.Services.TrackingService.GetShippingInfoAsync(context.Order, shipment);
        if (string.IsNullOrEmpty(info?.TrackingNumber))
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.NoTrackingNumber, ShipmentId);

        var klarnaCapture = context.KlarnaOrder.Captures?.FirstOrDefault(c => c.CaptureId == capture.KlarnaId);
        if (klarnaCapture?.ShippingInfo?.Any(s => s.TrackingNumber == info.TrackingNumber) == true)
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.TrackingAlreadySent, info.TrackingNumber);

        var pending = context.Operations.FirstOrDefault(op => op.Kind == Kind && op.Status == KlarnaOperationStatus.Pending
            && op.ShipmentId == ShipmentId && op.KlarnaId == capture.KlarnaId);
        if (pending is not null)
            return KlarnaWritePlan.Refuse(KlarnaRefusalCode.OperationPending, Kind, context.Money(pending.AmountMinor), pending.CreatedOnUtc);

        return new KlarnaWritePlan
        {
            Kind = Kind,
            AmountMinor = capture.AmountMinor,
            TargetCaptureId = capture.KlarnaId,
            ShipmentId = ShipmentId,
            ShippingInfo = new List<KlarnaShippingInfo> { info }
        };
    }
}
