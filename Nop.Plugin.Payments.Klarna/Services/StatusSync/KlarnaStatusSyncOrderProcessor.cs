using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Synchronizes one order with Klarna through the order engine (its reconciliation: under the order's lock, one read,
/// the policy), then flags (and extends, through the engine's extension command) an authorization close to expiry
/// </summary>
public class KlarnaStatusSyncOrderProcessor : IKlarnaStatusSyncOrderProcessor
{
    #region Constants

    /// <summary>
    /// Gets the InitiatedBy value of the operations the synchronization starts
    /// </summary>
    public static string InitiatedBy => KlarnaInitiator.StatusSync.ToString();

    /// <summary>
    /// Gets how often an automatic extension is tried per order
    /// </summary>
    public static TimeSpan ExtendRetryInterval => TimeSpan.FromHours(24);

    #endregion

    #region Fields

    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly IKlarnaOperationExecutor _executor;
    protected readonly ILogger _logger;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly ISettingService _settingService;
    protected readonly KlarnaTexts _texts;
    protected readonly TimeProvider _timeProvider;

    #endregion

    #region Ctor

    public KlarnaStatusSyncOrderProcessor(IKlarnaCredentialsProvider credentialsProvider,
        IKlarnaOperationExecutor executor,
        ILogger logger,
        IKlarnaOrderRecordService recordService,
        ISettingService settingService,
        KlarnaTexts texts,
        TimeProvider timeProvider)
    {
        _credentialsProvider = credentialsProvider;
        _executor = executor;
        _logger = logger;
        _recordService = recordService;
        _settingService = settingService;
        _texts = texts;
        _timeProvider = timeProvider;
    }

    #endregion

    #region Utilities

    protected static KlarnaSyncFailure Failure(KlarnaOrderRecord record, int orderId, int statusCode, string errorCode, string message, string correlationId = null) => new()
    {
        OrderId = orderId,
        KlarnaOrderId = record?.KlarnaOrderId,
        StatusCode = statusCode,
        ErrorCode = errorCode,
        Message = message,
        CorrelationId = correlationId,
        OccurredOnUtc = DateTime.UtcNow
    };

    /// <summary>
    /// Extends an authorization close to expiry where Klarna allows it (the policy: not after 180 days), at most one try a day
    /// </summary>
    protected virtual async Task TryExtendAsync(int orderId, KlarnaExpiringAuthorization expiring, KlarnaSettings settings, KlarnaOperationResult reconciled)
    {
        if (!settings.AutoExtendAuthorization)
            return;

        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (reconciled.View?.Operations?.Any(op => op.Kind == KlarnaOperationKind.ExtendAuthorization && op.CreatedOnUtc > now - ExtendRetryInterval) == true)
            return;

        var extension = await _executor.ExecuteAsync(new KlarnaExtendAuthorizationCommand
        {
            OrderId = orderId,
            Initiator = KlarnaInitiator.StatusSync,
            InitiatedBy = InitiatedBy
        });
        if (!extension.Success)
        {
            expiring.ExtendError = await _texts.ResultAsync(extension);
            return;
        }

        expiring.Extended = true;
        if (extension.View?.Record?.ExpiresAtUtc is DateTime expiresAt)
            expiring.ExpiresAtUtc = expiresAt;
    }

    /// <summary>
    /// Synchronizes one order, with its record when the caller has it (only its id and store are used: the engine reads it
    /// again under the lock)
    /// </summary>
    protected virtual async Task<KlarnaOrderSyncResult> SyncOrderAsync(int orderId, KlarnaOrderRecord record, KlarnaSyncRunContext runContext,
        CancellationToken cancellationToken)
    {
        var result = new KlarnaOrderSyncResult();
        record ??= await _recordService.GetByOrderIdAsync(orderId);
        if (record is null)
        {
            result.Outcome = KlarnaOrderSyncOutcome.NotFound;
            return result;
        }

        var settings = await runContext.GetSettingsAsync(record.StoreId, storeId => _settingService.LoadSettingAsync<KlarnaSettings>(storeId));
        var credentials = await runContext.GetCredentialsAsync(record.StoreId, record.Region, record.Environment,
            key => Task.FromResult(_credentialsProvider.GetCredentials(settings, key.Region, key.Environment)));

        KlarnaOperationResult reconciled;
        try
        {
            reconciled = await _executor.ReconcileAsync(new KlarnaReconcileRequest
            {
                OrderId = orderId,
                Initiator = KlarnaInitiator.StatusSync,
                InitiatedBy = InitiatedBy,
                Settings = settings,
                Credentials = credentials,
                Wait = false
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: status synchronization of order {orderId} failed", exception);
            result.Outcome = KlarnaOrderSyncOutcome.Failed;
            result.Failure = Failure(record, orderId, -1, exception.GetType().Name, exception.Message);
            return result;
        }

        result.Reconcile = reconciled;
        switch (reconciled.Refusal?.Code)
        {
            case KlarnaRefusalCode.OrderBusy:
                result.Outcome = KlarnaOrderSyncOutcome.Skipped;
                return result;
            case KlarnaRefusalCode.NotKlarnaOrder:
                result.Outcome = KlarnaOrderSyncOutcome.Failed;
                result.Failure = Failure(record, orderId, -1, "ORDER_NOT_FOUND", await _texts.RefusalAsync(reconciled.Refusal));
                return result;
            case KlarnaRefusalCode.NoCredentials:
                result.Outcome = KlarnaOrderSyncOutcome.Failed;
                result.Failure = Failure(record, orderId, -1, "NO_CREDENTIALS", await _texts.RefusalAsync(reconciled.Refusal));
                return result;
            case KlarnaRefusalCode.KlarnaUnreadable:
                var error = reconciled.KlarnaError;
                result.Outcome = error?.StatusCode == 429 ? KlarnaOrderSyncOutcome.RateLimited : KlarnaOrderSyncOutcome.Failed;
                result.Failure = Failure(record, orderId, error?.StatusCode ?? 0, error?.ErrorCode, string.Join("; ", error?.Messages ?? Array.Empty<string>()), error?.CorrelationId);
                return result;
            case KlarnaRefusalCode.Unexpected:
                result.Outcome = KlarnaOrderSyncOutcome.Failed;
                result.Failure = Failure(record, orderId, -1, "UNEXPECTED", await _texts.RefusalAsync(reconciled.Refusal));
                return result;
        }

        result.Outcome = reconciled.Changed ? KlarnaOrderSyncOutcome.Changed : KlarnaOrderSyncOutcome.Unchanged;

        var current = reconciled.View?.Record;
        if (reconciled.View?.Decision?.ExpiresSoon == true && current?.ExpiresAtUtc is DateTime expiresAtUtc)
        {
            result.Expiring = new KlarnaExpiringAuthorization
            {
                OrderId = orderId,
                KlarnaOrderId = current.KlarnaOrderId,
                ExpiresAtUtc = expiresAtUtc,
                RemainingAuthorizedAmountMinor = current.RemainingAuthorizedAmountMinor,
                CurrencyCode = current.CurrencyCode
            };

            try
            {
                await TryExtendAsync(orderId, result.Expiring, settings, reconciled);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result.Expiring.ExtendError = exception.Message;
                await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: automatic extension of the authorization of order {orderId} failed", exception);
            }
        }

        return result;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual Task<KlarnaOrderSyncResult> SyncOrderAsync(int orderId, CancellationToken cancellationToken = default) =>
        SyncOrderAsync(orderId, null, new KlarnaSyncRunContext(), cancellationToken);

    /// <inheritdoc />
    public virtual Task<KlarnaOrderSyncResult> SyncOrderAsync(KlarnaOrderRecord record, KlarnaSyncRunContext runContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return SyncOrderAsync(record.OrderId, record, runContext ?? new KlarnaSyncRunContext(), cancellationToken);
    }

    #endregion
}
