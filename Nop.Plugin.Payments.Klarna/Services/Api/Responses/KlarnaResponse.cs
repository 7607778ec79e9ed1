
namespace Nop.Plugin.Payments.Klarna.Services.Api.Responses;

/// <summary>
/// Represents the raw 2xx answer of a Klarna call
/// </summary>
public class KlarnaResponse
{
    /// <summary>
    /// Gets or sets the HTTP status code
    /// </summary>
    public int StatusCode { get; set; }

    /// <summary>
    /// Gets or sets the body (JSON or empty)
    /// </summary>
    public string Body { get; set; }

    /// <summary>
    /// Gets or sets the Klarna-Correlation-Id header
    /// </summary>
    public string CorrelationId { get; set; }

    /// <summary>
    /// Gets or sets the Location header (201 of captures and refunds)
    /// </summary>
    public string Location { get; set; }

    /// <summary>
    /// Gets or sets the Capture-Id header
    /// </summary>
    public string CaptureId { get; set; }

    /// <summary>
    /// Gets or sets the Refund-Id header
    /// </summary>
    public string RefundId { get; set; }
}
