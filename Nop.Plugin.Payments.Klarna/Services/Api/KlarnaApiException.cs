using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents any failed Klarna API call: a non-2xx answer, or no answer at all (StatusCode 0)
/// </summary>
public class KlarnaApiException : Exception
{
    #region Ctor

    /// <summary>
    /// Ctor
    /// </summary>
    /// <param name="statusCode">HTTP status code; 0 when no HTTP answer was received</param>
    /// <param name="errorCode">Klarna error code, e.g. CAPTURE_NOT_ALLOWED, TRANSPORT_ERROR, TIMEOUT</param>
    /// <param name="errorMessages">Klarna error messages</param>
    /// <param name="correlationId">Klarna correlation id</param>
    /// <param name="innerException">Inner exception (transport failures)</param>
    /// <param name="detail">What the plugin saw when Klarna gave no error of its own (for the logs only, never shown as Klarna's)</param>
    public KlarnaApiException(int statusCode, string errorCode, IReadOnlyList<string> errorMessages, string correlationId, Exception innerException = null, string detail = null)
        : base(FormatMessage(statusCode, errorCode, errorMessages, correlationId, detail), innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessages = errorMessages ?? Array.Empty<string>();
        CorrelationId = correlationId;
    }

    #endregion

    #region Utilities

    private static string FormatMessage(int statusCode, string errorCode, IReadOnlyList<string> errorMessages, string correlationId, string detail)
    {
        var messages = errorMessages?.Any() == true ? string.Join("; ", errorMessages) : detail ?? "no details";
        return $"Klarna error {errorCode ?? "UNKNOWN"} ({statusCode}): {messages} (correlation id {correlationId ?? "none"})";
    }

    #endregion

    #region Properties

    /// <summary>
    /// Gets the HTTP status code; 0 when no HTTP answer was received (transport failure or timeout)
    /// </summary>
    public int StatusCode { get; }

    /// <summary>
    /// Gets Klarna's error code (TRANSPORT_ERROR / TIMEOUT when no answer was received)
    /// </summary>
    public string ErrorCode { get; }

    /// <summary>
    /// Gets Klarna's own error messages (empty when Klarna gave none: no answer, an unreadable body)
    /// </summary>
    public IReadOnlyList<string> ErrorMessages { get; }

    /// <summary>
    /// Gets the correlation id (from the body or the Klarna-Correlation-Id header)
    /// </summary>
    public string CorrelationId { get; }

    /// <summary>
    /// Gets a value indicating whether the failure is transient (no answer, 408, 429 or 5xx): repeating the same
    /// request (with the same idempotency key) later may succeed
    /// </summary>
    public bool IsTransient => StatusCode is 0 or 408 or 429 or >= 500;

    #endregion

    #region Methods

    /// <summary>
    /// Reads Klarna's error body ({error_code, error_messages[] or error_message, correlation_id}) into an exception
    /// </summary>
    /// <param name="statusCode">HTTP status</param>
    /// <param name="body">Response body</param>
    /// <param name="headerCorrelationId">Klarna-Correlation-Id header</param>
    /// <returns>The exception</returns>
    public static KlarnaApiException FromErrorBody(int statusCode, string body, string headerCorrelationId)
    {
        string errorCode = null;
        string correlationId = null;
        var messages = new List<string>();
        string detail = null;

        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                if (JToken.Parse(body) is JObject error)
                {
                    errorCode = error.Value<string>("error_code");
                    correlationId = error.Value<string>("correlation_id");
                    if (error["error_messages"] is JArray array)
                        messages.AddRange(array.Select(m => m.Type == JTokenType.String ? m.Value<string>() : m.ToString(Formatting.None)));
                    if (error["error_message"]?.Type == JTokenType.String)
                        messages.Add(error.Value<string>("error_message"));
                }
            }
            catch (JsonException)
            {
                detail = $"Non-JSON error body of {body.Length} characters";
            }
        }

        return new KlarnaApiException(statusCode, errorCode ?? $"HTTP_{statusCode}", messages,
            string.IsNullOrEmpty(correlationId) ? headerCorrelationId : correlationId, null, detail);
    }

    #endregion
}
