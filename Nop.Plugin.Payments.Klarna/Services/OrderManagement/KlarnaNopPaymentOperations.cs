using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services;
using Nop.Services.Payments;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// nopCommerce's own Capture / Refund / Partial refund / Void buttons, as commands of the order engine. Results always
/// carry NewPaymentStatus (nopCommerce's default would be Pending). nopCommerce saves the order it passed in afterwards,
/// adds the refunded amount itself and publishes its own events; a refused operation writes nothing and leaves the payment
/// status as it was, so nopCommerce never shows more refunded than Klarna
/// </summary>
public class KlarnaNopPaymentOperations : IKlarnaNopPaymentOperations
{
    #region Fields

    protected readonly IKlarnaOperationExecutor _executor;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly KlarnaTexts _texts;

    #endregion

    #region Ctor

    public KlarnaNopPaymentOperations(IKlarnaOperationExecutor executor,
        IKlarnaOrderRecordService recordService,
        KlarnaTexts texts)
    {
        _executor = executor;
        _recordService = recordService;
        _texts = texts;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Adds an error (what BaseNopResult.AddError does: Success is Errors.Count == 0)
    /// </summary>
    private static void AddError(BaseNopResult result, string error) => (result.Errors ??= new List<string>()).Add(error);

    protected virtual async Task<string> DescribeAsync(KlarnaOperationResult result)
    {
        var text = await _texts.ResultAsync(result);
        return string.IsNullOrEmpty(result.CorrelationId) || text.Contains(result.CorrelationId, StringComparison.Ordinal)
            ? text
            : await _texts.FormatAsync(KlarnaDefaults.Locale.Result + "WithCorrelationId", new object[] { text, result.CorrelationId });
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<CapturePaymentResult> CaptureAsync(CapturePaymentRequest capturePaymentRequest)
    {
        ArgumentNullException.ThrowIfNull(capturePaymentRequest?.Order);
        var order = capturePaymentRequest.Order;
        var captureResult = new CapturePaymentResult { NewPaymentStatus = (PaymentStatus)order.PaymentStatusId };

        //nopCommerce's Capture = capture everything still uncaptured
        var result = await _executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            Order = order,
            Initiator = KlarnaInitiator.NopButton,
            InitiatedBy = KlarnaInitiator.NopButton.ToString()
        });

        if (!result.Success)
        {
            captureResult.NewPaymentStatus = result.PaymentStatus ?? captureResult.NewPaymentStatus;
            AddError(captureResult, await DescribeAsync(result));
            return captureResult;
        }

        captureResult.NewPaymentStatus = result.PaymentStatus ?? PaymentStatus.Paid;
        captureResult.CaptureTransactionId = result.Operation?.KlarnaId;
        captureResult.CaptureTransactionResult = result.Operation?.KlarnaReference ?? result.Operation?.KlarnaId;
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
            AddError(refundResult, await _texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.NotKlarnaOrder)));
            return refundResult;
        }

        if (refundPaymentRequest.AmountToRefund <= decimal.Zero)
        {
            AddError(refundResult, await _texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.AmountNotPositive)));
            return refundResult;
        }

        if (!string.IsNullOrEmpty(order.CustomerCurrencyCode) &&
            !string.Equals(order.CustomerCurrencyCode, record.CurrencyCode, StringComparison.OrdinalIgnoreCase))
        {
            AddError(refundResult, await _texts.RefusalAsync(new KlarnaRefusal(KlarnaRefusalCode.CurrencyMismatch, order.CustomerCurrencyCode, record.CurrencyCode)));
            return refundResult;
        }

        //nopCommerce's amount is in the primary store currency; Klarna's order is in the customer's currency (KlarnaOrderAmounts).
        //The policy refuses more than Klarna can refund (captured, not refunded) with the real maximum in the message
        var result = await _executor.ExecuteAsync(new KlarnaRefundCommand
        {
            OrderId = order.Id,
            Order = order,
            AmountMinor = KlarnaOrderAmounts.ToKlarnaMinor(refundPaymentRequest.AmountToRefund, order, record.CurrencyCode),
            CurrencyCode = record.CurrencyCode,
            Initiator = KlarnaInitiator.NopButton,
            InitiatedBy = KlarnaInitiator.NopButton.ToString()
        });

        if (!result.Success)
        {
            AddError(refundResult, await DescribeAsync(result));
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
        var result = await _executor.ExecuteAsync(new KlarnaVoidCommand
        {
            OrderId = order.Id,
            Order = order,
            Initiator = KlarnaInitiator.NopButton,
            InitiatedBy = KlarnaInitiator.NopButton.ToString()
        });
        if (!result.Success)
        {
            AddError(voidResult, await DescribeAsync(result));
            return voidResult;
        }

        voidResult.NewPaymentStatus = result.PaymentStatus ??
            (result.Operation?.Kind == KlarnaOperationKind.Release ? PaymentStatus.Paid : PaymentStatus.Voided);
        return voidResult;
    }

    #endregion
}
