using System.Collections.Generic;
using System;
using System.Linq;
using Klarna.Sandbox.Models;

namespace Klarna.Sandbox;

/// <summary>
/// Order Management's money moves: captures (with their shipping info) and refunds, each refund allocated to the captures
/// it refers to as Klarna allocates it
/// </summary>
public sealed partial class SandboxState
{
    #region Captures and refunds

    /// <summary>
    /// POST /captures
    /// </summary>
    public SandboxResponse Capture(KlarnaCall call, SandboxOrder order, SandboxCaptureRequest request)
    {
        if (request?.CapturedAmount is null or < 1 or > SandboxRules.MaxAmount)
            return call.Fail(KlarnaFailure.BadValue("captured_amount"));

        var failure = SandboxRules.ValidateSize(request.Description, "description", 255)
            ?? SandboxRules.ValidateSize(request.Reference, "reference", 255)
            ?? SandboxRules.ValidateShippingInfo(request.ShippingInfo, required: false)
            ?? SandboxRules.ValidateAmountLines(request.OrderLines, request.CapturedAmount.Value, "captured_amount");
        if (failure is not null)
            return call.Fail(failure);
        if (request.ShippingDelay is < 0)
            return call.Fail(KlarnaFailure.BadValue("shipping_delay"));

        switch (order.Status)
        {
            case OrderStatus.Cancelled:
                return call.Fail(403, "CAPTURE_NOT_ALLOWED", $"Order {order.OrderId} is cancelled. Capture not possible.");
            case OrderStatus.Expired:
                return call.Fail(403, "CAPTURE_NOT_ALLOWED", $"Order {order.OrderId} is expired. Capture not possible.");
            case OrderStatus.Closed:
                return call.Fail(403, "CAPTURE_NOT_ALLOWED", $"Order {order.OrderId} is closed. Capture not possible.");
        }

        if (request.CapturedAmount.Value > order.RemainingAuthorizedAmount)
            return call.Fail(403, "CAPTURE_NOT_ALLOWED", "Captured amount is higher than the remaining authorized amount. Capture not possible.");

        var capture = ApplyCapture(order, request);
        return SandboxResponse.Created($"{call.BaseUrl}ordermanagement/v1/orders/{order.OrderId}/captures/{capture.CaptureId}", "Capture-Id", capture.CaptureId);
    }

    /// <summary>
    /// GET /captures
    /// </summary>
    public SandboxResponse ListCaptures(SandboxOrder order) => SandboxResponse.Json(200, order.Captures);

    /// <summary>
    /// GET /captures/{capture_id}
    /// </summary>
    public SandboxResponse GetCapture(KlarnaCall call, SandboxOrder order, string captureId)
    {
        var capture = order.Captures.FirstOrDefault(c => c.CaptureId == captureId);
        return capture is null
            ? call.Fail(404, "NO_SUCH_CAPTURE", $"Capture {captureId} could not be found")
            : SandboxResponse.Json(200, capture);
    }

    /// <summary>
    /// POST /captures/{capture_id}/shipping-info
    /// </summary>
    public SandboxResponse AddCaptureShippingInfo(KlarnaCall call, SandboxOrder order, string captureId, SandboxShippingInfoRequest request)
    {
        if (order.Captures.Count == 0)
            return call.Fail(403, "NOT_ALLOWED", "Order has no captures. Shipping info cannot be added.");

        var capture = order.Captures.FirstOrDefault(c => c.CaptureId == captureId);
        if (capture is null)
            return call.Fail(404, "NO_SUCH_CAPTURE", $"Capture could not be found. Shipping info cannot be added to capture {captureId}");

        var failure = SandboxRules.ValidateShippingInfo(request?.ShippingInfo, required: true);
        if (failure is not null)
            return call.Fail(failure);
        if (capture.ShippingInfo.Count + request.ShippingInfo.Count > SandboxRules.MaxShippingInfo)
            return call.Fail(KlarnaFailure.BadValue("shipping_info"));

        capture.ShippingInfo.AddRange(SandboxJson.Clone(request.ShippingInfo));
        return SandboxResponse.NoContent();
    }

    /// <summary>
    /// POST /captures/{capture_id}/trigger-send-out
    /// </summary>
    public SandboxResponse TriggerSendOut(KlarnaCall call, SandboxOrder order, string captureId)
    {
        if (order.Captures.Count == 0)
            return call.Fail(403, "NOT_ALLOWED", "Order has no captures. Send out not possible.");

        return order.Captures.Any(c => c.CaptureId == captureId)
            ? SandboxResponse.NoContent()
            : call.Fail(404, "NO_SUCH_CAPTURE", $"Capture {captureId} could not be found");
    }

    /// <summary>
    /// POST /shipping-info (order level)
    /// </summary>
    public SandboxResponse AddOrderShippingInfo(KlarnaCall call, SandboxOrder order, SandboxShippingInfoRequest request)
    {
        var failure = SandboxRules.ValidateShippingInfo(request?.ShippingInfo, required: true);
        if (failure is not null)
            return call.Fail(failure);

        order.ShippingInfo.AddRange(SandboxJson.Clone(request.ShippingInfo));
        return SandboxResponse.NoContent();
    }

    /// <summary>
    /// POST /refunds
    /// </summary>
    public SandboxResponse Refund(KlarnaCall call, SandboxOrder order, SandboxRefundRequest request)
    {
        if (request?.RefundedAmount is null or < 1 or > SandboxRules.MaxAmount)
            return call.Fail(KlarnaFailure.BadValue("refunded_amount"));

        var failure = SandboxRules.ValidateSize(request.Description, "description", 255)
            ?? SandboxRules.ValidateSize(request.Reference, "reference", 255)
            ?? SandboxRules.ValidateAmountLines(request.OrderLines, request.RefundedAmount.Value, "refunded_amount");
        if (failure is not null)
            return call.Fail(failure);

        if (order.Captures.Count == 0)
            return call.Fail(403, "REFUND_NOT_ALLOWED", "Order has no captures. Refund not possible");
        if (request.RefundedAmount.Value > order.CapturedAmount - order.RefundedAmount)
            return call.Fail(403, "REFUND_NOT_ALLOWED", "Refunded amount is higher than the captured amount minus already refunded amounts. Refund not possible");

        var refund = new SandboxRefund
        {
            RefundId = Guid.NewGuid().ToString(),
            RefundedAmount = request.RefundedAmount.Value,
            RefundedAt = DateTimeOffset.UtcNow + _clockOffset,
            Description = request.Description,
            Reference = request.Reference,
            OrderLines = SandboxJson.Clone(request.OrderLines) ?? new()
        };
        order.Refunds.Add(refund);
        order.RefundedAmount += refund.RefundedAmount;

        AllocateRefund(order, refund);

        return SandboxResponse.Created($"{call.BaseUrl}ordermanagement/v1/orders/{order.OrderId}/refunds/{refund.RefundId}", "Refund-Id", refund.RefundId);
    }

    /// <summary>
    /// GET /refunds/{refund_id}
    /// </summary>
    public SandboxResponse GetRefund(KlarnaCall call, SandboxOrder order, string refundId)
    {
        var refund = order.Refunds.FirstOrDefault(r => r.RefundId == refundId);
        return refund is null
            ? call.Fail(404, "NOT_FOUND", $"Refund with id {refundId} cannot be found for order {order.OrderId}")
            : SandboxResponse.Json(200, refund);
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Allocates a refund to captures like Klarna's refund allocation: each refund line to the captures that hold its
    /// reference (oldest first, up to what each captured of it and has not refunded), the rest (lines without a
    /// captured reference, or a refund without lines) to the captures with amount left, oldest first
    /// </summary>
    private static void AllocateRefund(SandboxOrder order, SandboxRefund refund)
    {
        long Left(SandboxCapture capture) => capture.CapturedAmount - capture.RefundedAmount;

        var unallocated = refund.RefundedAmount;
        foreach (var line in refund.OrderLines.Where(l => !string.IsNullOrEmpty(l.Reference) && l.TotalAmount > 0))
        {
            var amount = Math.Min(line.TotalAmount!.Value, unallocated);
            foreach (var capture in order.Captures)
            {
                var captured = capture.OrderLines.Where(l => l.Reference == line.Reference).Sum(l => l.TotalAmount ?? 0);
                var part = Math.Min(Math.Min(amount, captured - capture.RefundedByReference.GetValueOrDefault(line.Reference)), Left(capture));
                if (part <= 0)
                    continue;

                capture.RefundedByReference[line.Reference] = capture.RefundedByReference.GetValueOrDefault(line.Reference) + part;
                capture.RefundedAmount += part;
                amount -= part;
                unallocated -= part;
                if (amount == 0)
                    break;
            }
        }

        foreach (var capture in order.Captures)
        {
            var part = Math.Min(unallocated, Left(capture));
            capture.RefundedAmount += part;
            unallocated -= part;
            if (unallocated == 0)
                break;
        }
    }

    private SandboxCapture ApplyCapture(SandboxOrder order, SandboxCaptureRequest request)
    {
        var capture = new SandboxCapture
        {
            CaptureId = Guid.NewGuid().ToString(),
            KlarnaReference = $"{order.KlarnaReference}-{order.Captures.Count + 1}",
            CapturedAmount = request.CapturedAmount!.Value,
            CapturedAt = DateTimeOffset.UtcNow + _clockOffset,
            Description = request.Description,
            Reference = request.Reference,
            OrderLines = SandboxJson.Clone(request.OrderLines) ?? new(),
            ShippingInfo = SandboxJson.Clone(request.ShippingInfo) ?? new(),
            BillingAddress = SandboxJson.Clone(order.BillingAddress),
            ShippingAddress = SandboxJson.Clone(order.ShippingAddress)
        };
        order.Captures.Add(capture);
        order.CapturedAmount += capture.CapturedAmount;
        order.RemainingAuthorizedAmount -= capture.CapturedAmount;
        order.Status = order.RemainingAuthorizedAmount == 0 ? OrderStatus.Captured : OrderStatus.PartCaptured;

        return capture;
    }

    #endregion
}
