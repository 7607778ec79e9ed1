using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Sends the Klarna write of an operation record: the request is always rebuilt from what was recorded (amount, lines,
/// description, reference, shipping info, target capture) with the recorded idempotency key, so the first attempt and every
/// later replay are the very same request. Never cancelled: a sent write runs to its outcome
/// </summary>
public class KlarnaWriteSender
{
    #region Fields

    protected readonly IKlarnaApiClient _apiClient;

    #endregion

    #region Ctor

    public KlarnaWriteSender(IKlarnaApiClient apiClient)
    {
        _apiClient = apiClient;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Reads a JSON list recorded on an operation
    /// </summary>
    public static List<T> ReadList<T>(string json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonConvert.DeserializeObject<List<T>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Gets the idempotency key to send with an operation's write: the one recorded before its first attempt, the same on
    /// every retry and replay
    /// </summary>
    /// <param name="operation">The operation, as recorded</param>
    /// <returns>The key</returns>
    protected virtual string IdempotencyKeyOf(KlarnaOperation operation) => operation.IdempotencyKey;

    /// <summary>
    /// Gets what a failed send means (<see cref="KlarnaFailure.Of"/>): Klarna's refusal, or an outcome not known yet
    /// </summary>
    /// <param name="exception">The exception the send threw</param>
    /// <returns>The failure</returns>
    public virtual KlarnaFailure FailureOf(Exception exception) => KlarnaFailure.Of(exception);

    /// <summary>
    /// Sends the write of an operation as recorded, with its idempotency key
    /// </summary>
    /// <param name="credentials">Credentials</param>
    /// <param name="operation">The operation, as recorded</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains Klarna's id of the result (capture or refund id), or null</returns>
    public virtual async Task<string> SendAsync(KlarnaCredentials credentials, KlarnaOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var orderId = operation.KlarnaOrderId;
        var key = IdempotencyKeyOf(operation);
        var none = CancellationToken.None;

        switch (operation.Kind)
        {
            case KlarnaOperationKind.Capture:
                return await _apiClient.CaptureAsync(credentials, orderId, new KlarnaCaptureRequest
                {
                    CapturedAmount = operation.AmountMinor,
                    Description = operation.Description,
                    Reference = operation.Reference,
                    OrderLines = ReadList<KlarnaOrderLine>(operation.LinesJson) is { Count: > 0 } lines ? lines : null,
                    ShippingInfo = ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson) is { Count: > 0 } info ? info : null
                }, key, none);

            case KlarnaOperationKind.Refund:
                return await _apiClient.RefundAsync(credentials, orderId, new KlarnaRefundRequest
                {
                    RefundedAmount = operation.AmountMinor,
                    Description = operation.Description,
                    Reference = operation.Reference,
                    OrderLines = ReadList<KlarnaOrderLine>(operation.LinesJson) is { Count: > 0 } refundLines ? refundLines : null
                }, key, none);

            case KlarnaOperationKind.Cancel:
                await _apiClient.CancelOrderAsync(credentials, orderId, key, none);
                return null;

            case KlarnaOperationKind.Release:
                await _apiClient.ReleaseRemainingAuthorizationAsync(credentials, orderId, key, none);
                return null;

            case KlarnaOperationKind.ExtendAuthorization:
                await _apiClient.ExtendAuthorizationTimeAsync(credentials, orderId, key, none);
                return null;

            case KlarnaOperationKind.ShippingInfo:
                await _apiClient.AddShippingInfoAsync(credentials, orderId, operation.KlarnaId,
                    ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson) ?? new List<KlarnaShippingInfo>(), key, none);
                return operation.KlarnaId;

            default:
                throw new InvalidOperationException($"A {operation.Kind} is not a Klarna write of the order engine");
        }
    }

    /// <summary>
    /// Applies a successful write to the copy of Klarna's order the execution works on (Klarna's read is not repeated);
    /// a capture or refund Klarna's order already shows is not added again
    /// </summary>
    /// <param name="order">Klarna's order</param>
    /// <param name="operation">The succeeded operation</param>
    /// <param name="nowUtc">Now</param>
    /// <returns>True when Klarna's order must be read again (the new expiry of an extension)</returns>
    public static bool ApplyLocally(KlarnaOrder order, KlarnaOperation operation, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(order);
        switch (operation.Kind)
        {
            case KlarnaOperationKind.Capture:
                if (order.Captures?.Any(c => c.CaptureId == operation.KlarnaId && operation.KlarnaId is not null) == true)
                    return false;
                order.CapturedAmount += operation.AmountMinor;
                order.RemainingAuthorizedAmount = Math.Max(0, order.RemainingAuthorizedAmount - operation.AmountMinor);
                order.Status = order.RemainingAuthorizedAmount == 0 ? KlarnaOrderStatus.Captured : KlarnaOrderStatus.PartCaptured;
                (order.Captures ??= new List<KlarnaCapture>()).Add(new KlarnaCapture
                {
                    CaptureId = operation.KlarnaId,
                    KlarnaReference = operation.KlarnaReference,
                    CapturedAmount = operation.AmountMinor,
                    CapturedAt = nowUtc,
                    Description = operation.Description,
                    Reference = operation.Reference,
                    OrderLines = ReadList<KlarnaOrderLine>(operation.LinesJson),
                    ShippingInfo = ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson)
                });
                return false;

            case KlarnaOperationKind.Refund:
                if (order.Refunds?.Any(r => r.RefundId == operation.KlarnaId && operation.KlarnaId is not null) == true)
                    return false;
                order.RefundedAmount += operation.AmountMinor;
                (order.Refunds ??= new List<KlarnaRefund>()).Add(new KlarnaRefund
                {
                    RefundId = operation.KlarnaId,
                    RefundedAmount = operation.AmountMinor,
                    RefundedAt = nowUtc,
                    Description = operation.Description,
                    Reference = operation.Reference,
                    OrderLines = ReadList<KlarnaOrderLine>(operation.LinesJson)
                });
                return false;

            case KlarnaOperationKind.Cancel:
                order.Status = KlarnaOrderStatus.Cancelled;
                order.RemainingAuthorizedAmount = 0;
                return false;

            case KlarnaOperationKind.Release:
                order.Status = KlarnaOrderStatus.Captured;
                order.RemainingAuthorizedAmount = 0;
                return false;

            case KlarnaOperationKind.ShippingInfo:
                var capture = order.Captures?.FirstOrDefault(c => c.CaptureId == operation.KlarnaId);
                if (capture is not null)
                {
                    var sent = ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson) ?? new List<KlarnaShippingInfo>();
                    capture.ShippingInfo ??= new List<KlarnaShippingInfo>();
                    capture.ShippingInfo.AddRange(sent.Where(info => capture.ShippingInfo.All(existing => existing.TrackingNumber != info.TrackingNumber)));
                }
                return false;

            case KlarnaOperationKind.ExtendAuthorization:
                return true;

            default:
                return false;
        }
    }

    #endregion
}
