using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Brings a read of Klarna's order up to what the plugin already knows Klarna did (pure). A GET may answer the order as it
/// was a moment before the last write (Klarna does not promise read-after-write; the sandbox's read-lag mode plays it):
/// such a read lacks a capture, refund, cancel, release or tracking number that Klarna already answered, or shows a fraud
/// decision or an ended authorization as still open. Klarna's order only moves forward, so what the succeeded operations
/// (the plugin's and the recorded Merchant Portal ones) and the record show is put back into the read, and nothing the
/// shop shows, decides or records goes backwards. A read that is behind costs no extra request: the next read catches up
/// </summary>
public static class KlarnaReadCatchUp
{
    #region Utilities

    private static bool IsOpen(string status) => status?.ToUpperInvariant() is KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured;

    private static bool IsEnded(string status) => status?.ToUpperInvariant() is KlarnaOrderStatus.Cancelled or KlarnaOrderStatus.Expired or KlarnaOrderStatus.Closed;

    private static bool Lacks(KlarnaOrder order, KlarnaOperation operation) => operation.Kind switch
    {
        KlarnaOperationKind.Capture => operation.KlarnaId is not null && order.Captures?.Any(c => c.CaptureId == operation.KlarnaId) != true,
        KlarnaOperationKind.Refund => operation.KlarnaId is not null && order.Refunds?.Any(r => r.RefundId == operation.KlarnaId) != true,
        KlarnaOperationKind.Cancel => IsOpen(order.Status),
        KlarnaOperationKind.Release => IsOpen(order.Status) && order.RemainingAuthorizedAmount > 0,
        KlarnaOperationKind.ShippingInfo => KlarnaWriteSender.ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson)?
            .Where(info => !string.IsNullOrEmpty(info.TrackingNumber))
            .Any(info => order.Captures?.FirstOrDefault(c => c.CaptureId == operation.KlarnaId)?.ShippingInfo?.Any(shown => shown.TrackingNumber == info.TrackingNumber) != true) == true,
        _ => false
    };

    #endregion

    #region Methods

    /// <summary>
    /// Puts into a read of Klarna's order what Klarna already did according to the succeeded operations and the record
    /// </summary>
    /// <param name="order">Klarna's order as just read (changed in place when it is behind)</param>
    /// <param name="operations">The operations of the order</param>
    /// <param name="record">The order's record (what an earlier read showed), or null</param>
    /// <returns>True when the read was behind</returns>
    public static bool CatchUp(KlarnaOrder order, IEnumerable<KlarnaOperation> operations, KlarnaOrderRecord record)
    {
        ArgumentNullException.ThrowIfNull(order);

        var behind = false;
        foreach (var operation in (operations ?? Enumerable.Empty<KlarnaOperation>())
                     .Where(op => op.Status == KlarnaOperationStatus.Succeeded && string.Equals(op.KlarnaOrderId ?? order.OrderId, order.OrderId, StringComparison.OrdinalIgnoreCase))
                     .OrderBy(op => op.CreatedOnUtc).ThenBy(op => op.Id).ToList())
        {
            if (!Lacks(order, operation))
                continue;

            behind = true;
            if (operation.Kind == KlarnaOperationKind.Release && order.CapturedAmount <= 0)
                continue;
            KlarnaWriteSender.ApplyLocally(order, operation, operation.UpdatedOnUtc == default ? operation.CreatedOnUtc : operation.UpdatedOnUtc);
        }

        if (record is null)
            return behind;

        //a fraud decision is never taken back to pending, and an ended authorization never opens again
        if (string.Equals(order.FraudStatus, KlarnaFraudStatus.Pending, StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrEmpty(record.FraudStatus) && !string.Equals(record.FraudStatus, KlarnaFraudStatus.Pending, StringComparison.OrdinalIgnoreCase))
        {
            order.FraudStatus = record.FraudStatus;
            behind = true;
        }

        if (IsEnded(record.KlarnaStatus) && IsOpen(order.Status))
        {
            order.Status = record.KlarnaStatus;
            order.RemainingAuthorizedAmount = 0;
            behind = true;
        }

        return behind;
    }

    #endregion
}
