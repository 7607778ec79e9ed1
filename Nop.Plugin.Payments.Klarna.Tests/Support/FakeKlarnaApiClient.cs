using System.Collections.Concurrent;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// An in-memory Klarna Order Management for unit tests: Klarna's rules (remaining amount, captures before cancel, refunds
/// up to captured), idempotency keys (a repeat returns the first answer and executes nothing), recorded calls and faults
/// </summary>
public class FakeKlarnaApiClient : IKlarnaApiClient
{
    private readonly object _sync = new();
    private readonly Dictionary<string, KlarnaOrder> _orders = new();
    private readonly Dictionary<string, object> _idempotency = new();
    private int _sequence;

    /// <summary>
    /// Write calls (method, order id, idempotency key, request body), in order
    /// </summary>
    public ConcurrentQueue<(string Method, string OrderId, string Key, object Body)> Writes { get; } = new();

    /// <summary>
    /// Writes that Klarna executed (not replays)
    /// </summary>
    public int Executed;

    /// <summary>
    /// Gets or sets a delay added to every write (makes concurrent requests overlap)
    /// </summary>
    public TimeSpan WriteDelay { get; set; }

    /// <summary>
    /// Gets or sets a delay added to every read of an order (honours the caller's cancellation token, like HttpClient)
    /// </summary>
    public TimeSpan ReadDelay { get; set; }

    /// <summary>
    /// Gets or sets a fault for the next write of a method: "commit_then_drop" executes then throws as if the answer was lost,
    /// "drop" throws without executing, any other value is a Klarna error code answered with 403
    /// </summary>
    public ConcurrentDictionary<string, string> NextFault { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether GetOrderAsync fails (Klarna unreachable)
    /// </summary>
    public bool FailReads { get; set; }

    /// <summary>
    /// Gets or sets a hook called with the idempotency key at the start of every write (e.g. to look at the records)
    /// </summary>
    public Action<string, string> OnWrite { get; set; }

    public KlarnaOrder AddOrder(KlarnaOrder order)
    {
        lock (_sync)
            _orders[order.OrderId] = order;
        return order;
    }

    public KlarnaOrder Snapshot(string orderId)
    {
        lock (_sync)
            return Copy(_orders[orderId]);
    }

    private static T Copy<T>(T value) => JsonConvert.DeserializeObject<T>(JsonConvert.SerializeObject(value));

    private static KlarnaApiException Error(int status, string code, string message) =>
        new(status, code, new[] { message }, "corr-" + Guid.NewGuid().ToString("N")[..8]);

    private async Task<T> WriteAsync<T>(string method, string orderId, string key, object body, Func<KlarnaOrder, T> execute)
    {
        OnWrite?.Invoke(method, key);
        Writes.Enqueue((method, orderId, key, Copy(body)));
        if (WriteDelay > TimeSpan.Zero)
            await Task.Delay(WriteDelay);

        NextFault.TryRemove(method, out var fault);
        if (fault == "drop")
            throw new KlarnaApiException(0, null, new[] { "The connection was closed" }, null);

        T result;
        lock (_sync)
        {
            if (!string.IsNullOrEmpty(key) && _idempotency.TryGetValue(key, out var stored))
            {
                if (stored is KlarnaApiException storedError)
                    throw storedError;
                result = (T)stored;
            }
            else
            {
                if (!_orders.TryGetValue(orderId, out var order))
                    throw Error(404, "NO_SUCH_ORDER", $"Order {orderId} cannot be found");
                if (fault is not null and not "commit_then_drop")
                    throw Error(403, fault, "Fault injected by the test");
                try
                {
                    result = execute(order);
                    Interlocked.Increment(ref Executed);
                    if (!string.IsNullOrEmpty(key))
                        _idempotency[key] = result;
                }
                catch (KlarnaApiException exception)
                {
                    if (!string.IsNullOrEmpty(key))
                        _idempotency[key] = exception;
                    throw;
                }
            }
        }

        if (fault == "commit_then_drop")
            throw new KlarnaApiException(0, null, new[] { "The answer was lost" }, null);

        return result;
    }

    /// <summary>
    /// Gets the number of reads of Klarna's order
    /// </summary>
    public int Reads;

    public async Task<KlarnaOrder> GetOrderAsync(KlarnaCredentials credentials, string orderId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Reads);
        if (ReadDelay > TimeSpan.Zero)
            await Task.Delay(ReadDelay, cancellationToken);
        if (FailReads)
            throw Error(503, "TEMPORARILY_UNAVAILABLE", "Klarna is down");
        lock (_sync)
        {
            if (!_orders.TryGetValue(orderId, out var order))
                throw Error(404, "NO_SUCH_ORDER", $"Order {orderId} cannot be found");
            return Copy(order);
        }
    }

    public Task<string> CaptureAsync(KlarnaCredentials credentials, string orderId, KlarnaCaptureRequest request, string idempotencyKey, CancellationToken cancellationToken = default) =>
        WriteAsync("capture", orderId, idempotencyKey, request, order =>
        {
            if (order.Status is not (KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured))
                throw Error(403, "CAPTURE_NOT_ALLOWED", "Capture not allowed");
            if (request.CapturedAmount > order.RemainingAuthorizedAmount)
                throw Error(403, "CAPTURE_NOT_ALLOWED", "Captured amount is higher than the remaining authorized amount. Capture not possible.");
            var id = $"capture-{Interlocked.Increment(ref _sequence)}";
            order.Captures ??= new List<KlarnaCapture>();
            order.Captures.Add(new KlarnaCapture
            {
                CaptureId = id,
                KlarnaReference = $"{order.KlarnaReference}-{order.Captures.Count + 1}",
                CapturedAmount = request.CapturedAmount,
                CapturedAt = DateTimeOffset.UtcNow,
                Description = request.Description,
                Reference = request.Reference,
                OrderLines = Copy(request.OrderLines),
                ShippingInfo = Copy(request.ShippingInfo) ?? new List<KlarnaShippingInfo>()
            });
            order.CapturedAmount += request.CapturedAmount;
            order.RemainingAuthorizedAmount -= request.CapturedAmount;
            order.Status = order.RemainingAuthorizedAmount == 0 ? KlarnaOrderStatus.Captured : KlarnaOrderStatus.PartCaptured;
            return id;
        });

    public Task<IList<KlarnaCapture>> ListCapturesAsync(KlarnaCredentials credentials, string orderId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IList<KlarnaCapture>>(Snapshot(orderId).Captures ?? new List<KlarnaCapture>());

    public Task<KlarnaCapture> GetCaptureAsync(KlarnaCredentials credentials, string orderId, string captureId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Snapshot(orderId).Captures?.FirstOrDefault(c => c.CaptureId == captureId));

    public Task AddShippingInfoAsync(KlarnaCredentials credentials, string orderId, string captureId, IList<KlarnaShippingInfo> shippingInfo, string idempotencyKey, CancellationToken cancellationToken = default) =>
        WriteAsync("shipping-info", orderId, idempotencyKey, shippingInfo, order =>
        {
            var capture = order.Captures?.FirstOrDefault(c => c.CaptureId == captureId)
                ?? throw Error(404, "NO_SUCH_CAPTURE", $"Capture could not be found. Shipping info cannot be added to capture {captureId}");
            (capture.ShippingInfo ??= new List<KlarnaShippingInfo>()).AddRange(Copy(shippingInfo));
            return true;
        });

    public Task<string> RefundAsync(KlarnaCredentials credentials, string orderId, KlarnaRefundRequest request, string idempotencyKey, CancellationToken cancellationToken = default) =>
        WriteAsync("refund", orderId, idempotencyKey, request, order =>
        {
            if (order.CapturedAmount == 0)
                throw Error(403, "REFUND_NOT_ALLOWED", "Order has no captures. Refund not possible");
            if (request.RefundedAmount > order.CapturedAmount - order.RefundedAmount)
                throw Error(403, "REFUND_NOT_ALLOWED", "Refunded amount is higher than the captured amount");
            var id = $"refund-{Interlocked.Increment(ref _sequence)}";
            (order.Refunds ??= new List<KlarnaRefund>()).Add(new KlarnaRefund
            {
                RefundId = id,
                RefundedAmount = request.RefundedAmount,
                RefundedAt = DateTimeOffset.UtcNow,
                Description = request.Description,
                Reference = request.Reference,
                OrderLines = Copy(request.OrderLines)
            });
            order.RefundedAmount += request.RefundedAmount;
            return id;
        });

    public Task<KlarnaRefund> GetRefundAsync(KlarnaCredentials credentials, string orderId, string refundId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Snapshot(orderId).Refunds?.FirstOrDefault(r => r.RefundId == refundId));

    public Task CancelOrderAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        WriteAsync("cancel", orderId, idempotencyKey, null, order =>
        {
            if (order.Captures?.Any() == true || order.Status != KlarnaOrderStatus.Authorized)
                throw Error(403, "CANCEL_NOT_ALLOWED", "Order has previous captures. Cancel not possible");
            order.Status = KlarnaOrderStatus.Cancelled;
            order.RemainingAuthorizedAmount = 0;
            return true;
        });

    public Task ReleaseRemainingAuthorizationAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        WriteAsync("release", orderId, idempotencyKey, null, order =>
        {
            if (order.Status != KlarnaOrderStatus.PartCaptured)
                throw Error(403, "NOT_ALLOWED", "Remaining authorization cannot be released.");
            order.Status = KlarnaOrderStatus.Captured;
            order.RemainingAuthorizedAmount = 0;
            return true;
        });

    public Task ExtendAuthorizationTimeAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        WriteAsync("extend", orderId, idempotencyKey, null, order =>
        {
            if (order.Status is not (KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured))
                throw Error(403, "NOT_ALLOWED", "Authorization cannot be extended.");
            order.ExpiresAt = DateTimeOffset.UtcNow.Date.AddDays(28);
            return true;
        });

    public Task UpdateAuthorizationAsync(KlarnaCredentials credentials, string orderId, KlarnaUpdateAuthorizationRequest request, string idempotencyKey, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task UpdateMerchantReferencesAsync(KlarnaCredentials credentials, string orderId, string merchantReference1, string merchantReference2, string idempotencyKey, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task AcknowledgeAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<KlarnaSession> CreateSessionAsync(KlarnaCredentials credentials, KlarnaSessionRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task UpdateSessionAsync(KlarnaCredentials credentials, string sessionId, KlarnaSessionRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<KlarnaSession> GetSessionAsync(KlarnaCredentials credentials, string sessionId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<KlarnaCreateOrderResponse> CreateOrderAsync(KlarnaCredentials credentials, string authorizationToken, KlarnaSessionRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task CancelAuthorizationAsync(KlarnaCredentials credentials, string authorizationToken, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
