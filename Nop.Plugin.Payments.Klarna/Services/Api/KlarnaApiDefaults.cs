using System;

namespace Nop.Plugin.Payments.Klarna.Services.Api;

/// <summary>
/// Represents constants of the Klarna REST API (hosts, headers, paths)
/// </summary>
public static class KlarnaApiDefaults
{
    /// <summary>
    /// Gets the name of the typed HTTP client and of its resilience pipeline
    /// </summary>
    public static string HttpClientName => "Klarna";

    /// <summary>
    /// Gets the request option that carries the per-attempt timeout of one call (from <see cref="KlarnaCredentials.Timeout"/>)
    /// </summary>
    public static System.Net.Http.HttpRequestOptionsKey<TimeSpan> TimeoutOption { get; } = new("Klarna.Timeout");

    /// <summary>
    /// Gets the idempotency key header name
    /// </summary>
    public static string IdempotencyKeyHeader => "Klarna-Idempotency-Key";

    /// <summary>
    /// Gets the correlation id header name
    /// </summary>
    public static string CorrelationIdHeader => "Klarna-Correlation-Id";

    /// <summary>
    /// Gets the capture id header name (201 of a capture)
    /// </summary>
    public static string CaptureIdHeader => "Capture-Id";

    /// <summary>
    /// Gets the refund id header name (201 of a refund)
    /// </summary>
    public static string RefundIdHeader => "Refund-Id";

    /// <summary>
    /// Gets the Klarna base URL for a region and environment
    /// </summary>
    /// <param name="region">Region</param>
    /// <param name="environment">Environment</param>
    /// <returns>The base URL ending with '/'</returns>
    public static string GetBaseUrl(KlarnaRegion region, KlarnaEnvironment environment)
    {
        var live = environment == KlarnaEnvironment.Production;
        return region switch
        {
            KlarnaRegion.Europe => live ? "https://api.klarna.com/" : "https://api.playground.klarna.com/",
            KlarnaRegion.NorthAmerica => live ? "https://api-na.klarna.com/" : "https://api-na.playground.klarna.com/",
            KlarnaRegion.Oceania => live ? "https://api-oc.klarna.com/" : "https://api-oc.playground.klarna.com/",
            _ => throw new ArgumentOutOfRangeException(nameof(region), region, "Unknown Klarna region")
        };
    }
}
