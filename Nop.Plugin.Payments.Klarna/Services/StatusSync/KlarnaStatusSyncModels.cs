namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Represents the last run of the order status synchronization, for the settings page
/// </summary>
public class KlarnaSyncStatus
{
    public int RunId { get; set; }

    public DateTime StartedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets when the run ended; null while it runs (or if the instance stopped during the run)
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
    /// Gets or sets the number of orders that could not be synchronized (they are tried again next run)
    /// </summary>
    public int FailedCount { get; set; }

    /// <summary>
    /// Gets or sets the number of 429 (too many requests) answers Klarna gave during the run
    /// </summary>
    public int RateLimitedCount { get; set; }

    /// <summary>
    /// Gets or sets the number of orders skipped because another shop instance was working on them
    /// </summary>
    public int SkippedCount { get; set; }

    /// <summary>
    /// Gets or sets the number of authorizations extended automatically
    /// </summary>
    public int ExtendedCount { get; set; }

    public IList<KlarnaSyncFailure> Failures { get; set; } = new List<KlarnaSyncFailure>();

    /// <summary>
    /// Gets or sets the authorizations that expire within the warning period (KlarnaSettings.ExpiryWarningDays)
    /// </summary>
    public IList<KlarnaExpiringAuthorization> ExpiringAuthorizations { get; set; } = new List<KlarnaExpiringAuthorization>();
}

/// <summary>
/// Represents an order that could not be synchronized
/// </summary>
public class KlarnaSyncFailure
{
    /// <summary>
    /// Gets the error code of a run that was cancelled (its text is the locale resource Plugins.Payments.Klarna.StatusSync.Failure.Cancelled)
    /// </summary>
    public const string CancelledCode = "CANCELLED";

    public int OrderId { get; set; }

    public string KlarnaOrderId { get; set; }

    /// <summary>
    /// Gets or sets Klarna's HTTP status (0 = no answer: transport failure or timeout; -1 = not a Klarna error)
    /// </summary>
    public int StatusCode { get; set; }

    public string ErrorCode { get; set; }

    public string Message { get; set; }

    public string CorrelationId { get; set; }

    public DateTime OccurredOnUtc { get; set; }
}

/// <summary>
/// Represents an authorization close to its expiry
/// </summary>
public class KlarnaExpiringAuthorization
{
    public int OrderId { get; set; }

    public string KlarnaOrderId { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    /// <summary>
    /// Gets or sets the amount that can still be captured, in minor units
    /// </summary>
    public long RemainingAuthorizedAmountMinor { get; set; }

    public string CurrencyCode { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the run extended the authorization (KlarnaSettings.AutoExtendAuthorization)
    /// </summary>
    public bool Extended { get; set; }

    /// <summary>
    /// Gets or sets why the automatic extension failed
    /// </summary>
    public string ExtendError { get; set; }
}

/// <summary>
/// Represents the outcome of synchronizing one order
/// </summary>
public enum KlarnaOrderSyncOutcome
{
    Unchanged = 0,
    Changed = 1,
    /// <summary>Another instance (or an admin action) holds the order's lock: left for the next run</summary>
    Skipped = 2,
    Failed = 3,
    /// <summary>Klarna answered 429: try again later in this run</summary>
    RateLimited = 4,
    /// <summary>The order has no Klarna record (any more)</summary>
    NotFound = 5
}

/// <summary>
/// Represents the result of synchronizing one order
/// </summary>
public class KlarnaOrderSyncResult
{
    public KlarnaOrderSyncOutcome Outcome { get; set; }

    public KlarnaSyncFailure Failure { get; set; }

    public KlarnaExpiringAuthorization Expiring { get; set; }

    /// <summary>
    /// Gets or sets the reconciliation's result (the order engine's: what changed, the order's state afterwards)
    /// </summary>
    public OrderManagement.KlarnaOperationResult Reconcile { get; set; }
}

/// <summary>
/// What one sync run loads once and shares between its orders: the settings of each store and the credentials of each
/// store, region and environment (no settings load per order)
/// </summary>
public class KlarnaSyncRunContext
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Task<KlarnaSettings>> _settings = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int StoreId, Api.KlarnaRegion Region, Api.KlarnaEnvironment Environment), Task<Api.KlarnaCredentials>> _credentials = new();

    /// <summary>
    /// Gets the settings of a store, loaded once per run
    /// </summary>
    /// <param name="storeId">Store identifier</param>
    /// <param name="load">Loads the settings</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the settings</returns>
    public Task<KlarnaSettings> GetSettingsAsync(int storeId, Func<int, Task<KlarnaSettings>> load) =>
        _settings.GetOrAdd(storeId, load);

    /// <summary>
    /// Gets the credentials of a store, region and environment, built once per run
    /// </summary>
    /// <param name="storeId">Store identifier</param>
    /// <param name="region">Region</param>
    /// <param name="environment">Environment</param>
    /// <param name="load">Builds the credentials</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the credentials (null when missing)</returns>
    public Task<Api.KlarnaCredentials> GetCredentialsAsync(int storeId, Api.KlarnaRegion region, Api.KlarnaEnvironment environment,
        Func<(int StoreId, Api.KlarnaRegion Region, Api.KlarnaEnvironment Environment), Task<Api.KlarnaCredentials>> load) =>
        _credentials.GetOrAdd((storeId, region, environment), load);
}
