using Microsoft.Extensions.Options;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Configuration;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Reads what the order block shows
/// </summary>
public interface IKlarnaOrderReader
{
    /// <summary>
    /// Reads a Klarna order for the order block: one read of Klarna's order, no lock. When Klarna shows something the records
    /// do not have (a pending operation to settle, a Merchant Portal change, a status out of step), the order is
    /// reconciled through the executor first (skipped while another operation holds the order)
    /// </summary>
    /// <param name="order">nopCommerce order</param>
    /// <param name="cancellationToken">The request's cancellation token</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the view, or null for an order not paid with Klarna</returns>
    Task<KlarnaOrderView> ReadAsync(Order order, CancellationToken cancellationToken = default);
}

/// <summary>
/// Represents the read side of the order engine
/// </summary>
public class KlarnaOrderReader : IKlarnaOrderReader
{
    #region Fields

    protected readonly IKlarnaApiClient _apiClient;
    protected readonly IKlarnaCredentialsProvider _credentialsProvider;
    protected readonly KlarnaEngineOptions _engineOptions;
    protected readonly IKlarnaOperationExecutor _executor;
    protected readonly ILogger _logger;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly ISettingService _settingService;
    protected readonly TimeProvider _timeProvider;

    #endregion

    #region Ctor

    public KlarnaOrderReader(IKlarnaApiClient apiClient,
        IKlarnaCredentialsProvider credentialsProvider,
        IOptions<KlarnaEngineOptions> engineOptions,
        IKlarnaOperationExecutor executor,
        ILogger logger,
        IKlarnaOrderRecordService recordService,
        ISettingService settingService,
        TimeProvider timeProvider)
    {
        _apiClient = apiClient;
        _credentialsProvider = credentialsProvider;
        _engineOptions = engineOptions?.Value ?? new KlarnaEngineOptions();
        _executor = executor;
        _logger = logger;
        _recordService = recordService;
        _settingService = settingService;
        _timeProvider = timeProvider;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets a value indicating whether the records or the nopCommerce order are out of step with what Klarna shows
    /// </summary>
    public static bool NeedsReconcile(Order order, KlarnaOrderRecord record, KlarnaSettings settings, IReadOnlyCollection<KlarnaOperation> operations,
        KlarnaOrder klarnaOrder, KlarnaOrderDecision decision, DateTime nowUtc, KlarnaEngineOptions options)
    {
        if (decision.FraudCancelDue || !KlarnaSettlementPolicy.Plan(klarnaOrder, operations, nowUtc, options).IsEmpty)
            return true;

        var recordBehind = !string.Equals(record.KlarnaStatus, decision.KlarnaStatus, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(record.FraudStatus, decision.FraudStatus ?? record.FraudStatus, StringComparison.OrdinalIgnoreCase)
            || record.CapturedAmountMinor != klarnaOrder.CapturedAmount || record.RefundedAmountMinor != klarnaOrder.RefundedAmount
            || record.RemainingAuthorizedAmountMinor != klarnaOrder.RemainingAuthorizedAmount || record.OrderAmountMinor != klarnaOrder.OrderAmount;
        if (recordBehind || order.PaymentStatusId != (int)decision.PaymentStatus
            || order.RefundedAmount != KlarnaOrderAmounts.RefundedAmountOf(order, decision.RefundedAmountMinor, decision.OrderAmountMinor, record.CurrencyCode))
            return true;

        var applied = KlarnaOrderStatusService.GetAppliedEvents(record);
        return decision.StatusEvents.Any(statusEvent => !applied.Contains(statusEvent)
            && (settings.EnableAutomaticOrderStatusChange || KlarnaOrderStatusService.IsInitialEvent(statusEvent)));
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaOrderView> ReadAsync(Order order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);

        var record = await _recordService.GetByOrderIdAsync(order.Id);
        if (record is null || string.IsNullOrEmpty(record.KlarnaOrderId))
            return null;

        var settings = await _settingService.LoadSettingAsync<KlarnaSettings>(order.StoreId);
        var operations = await _recordService.GetOperationsAsync(order.Id) ?? new List<KlarnaOperation>();
        var credentials = _credentialsProvider.GetCredentials(settings, record.Region, record.Environment);

        KlarnaOrder klarnaOrder;
        try
        {
            klarnaOrder = credentials is null
                ? throw new KlarnaApiException(0, KlarnaRefusalCode.NoCredentials.ToString(), new[] { $"{record.Region} {record.Environment}" }, null)
                : await _apiClient.GetOrderAsync(credentials, record.KlarnaOrderId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            var failure = KlarnaFailure.Of(exception);
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: Klarna order {record.KlarnaOrderId} of order {order.Id} could not be read for the order block " +
                $"(error {failure.ErrorCode}, correlation id {failure.CorrelationId ?? "none"})", exception);
            return new KlarnaOrderView { Order = order, Record = record, Settings = settings, Operations = operations, ReadError = failure };
        }

        KlarnaReadCatchUp.CatchUp(klarnaOrder, operations, record);
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var decision = KlarnaOrderPolicy.Decide(klarnaOrder, operations.ToList(), now, settings.ExpiryWarningDays);
        var busy = false;
        if (NeedsReconcile(order, record, settings, operations.ToList(), klarnaOrder, decision, now, _engineOptions))
        {
            var reconciled = await _executor.ReconcileAsync(new KlarnaReconcileRequest
            {
                Order = order,
                OrderId = order.Id,
                Initiator = KlarnaInitiator.Admin,
                InitiatedBy = KlarnaInitiator.Admin.ToString(),
                Settings = settings,
                Credentials = credentials,
                Wait = false
            }, cancellationToken);
            if (reconciled.View is not null)
                return reconciled.View;

            busy = reconciled.Refusal?.Code == KlarnaRefusalCode.OrderBusy;
        }

        return new KlarnaOrderView
        {
            Order = order,
            Record = record,
            Settings = settings,
            KlarnaOrder = klarnaOrder,
            Operations = operations,
            Decision = decision,
            Busy = busy
        };
    }

    #endregion
}
