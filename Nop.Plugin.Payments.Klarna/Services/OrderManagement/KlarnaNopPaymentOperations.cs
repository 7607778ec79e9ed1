using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services;
using Nop.Services.Payments;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// nopCommerce's own Capture / Refund / Partial refund / Void buttons, served by the order management service.
/// Results always carry NewPaymentStatus (nopCommerce's default would be Pending). nopCommerce saves the order it passed
/// in afterwards, adds the refunded amount itself and publishes its own events.
/// </summary>
public class KlarnaNopPaymentOperations : IKlarnaNopPaymentOperations
{
    #region Fields

    protected readonly IKlarnaOrderManagementService _orderManagementService;
    protected readonly IKlarnaOrderRecordService _recordService;

    #endregion

    #region Ctor

    public KlarnaNopPaymentOperations(IKlarnaOrderManagementService orderManagementService,
        IKlarnaOrderRecordService recordService)
    {
        _orderManagementService = orderManagementService;
        _recordService = recordService;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Adds an error (what BaseNopResult.AddError does: Success is Errors.Count == 0)
    /// </summary>
    private static void AddError(BaseNopResult result, string error) => (result.Errors ??= new List<string>()).Add(error);

    private static string Describe(KlarnaOperationResult result) =>
        string.IsNullOrEmpty(result.CorrelationId) ? result.Error : $"{result.Error} (Klarna correlation id {result.CorrelationId})";

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<CapturePaymentResult> CaptureAsync(CapturePaymentRequest capturePaymentRequest)
    {
        ArgumentNullException.ThrowIfNull(capturePaymentRequest?.Order);
        var order = capturePaymentRequest.Order;
        var captureResult = new CapturePaymentResult { NewPaymentStatus = (PaymentStatus)order.PaymentStatusId };

        //nopCommerce's Capture = capture everything still uncaptured
        var result = await _orderManagementService.CaptureAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            Order = order,
            Initiator = KlarnaInitiator.NopButton,
            InitiatedBy = "nopCommerce Capture button"
        });

        if (!result.Success)
        {
            AddError(captureResult, Describe(result));
            return captureResult;
        }

        captureResult.NewPaymentStatus = result.PaymentStatus ?? PaymentStatus.Paid;
        captureResult.CaptureTransactionId = result.Operation?.KlarnaId;
        captureResult.CaptureTransactionResult = result.Operation is null ? null : $"Klarna capture {result.Operation.KlarnaId}";
        return captureResult;
    }

    /// <inheritdoc />
    public virtual async Task<RefundPaymentResult> RefundAsync(RefundPaymentRequest refundPaymentRequest)
    {
        ArgumentNullException.ThrowIfNull(refundPaymentRequest?.Order);
        var order = refundPaymentRequest.Order;
        var refundResult = new RefundPaymentResult { NewPaymentStatus = (PaymentStatus)order.PaymentStatusId };

        var record = await _recordService.GetByOrderIdAsync(order.Id);
        if (record is null)
        {
            AddError(refundResult, "This order was not paid with Klarna.");
            return refundResult;
        }

        if (refundPaymentRequest.AmountToRefund <= decimal.Zero)
        {
            AddError(refundResult, "The amount to refund must be greater than zero.");
            return refundResult;
        }

        if (!string.IsNullOrEmpty(order.CustomerCurrencyCode) &&
            !string.Equals(order.CustomerCurrencyCode, record.CurrencyCode, StringComparison.OrdinalIgnoreCase))
        {
            AddError(refundResult, $"The order's currency {order.CustomerCurrencyCode} is not the Klarna order's currency {record.CurrencyCode}: refund from the Klarna block.");
            return refundResult;
        }

        //nopCommerce's amount is in the primary store currency; Klarna's order is in the customer's currency (KlarnaOrderAmounts)
        var amountMinor = KlarnaOrderAmounts.ToKlarnaMinor(refundPaymentRequest.AmountToRefund, order, record.CurrencyCode);
        var result = await _orderManagementService.RefundAsync(new KlarnaRefundCommand
        {
            OrderId = order.Id,
            Order = order,
            AmountMinor = amountMinor,
            Description = refundPaymentRequest.IsPartialRefund ? "Partial refund" : "Refund",
            Initiator = KlarnaInitiator.NopButton,
            InitiatedBy = refundPaymentRequest.IsPartialRefund ? "nopCommerce Partial refund button" : "nopCommerce Refund button"
        });

        if (!result.Success)
        {
            AddError(refundResult, Describe(result));
            return refundResult;
        }

        refundResult.NewPaymentStatus = result.PaymentStatus ??
            (refundPaymentRequest.IsPartialRefund ? PaymentStatus.PartiallyRefunded : PaymentStatus.Refunded);
        return refundResult;
    }

    /// <inheritdoc />
    public virtual async Task<VoidPaymentResult> VoidAsync(VoidPaymentRequest voidPaymentRequest)
    {
        ArgumentNullException.ThrowIfNull(voidPaymentRequest?.Order);
        var order = voidPaymentRequest.Order;
        var voidResult = new VoidPaymentResult { NewPaymentStatus = (PaymentStatus)order.PaymentStatusId };

        //cancel before any capture; release the remainder after a partial capture
        var result = await _orderManagementService.VoidAsync(order, KlarnaInitiator.NopButton, "nopCommerce Void button");
        if (!result.Success)
        {
            AddError(voidResult, Describe(result));
            return voidResult;
        }

        voidResult.NewPaymentStatus = result.PaymentStatus ??
            (result.Operation?.Kind == KlarnaOperationKind.Release ? PaymentStatus.Paid : PaymentStatus.Voided);
        return voidResult;
    }

    #endregion
}
