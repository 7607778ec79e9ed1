using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Polly.Timeout;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents the typed HTTP client of Klarna Payments v1 and Order Management v1 (transport, auth, JSON and errors;
/// timeouts and retries live in the resilience pipeline registered by <see cref="KlarnaApiServiceCollectionExtensions"/>)
/// </summary>
public class KlarnaApiClient : IKlarnaApiClient
{
    #region Fields

    private static readonly JsonSerializerSettings _jsonSettings = new()
    {
        NullValueHandling = NullValueHandling.Ignore,
        MissingMemberHandling = MissingMemberHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc
    };

    private static readonly Lazy<string> _userAgentSuffix = new(() =>
    {
        var moduleVersion = typeof(KlarnaApiClient).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";
        var os = $"{Environment.OSVersion.Platform}_{Environment.OSVersion.Version}";
        return $"Module/Nop.Plugin.Payments.Klarna_{moduleVersion} Language/.NET_{Environment.Version} OS/{os}";
    });

    protected readonly HttpClient _httpClient;
    protected readonly ILogger<KlarnaApiClient> _logger;
    protected readonly KlarnaApiClientOptions _options;
    protected readonly IKlarnaTrafficLogger[] _trafficLoggers;

    #endregion

    #region Ctor

    public KlarnaApiClient(HttpClient httpClient,
        IOptions<KlarnaApiClientOptions> options,
        ILogger<KlarnaApiClient> logger,
        IEnumerable<IKlarnaTrafficLogger> trafficLoggers)
    {
        _httpClient = httpClient;
        _logger = logger;
        _options = options?.Value ?? new KlarnaApiClientOptions();
        _trafficLoggers = trafficLoggers?.ToArray() ?? Array.Empty<IKlarnaTrafficLogger>();
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets the User-Agent value: Platform/... Module/... Language/... OS/...
    /// </summary>
    /// <returns>The User-Agent value</returns>
    protected virtual string GetUserAgent()
    {
        return $"Platform/{_options.UserAgentPlatform} {_userAgentSuffix.Value}";
    }

    /// <summary>
    /// Serializes a body to JSON
    /// </summary>
    /// <param name="body">Body</param>
    /// <returns>The JSON</returns>
    protected static string Serialize(object body)
    {
        return JsonConvert.SerializeObject(body, _jsonSettings);
    }

    /// <summary>
    /// Deserializes a JSON response
    /// </summary>
    /// <typeparam name="T">Response type</typeparam>
    /// <param name="json">JSON</param>
    /// <returns>The response</returns>
    protected static T Deserialize<T>(string json)
    {
        return string.IsNullOrWhiteSpace(json) ? default : JsonConvert.DeserializeObject<T>(json, _jsonSettings);
    }

    /// <summary>
    /// Writes one exchange to the debug log and to the traffic loggers (never credentials)
    /// </summary>
    protected virtual async Task LogExchangeAsync(IKlarnaRequest request, Uri uri, string requestBody, int status, string responseBody, string correlationId, TimeSpan duration)
    {
        var url = KlarnaTrafficMask.Path(uri.ToString());
        _logger.LogDebug("Klarna {Method} {Url} -> {Status} in {Duration} ms (correlation id {CorrelationId})",
            request.Method, url, status, (long)duration.TotalMilliseconds, correlationId);

        var traffic = _trafficLoggers.Where(logger => logger.Enabled).ToList();
        if (!_options.LogBodies && !traffic.Any())
            return;

        var message = $"Klarna {request.Method} {url} -> {status} in {(long)duration.TotalMilliseconds} ms (correlation id {correlationId}); " +
            $"request: {KlarnaTrafficMask.Json(requestBody)}; response: {KlarnaTrafficMask.Json(responseBody)}";

        if (_options.LogBodies)
            _logger.LogDebug("{KlarnaTraffic}", message);

        foreach (var trafficLogger in traffic)
        {
            try
            {
                await trafficLogger.LogAsync(message).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                //a failing debug log must never fail the Klarna call
                _logger.LogWarning(exception, "Klarna traffic logger {Logger} failed", trafficLogger.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Checks that an Order Management write carries the caller's idempotency key
    /// </summary>
    /// <param name="idempotencyKey">Idempotency key</param>
    /// <returns>The key</returns>
    protected static string RequireKey(string idempotencyKey)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
            throw new ArgumentException("Order Management writes need the caller's idempotency key", nameof(idempotencyKey));

        return idempotencyKey;
    }

    /// <summary>
    /// Gets the last path segment of a Location header (capture / refund id)
    /// </summary>
    /// <param name="location">Location</param>
    /// <returns>The id; null when there is no location</returns>
    protected static string IdFromLocation(string location)
    {
        return string.IsNullOrEmpty(location) ? null : location.TrimEnd('/').Split('/').Last();
    }

    #endregion

    #region Methods

    /// <summary>
    /// Sends a request and returns the raw answer; throws <see cref="KlarnaApiException"/> on non-2xx and on transport failures
    /// </summary>
    /// <param name="request">Request</param>
    /// <param name="credentials">Credentials</param>
    /// <param name="idempotencyKey">Idempotency key (Order Management writes); null for none</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the answer</returns>
    public virtual async Task<KlarnaResponse> SendAsync(IKlarnaRequest request, KlarnaCredentials credentials, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);

        var uri = new Uri(credentials.BaseUri, request.Path);
        using var message = new HttpRequestMessage(request.Method, uri);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.TryAddWithoutValidation("User-Agent", GetUserAgent());
        if (credentials.Timeout is TimeSpan timeout && timeout > TimeSpan.Zero)
            message.Options.Set(KlarnaApiDefaults.TimeoutOption, timeout);
        if (!string.IsNullOrEmpty(idempotencyKey))
            message.Headers.TryAddWithoutValidation(KlarnaApiDefaults.IdempotencyKeyHeader, idempotencyKey);

        var requestBody = request.Body is null ? null : Serialize(request.Body);
        if (requestBody is not null)
            message.Content = new StringContent(requestBody, Encoding.UTF8, "application/json");

        var stopwatch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or OperationCanceledException)
        {
            await LogExchangeAsync(request, uri, requestBody, 0, null, null, stopwatch.Elapsed).ConfigureAwait(false);
            throw new KlarnaApiException(0, "TIMEOUT", [], null, exception, $"No answer from Klarna within the timeout ({request.Method} {KlarnaTrafficMask.Path(request.Path)})");
        }
        catch (HttpRequestException exception)
        {
            await LogExchangeAsync(request, uri, requestBody, 0, null, null, stopwatch.Elapsed).ConfigureAwait(false);
            throw new KlarnaApiException(0, "TRANSPORT_ERROR", [], null, exception, $"Connection to Klarna failed ({request.Method} {KlarnaTrafficMask.Path(request.Path)}): {exception.Message}");
        }

        using (response)
        {
            var body = response.Content is null ? null : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var correlationId = response.Headers.TryGetValues(KlarnaApiDefaults.CorrelationIdHeader, out var values) ? values.FirstOrDefault() : null;
            var status = (int)response.StatusCode;
            await LogExchangeAsync(request, uri, requestBody, status, body, correlationId, stopwatch.Elapsed).ConfigureAwait(false);

            if (!response.IsSuccessStatusCode)
                throw KlarnaApiException.FromErrorBody(status, body, correlationId);

            string header(string name) => response.Headers.TryGetValues(name, out var headerValues) ? headerValues.FirstOrDefault() : null;

            return new KlarnaResponse
            {
                StatusCode = status,
                Body = body,
                CorrelationId = correlationId,
                Location = response.Headers.Location?.ToString(),
                CaptureId = header(KlarnaApiDefaults.CaptureIdHeader),
                RefundId = header(KlarnaApiDefaults.RefundIdHeader)
            };
        }
    }

    /// <summary>
    /// Sends a request and deserializes the JSON answer
    /// </summary>
    /// <typeparam name="TResponse">Response type</typeparam>
    /// <param name="request">Request</param>
    /// <param name="credentials">Credentials</param>
    /// <param name="idempotencyKey">Idempotency key; null for none</param>
    /// <param name="cancellationToken">Cancellation token</param>
    /// <returns>A task that represents the asynchronous operation. The task result contains the response</returns>
    public virtual async Task<TResponse> SendAsync<TResponse>(IKlarnaRequest request, KlarnaCredentials credentials, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(request, credentials, idempotencyKey, cancellationToken).ConfigureAwait(false);
        try
        {
            return Deserialize<TResponse>(response.Body);
        }
        catch (JsonException exception)
        {
            throw new KlarnaApiException(response.StatusCode, "INVALID_RESPONSE", [], response.CorrelationId, exception, $"Unreadable answer to {request.Method} {KlarnaTrafficMask.Path(request.Path)}: {exception.Message}");
        }
    }

    /// <inheritdoc />
    public virtual Task<KlarnaSession> CreateSessionAsync(KlarnaCredentials credentials, KlarnaSessionRequest request, CancellationToken cancellationToken = default)
    {
        return SendAsync<KlarnaSession>(KlarnaRequest.CreateSession(request), credentials, null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task UpdateSessionAsync(KlarnaCredentials credentials, string sessionId, KlarnaSessionRequest request, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.UpdateSession(sessionId, request), credentials, null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task<KlarnaSession> GetSessionAsync(KlarnaCredentials credentials, string sessionId, CancellationToken cancellationToken = default)
    {
        return SendAsync<KlarnaSession>(KlarnaRequest.GetSession(sessionId), credentials, null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task<KlarnaCreateOrderResponse> CreateOrderAsync(KlarnaCredentials credentials, string authorizationToken, KlarnaSessionRequest request, CancellationToken cancellationToken = default)
    {
        return SendAsync<KlarnaCreateOrderResponse>(KlarnaRequest.CreateOrder(authorizationToken, request), credentials, null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task CancelAuthorizationAsync(KlarnaCredentials credentials, string authorizationToken, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.CancelAuthorization(authorizationToken), credentials, null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task<KlarnaOrder> GetOrderAsync(KlarnaCredentials credentials, string orderId, CancellationToken cancellationToken = default)
    {
        return SendAsync<KlarnaOrder>(KlarnaRequest.GetOrder(orderId), credentials, null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual async Task<string> CaptureAsync(KlarnaCredentials credentials, string orderId, KlarnaCaptureRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(KlarnaRequest.CreateCapture(orderId, request), credentials, RequireKey(idempotencyKey), cancellationToken).ConfigureAwait(false);
        return response.CaptureId ?? IdFromLocation(response.Location);
    }

    /// <inheritdoc />
    public virtual async Task<IList<KlarnaCapture>> ListCapturesAsync(KlarnaCredentials credentials, string orderId, CancellationToken cancellationToken = default)
    {
        return await SendAsync<List<KlarnaCapture>>(KlarnaRequest.ListCaptures(orderId), credentials, null, cancellationToken).ConfigureAwait(false)
            ?? new List<KlarnaCapture>();
    }

    /// <inheritdoc />
    public virtual Task<KlarnaCapture> GetCaptureAsync(KlarnaCredentials credentials, string orderId, string captureId, CancellationToken cancellationToken = default)
    {
        return SendAsync<KlarnaCapture>(KlarnaRequest.GetCapture(orderId, captureId), credentials, null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task AddShippingInfoAsync(KlarnaCredentials credentials, string orderId, string captureId, IList<KlarnaShippingInfo> shippingInfo, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.AddShippingInfo(orderId, captureId, shippingInfo), credentials, RequireKey(idempotencyKey), cancellationToken);
    }

    /// <inheritdoc />
    public virtual async Task<string> RefundAsync(KlarnaCredentials credentials, string orderId, KlarnaRefundRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(KlarnaRequest.CreateRefund(orderId, request), credentials, RequireKey(idempotencyKey), cancellationToken).ConfigureAwait(false);
        return response.RefundId ?? IdFromLocation(response.Location);
    }

    /// <inheritdoc />
    public virtual Task<KlarnaRefund> GetRefundAsync(KlarnaCredentials credentials, string orderId, string refundId, CancellationToken cancellationToken = default)
    {
        return SendAsync<KlarnaRefund>(KlarnaRequest.GetRefund(orderId, refundId), credentials, null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task CancelOrderAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.CancelOrder(orderId), credentials, RequireKey(idempotencyKey), cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task ReleaseRemainingAuthorizationAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.ReleaseRemainingAuthorization(orderId), credentials, RequireKey(idempotencyKey), cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task ExtendAuthorizationTimeAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.ExtendAuthorizationTime(orderId), credentials, RequireKey(idempotencyKey), cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task UpdateAuthorizationAsync(KlarnaCredentials credentials, string orderId, KlarnaUpdateAuthorizationRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.UpdateAuthorization(orderId, request), credentials, RequireKey(idempotencyKey), cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task UpdateMerchantReferencesAsync(KlarnaCredentials credentials, string orderId, string merchantReference1, string merchantReference2, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.UpdateMerchantReferences(orderId, merchantReference1, merchantReference2), credentials, RequireKey(idempotencyKey), cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task AcknowledgeAsync(KlarnaCredentials credentials, string orderId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        return SendAsync(KlarnaRequest.Acknowledge(orderId), credentials, RequireKey(idempotencyKey), cancellationToken);
    }

    #endregion
}
