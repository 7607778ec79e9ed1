using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Klarna.Sandbox.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Klarna.Sandbox;

/// <summary>
/// Represents the handling of Klarna's own paths: request log, latency, faults, body limit, Basic auth, idempotency, routing
/// </summary>
public sealed class KlarnaPipeline
{
    #region Fields

    public const string IdempotencyKeyHeader = "Klarna-Idempotency-Key";
    public const string CorrelationIdHeader = "Klarna-Correlation-Id";

    private readonly SandboxState _state;

    #endregion

    #region Ctor

    public KlarnaPipeline(SandboxState state)
    {
        _state = state;
    }

    #endregion

    #region Utilities

    private static async Task<(string Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, int maxBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                //drain the rest so that the client gets the answer
                while (await request.Body.ReadAsync(chunk) > 0)
                {
                }

                return (null, true);
            }
        }

        return (Encoding.UTF8.GetString(buffer.ToArray()), false);
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return false;

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var separator = decoded.IndexOf(':');
            return separator > 0
                && decoded[..separator] == _state.Options.Username
                && decoded[(separator + 1)..] == _state.Options.Password;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static SandboxResponse FaultResponse(SandboxFault fault, KlarnaCall call)
    {
        if (fault.Kind == "rate_limit")
        {
            var response = SandboxResponse.Error(429, "TOO_MANY_REQUESTS", call.CorrelationId, "Rate limit exceeded");
            response.Headers["Retry-After"] = (fault.RetryAfterSeconds ?? 1).ToString();
            return response;
        }

        var status = fault.Status ?? 500;
        var code = status switch
        {
            408 => "REQUEST_TIMEOUT",
            409 => "CONFLICT",
            429 => "TOO_MANY_REQUESTS",
            500 => "INTERNAL_SERVER_ERROR",
            >= 502 and <= 504 => "TEMPORARILY_UNAVAILABLE",
            _ => "SANDBOX_FAULT"
        };
        var faulted = SandboxResponse.Error(status, fault.ErrorCode ?? code, call.CorrelationId, fault.Message ?? $"Injected fault ({status})");
        if (fault.RetryAfterSeconds is not null)
            faulted.Headers["Retry-After"] = fault.RetryAfterSeconds.Value.ToString();

        return faulted;
    }

    private static async Task WriteAsync(HttpContext context, SandboxResponse response, string correlationId)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
            context.Response.Headers[name] = value;
        if (!response.Headers.ContainsKey(CorrelationIdHeader))
            context.Response.Headers[CorrelationIdHeader] = correlationId;

        if (response.Body is null)
            return;

        context.Response.ContentType = "application/json; charset=utf-8";
        try
        {
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            //the caller has gone (e.g. its timeout hit during an injected delay)
        }
    }

    private static bool TryParse<T>(string body, KlarnaCall call, out T value, out SandboxResponse error) where T : class, new()
    {
        error = null;
        value = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            value = new T();
            return true;
        }

        try
        {
            value = JsonSerializer.Deserialize<T>(body, SandboxJson.Options) ?? new T();
            return true;
        }
        catch (JsonException exception)
        {
            error = call.Fail(400, "BAD_REQUEST", $"Malformed request body: {exception.Message}");
            return false;
        }
    }

    #endregion

    #region Methods

    /// <summary>
    /// Handles one Klarna request
    /// </summary>
    public async Task HandleAsync(HttpContext context)
    {
        _state.EnterRequest();
        try
        {
            await HandleRecordedAsync(context);
        }
        finally
        {
            _state.LeaveRequest();
        }
    }

    private async Task HandleRecordedAsync(HttpContext context)
    {
        var request = context.Request;
        var call = new KlarnaCall(Guid.NewGuid().ToString(), $"{request.Scheme}://{request.Host}{request.PathBase}/");
        var (body, tooLarge) = await ReadBodyAsync(request, _state.Options.MaxBodyBytes);
        var idempotencyKey = request.Headers[IdempotencyKeyHeader].ToString();

        var record = _state.Record(new RecordedRequest
        {
            ReceivedAt = _state.Now,
            Method = request.Method,
            Path = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value + request.QueryString.Value,
            Body = tooLarge ? $"(body larger than {_state.Options.MaxBodyBytes} bytes)" : body,
            IdempotencyKey = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey,
            CorrelationId = call.CorrelationId,
            Headers = request.Headers.ToDictionary(h => h.Key,
                h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase) ? MaskAuthorization(h.Value.ToString()) : h.Value.ToString(),
                StringComparer.OrdinalIgnoreCase)
        });

        if (_state.LatencyMs > 0)
            await Task.Delay(_state.LatencyMs);

        var fault = _state.TakeFault(request.Method, request.Path.Value);
        record.Fault = fault?.Kind;
        var processingDelayMs = 0;
        switch (fault?.Kind)
        {
            case "delay":
                await Task.Delay(fault.DelayMs ?? 1000);
                break;
            case "slow":
                //the write is taken (its idempotency key with it) and takes this long to be processed
                processingDelayMs = fault.DelayMs ?? 1000;
                break;
            case "commit_then_drop":
                //optionally processed this long first (its idempotency key taken at once), then done and its answer dropped
                processingDelayMs = fault.DelayMs ?? 0;
                break;
            case "drop":
                record.Outcome = "dropped";
                record.CompletedAt = _state.Now;
                context.Abort();
                return;
            case "status":
            case "rate_limit":
                var faulted = FaultResponse(fault, call);
                record.Status = faulted.Status;
                record.Outcome = "fault";
                record.CompletedAt = _state.Now;
                await WriteAsync(context, faulted, call.CorrelationId);
                return;
        }

        SandboxResponse response;
        if (tooLarge)
            response = call.Fail(413, "REQUEST_TOO_LARGE", $"Request body exceeds {_state.Options.MaxBodyBytes} bytes");
        else if (!IsAuthorized(request))
            response = new SandboxResponse
            {
                Status = 401,
                Body = $"{{\"error_code\":\"PERMISSION_DENIED\",\"error_message\":\"Authentication failed or permission not granted\",\"correlation_id\":\"{call.CorrelationId}\"}}"
            };
        else if (!string.IsNullOrEmpty(idempotencyKey) && request.Path.StartsWithSegments("/ordermanagement") && !HttpMethods.IsGet(request.Method))
        {
            var (stored, replayed) = await _state.RunIdempotentAsync(idempotencyKey, call, () => Dispatch(request.Method, request.Path.Value, body, call), processingDelayMs);
            response = stored;
            record.Replayed = replayed;
        }
        else
        {
            if (processingDelayMs > 0)
                await Task.Delay(processingDelayMs);
            response = Dispatch(request.Method, request.Path.Value, body, call);
        }

        record.Status = response.Status;
        record.ResultId = response.Headers.TryGetValue("Capture-Id", out var captureId) ? captureId
            : response.Headers.TryGetValue("Refund-Id", out var refundId) ? refundId : null;
        record.CompletedAt = _state.Now;
        if (fault?.Kind == "commit_then_drop")
        {
            record.Outcome = "committed_then_dropped";
            context.Abort();
            return;
        }

        record.Outcome = "answered";
        record.ClientGaveUp = context.RequestAborted.IsCancellationRequested;
        await WriteAsync(context, response, call.CorrelationId);
    }

    /// <summary>
    /// Routes a Klarna request to the state operations
    /// </summary>
    public SandboxResponse Dispatch(string method, string path, string body, KlarnaCall call)
    {
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var notFound = call.Fail(404, "NOT_FOUND", $"No such resource: {method} {path}");

        if (segments.Length >= 3 && segments[0] == "payments" && segments[1] == "v1")
        {
            if (segments[2] == "sessions")
            {
                if (segments.Length == 3 && HttpMethods.IsPost(method))
                    return TryParse<SandboxCart>(body, call, out var cart, out var error) ? _state.CreateSession(call, cart) : error;
                if (segments.Length == 4 && HttpMethods.IsPost(method))
                    return TryParse<SandboxCart>(body, call, out var cart, out var error) ? _state.UpdateSession(call, segments[3], cart) : error;
                if (segments.Length == 4 && HttpMethods.IsGet(method))
                    return _state.ReadSession(call, segments[3]);
            }
            else if (segments[2] == "authorizations" && segments.Length >= 4)
            {
                if (segments.Length == 5 && segments[4] == "order" && HttpMethods.IsPost(method))
                    return TryParse<SandboxCart>(body, call, out var cart, out var error) ? _state.CreateOrderFromAuthorization(call, segments[3], cart) : error;
                if (segments.Length == 4 && HttpMethods.IsDelete(method))
                    return _state.CancelAuthorization(call, segments[3]);
            }

            return notFound;
        }

        if (segments.Length < 4 || segments[0] != "ordermanagement" || segments[1] != "v1" || segments[2] != "orders")
            return notFound;

        var orderId = segments[3];
        var rest = string.Join('/', segments.Skip(4));
        var sub = segments.Length > 5 ? segments[5] : null;

        switch (rest, method.ToUpperInvariant())
        {
            case ("", "GET"):
                return _state.OnOrder(call, orderId, _state.RenderOrder);
            case ("captures", "POST"):
                return TryParse<SandboxCaptureRequest>(body, call, out var capture, out var captureError)
                    ? _state.OnOrder(call, orderId, order => _state.Capture(call, order, capture))
                    : captureError;
            case ("captures", "GET"):
                return _state.OnOrder(call, orderId, _state.ListCaptures);
            case ("refunds", "POST"):
                return TryParse<SandboxRefundRequest>(body, call, out var refund, out var refundError)
                    ? _state.OnOrder(call, orderId, order => _state.Refund(call, order, refund), "NOT_FOUND")
                    : refundError;
            case ("cancel", "POST"):
                return _state.OnOrder(call, orderId, order => _state.Cancel(call, order));
            case ("release-remaining-authorization", "POST"):
                return _state.OnOrder(call, orderId, order => _state.ReleaseRemainingAuthorization(call, order));
            case ("extend-authorization-time", "POST"):
                return _state.OnOrder(call, orderId, order => _state.ExtendAuthorizationTime(call, order));
            case ("acknowledge", "POST"):
                return _state.OnOrder(call, orderId, order => _state.Acknowledge(call, order));
            case ("authorization", "PATCH"):
                return TryParse<SandboxUpdateAuthorizationRequest>(body, call, out var update, out var updateError)
                    ? _state.OnOrder(call, orderId, order => _state.UpdateAuthorization(call, order, update))
                    : updateError;
            case ("merchant-references", "PATCH"):
                return TryParse<SandboxMerchantReferencesRequest>(body, call, out var references, out var referencesError)
                    ? _state.OnOrder(call, orderId, order => _state.UpdateMerchantReferences(call, order, references))
                    : referencesError;
            case ("customer-details", "PATCH"):
                return TryParse<SandboxCustomerDetailsRequest>(body, call, out var customer, out var customerError)
                    ? _state.OnOrder(call, orderId, order => _state.UpdateCustomerDetails(call, order, customer))
                    : customerError;
            case ("shipping-info", "POST"):
                return TryParse<SandboxShippingInfoRequest>(body, call, out var orderShipping, out var orderShippingError)
                    ? _state.OnOrder(call, orderId, order => _state.AddOrderShippingInfo(call, order, orderShipping))
                    : orderShippingError;
        }

        if (segments.Length >= 6 && segments[4] == "captures")
        {
            var captureId = segments[5];
            if (segments.Length == 6 && HttpMethods.IsGet(method))
                return _state.OnOrder(call, orderId, order => _state.GetCapture(call, order, captureId));
            if (segments.Length == 7 && segments[6] == "shipping-info" && HttpMethods.IsPost(method))
                return TryParse<SandboxShippingInfoRequest>(body, call, out var shipping, out var shippingError)
                    ? _state.OnOrder(call, orderId, order => _state.AddCaptureShippingInfo(call, order, captureId, shipping))
                    : shippingError;
            if (segments.Length == 7 && segments[6] == "trigger-send-out" && HttpMethods.IsPost(method))
                return _state.OnOrder(call, orderId, order => _state.TriggerSendOut(call, order, captureId));
        }

        if (segments.Length == 6 && segments[4] == "refunds" && HttpMethods.IsGet(method))
            return _state.OnOrder(call, orderId, order => _state.GetRefund(call, order, sub), "NOT_FOUND");

        return notFound;
    }

    private static string MaskAuthorization(string value)
    {
        var space = value.IndexOf(' ');
        return space > 0 ? $"{value[..space]} ***" : "***";
    }

    #endregion
}
