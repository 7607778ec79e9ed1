using Nop.Core;

namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Represents one run of the order status synchronization (shown on the settings page)
/// </summary>
public class KlarnaSyncRun : BaseEntity
{
    /// <summary>
    /// Gets or sets when the run started
    /// </summary>
    public DateTime StartedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets when the run ended; null while it runs (or when the instance stopped during the run)
    /// </summary>
    public DateTime? EndedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets the number of orders read from Klarna and reconciled
    /// </summary>
    public int CheckedCount { get; set; }

    /// <summary>
    /// Gets or sets the number of orders in which something changed
    /// </summary>
    public int ChangedCount { get; set; }

    /// <summary>
    /// Gets or sets the number of orders that could not be synchronized in this run
    /// </summary>
    public int FailedCount { get; set; }

    /// <summary>
    /// Gets or sets the number of times Klarna answered 429 (too many requests) during the run
    /// </summary>
    public int RateLimitedCount { get; set; }

    /// <summary>
    /// Gets or sets the number of orders skipped because another instance was working on them
    /// </summary>
    public int SkippedCount { get; set; }

    /// <summary>
    /// Gets or sets the number of authorizations extended automatically
    /// </summary>
    public int ExtendedCount { get; set; }

    /// <summary>
    /// Gets or sets the failures (JSON list of <c>KlarnaSyncFailure</c>)
    /// </summary>
    public string FailuresJson { get; set; }

    /// <summary>
    /// Gets or sets the authorizations close to expiry (JSON list of <c>KlarnaExpiringAuthorization</c>)
    /// </summary>
    public string ExpiringJson { get; set; }
}
