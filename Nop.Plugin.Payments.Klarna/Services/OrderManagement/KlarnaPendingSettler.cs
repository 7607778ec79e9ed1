using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Carries out <see cref="KlarnaSettlementPolicy"/>'s plan for a session under the order's lock: pending operations Klarna
/// shows the effect of succeed; the others are sent again with their own idempotency key while Klarna replays it (only while
/// the lock has a write's worst case left) and take Klarna's answer; after the replay window they need attention; what no
/// operation claims is recorded as made in the Merchant Portal. Each step leaves an order note
/// </summary>
public class KlarnaPendingSettler
{
    #region Fields

    protected readonly KlarnaApiClientOptions _clientOptions;
    protected readonly KlarnaEngineOptions _engineOptions;
    protected readonly ILogger _logger;
    protected readonly KlarnaOrderNotes _notes;
    protected readonly IKlarnaOrderRecordService _recordService;
    protected readonly KlarnaWriteSender _sender;
    protected readonly TimeProvider _timeProvider;

    #endregion

    #region Ctor

    public KlarnaPendingSettler(IOptions<KlarnaApiClientOptions> clientOptions,
        IOptions<KlarnaEngineOptions> engineOptions,
        ILogger logger,
        KlarnaOrderNotes notes,
        IKlarnaOrderRecordService recordService,
        KlarnaWriteSender sender,
        TimeProvider timeProvider)
    {
        _clientOptions = clientOptions?.Value ?? new KlarnaApiClientOptions();
        _engineOptions = engineOptions?.Value ?? new KlarnaEngineOptions();
        _logger = logger;
        _notes = notes;
        _recordService = recordService;
        _sender = sender;
        _timeProvider = timeProvider;
    }

    #endregion

    #region Utilities

    /// <summary>
    /// Gets the amount of an operation
    /// </summary>
    protected static KlarnaMoney Money(KlarnaOperation operation) => new(operation.AmountMinor, operation.CurrencyCode);

    protected virtual async Task SucceedAsync(KlarnaOrderSession session, KlarnaOperation operation, string klarnaId, string klarnaReference)
    {
        operation.Status = KlarnaOperationStatus.Succeeded;
        operation.KlarnaId = klarnaId ?? operation.KlarnaId;
        operation.KlarnaReference = klarnaReference ?? operation.KlarnaReference;
        operation.ErrorCode = null;
        operation.ErrorMessage = null;
        await _recordService.UpdateOperationAsync(operation);
        session.Track(operation);
        session.SettledHere.Add(operation);
    }

    /// <summary>
    /// Sends a pending operation again with its own key and takes Klarna's answer
    /// </summary>
    protected virtual async Task ReplayAsync(KlarnaOrderSession session, KlarnaOperation operation)
    {
        string klarnaId;
        try
        {
            klarnaId = await _sender.SendAsync(session.Credentials, operation);
        }
        catch (Exception exception)
        {
            var failure = _sender.FailureOf(exception);
            operation.ErrorCode = KlarnaText.Truncate(failure.ErrorCode, 100);
            operation.ErrorMessage = KlarnaText.Truncate(string.Join("; ", failure.Messages), 2000);
            operation.CorrelationId = KlarnaText.Truncate(failure.CorrelationId, 100);
            if (failure.OutcomeUnknown)
            {
                //still unknown: it stays pending for the next read, the next sync run or the next click; whoever sees it (an
                //admin's click or read, nopCommerce's button, an automatic capture) gets a note too, a sync run or a
                //notification only the log (they settle again and again: no note per attempt)
                await _recordService.UpdateOperationAsync(operation);
                if (session.Initiator is not (KlarnaInitiator.StatusSync or KlarnaInitiator.Notification))
                {
                    await _notes.AddAsync(session.Order.Id, KlarnaNoteCode.WriteOutcomeUnknown, operation.Kind, Money(operation), failure.ErrorCode,
                        failure.Messages, failure.CorrelationId ?? "-");
                }
                await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: pending {operation.Kind} {operation.Id} of order {session.Order.Id} sent again " +
                    $"with its key, still no answer (error {failure.ErrorCode}, correlation id {failure.CorrelationId ?? "none"})", exception);
                return;
            }

            operation.Status = KlarnaOperationStatus.Failed;
            await _recordService.UpdateOperationAsync(operation);
            session.Track(operation);
            await _notes.AddAsync(session.Order.Id, KlarnaNoteCode.RefusedOnReplay, operation.Kind, Money(operation), failure.ErrorCode, failure.Messages, failure.CorrelationId);
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: pending {operation.Kind} {operation.Id} of order {session.Order.Id} refused by Klarna " +
                $"when sent again with its key (error {failure.ErrorCode}, correlation id {failure.CorrelationId ?? "none"})", exception);
            return;
        }

        await SucceedAsync(session, operation, klarnaId, null);
        session.NeedsReread |= KlarnaWriteSender.ApplyLocally(session.KlarnaOrder, operation, _timeProvider.GetUtcNow().UtcDateTime);
        await _notes.AddAsync(session.Order.Id, KlarnaNoteCode.SettledByReplay, operation.Kind, Money(operation), operation.KlarnaId ?? "-");
    }

    /// <summary>
    /// Records an operation made outside the plugin (once: its key is derived from Klarna's id)
    /// </summary>
    protected virtual async Task<bool> InsertExternalAsync(KlarnaOrderSession session, KlarnaOperationKind kind, string what, long amount,
        string klarnaId, string klarnaReference, string description, string reference, object lines, DateTime createdOnUtc)
    {
        var key = $"external:{session.Record.KlarnaOrderId}:{what}";
        if (session.Operations.Any(op => op.IdempotencyKey == key) || await _recordService.GetOperationByIdempotencyKeyAsync(key) is not null)
            return false;

        var operation = new KlarnaOperation
        {
            OrderId = session.Order.Id,
            KlarnaOrderId = session.Record.KlarnaOrderId,
            Kind = kind,
            Status = KlarnaOperationStatus.Succeeded,
            AmountMinor = amount,
            CurrencyCode = session.Record.CurrencyCode,
            LinesJson = lines is null ? null : JsonConvert.SerializeObject(lines),
            IdempotencyKey = key,
            KlarnaId = klarnaId,
            KlarnaReference = klarnaReference,
            Description = KlarnaText.Truncate(description, 255),
            Reference = KlarnaText.Truncate(reference, 255),
            Initiator = KlarnaInitiator.MerchantPortal,
            InitiatedBy = KlarnaInitiator.MerchantPortal.ToString(),
            CreatedOnUtc = createdOnUtc
        };
        try
        {
            await _recordService.InsertOperationAsync(operation);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            //another flow recorded it first (the unique index on the key)
            return false;
        }

        session.Track(operation);
        return true;
    }

    /// <summary>
    /// Marks an operation past Klarna's replay window as needing a person's attention, with its note and an error log entry
    /// </summary>
    protected virtual async Task NeedsAttentionAsync(KlarnaOrderSession session, KlarnaOperation operation, KlarnaNoteCode note)
    {
        var orderId = session.Order.Id;
        operation.Status = KlarnaOperationStatus.NeedsAttention;
        await _recordService.UpdateOperationAsync(operation);
        session.Track(operation);
        await _notes.AddAsync(orderId, note, operation.Kind, Money(operation), operation.CreatedOnUtc, operation.IdempotencyKey);
        await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: {operation.Kind} {operation.Id} of order {orderId} (key {operation.IdempotencyKey}) " +
            "stayed without an outcome for longer than Klarna replays its key, and " + (note == KlarnaNoteCode.NeedsAttentionUnattributed
                ? "Klarna's order shows its state change, which may have been made in the Merchant Portal: it needs attention"
                : "Klarna's order shows no effect of it: it needs attention"));
    }

    /// <summary>
    /// Settles the operations Klarna's order shows no effect of: sends each of the plan's replays again with its own key while
    /// the lock has a whole write's worst case left, and marks those past Klarna's replay window as needing attention (a cancel or
    /// release whose state change Klarna shows with its own note: whose change it was cannot be told)
    /// </summary>
    /// <param name="session">Session (loaded, under the lock)</param>
    /// <param name="plan">The settlement plan</param>
    /// <param name="nowUtc">Now</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    protected virtual async Task SettleUnknownAsync(KlarnaOrderSession session, KlarnaSettlementPlan plan, DateTime nowUtc)
    {
        var needed = KlarnaLockBudget.NeededForWrite(session.Settings, _clientOptions, _engineOptions);
        foreach (var operation in plan.ToReplay)
        {
            if (session.Lease?.HasLeft(needed) == false)
                break;
            await ReplayAsync(session, operation);
        }

        foreach (var operation in plan.ToNeedsAttention)
            await NeedsAttentionAsync(session, operation, KlarnaNoteCode.NeedsAttention);
        foreach (var operation in plan.ToNeedsAttentionUnattributed)
            await NeedsAttentionAsync(session, operation, KlarnaNoteCode.NeedsAttentionUnattributed);
    }

    #endregion

    #region Methods

    /// <summary>
    /// Settles the session's unsettled operations and records what was done outside the plugin
    /// </summary>
    /// <param name="session">Session (loaded, under the lock)</param>
    /// <returns>A task that represents the asynchronous operation</returns>
    public virtual async Task SettleAsync(KlarnaOrderSession session)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var plan = KlarnaSettlementPolicy.Plan(session.KlarnaOrder, session.Operations, now, _engineOptions);
        if (plan.IsEmpty)
            return;

        var orderId = session.Order.Id;
        foreach (var settled in plan.Settled)
        {
            await SucceedAsync(session, settled.Operation, settled.KlarnaId, settled.KlarnaReference);
            await _notes.AddAsync(orderId, KlarnaNoteCode.SettledFromKlarna, settled.Operation.Kind, Money(settled.Operation), settled.KlarnaId ?? "-");
        }

        await SettleUnknownAsync(session, plan, now);

        var currency = session.Record.CurrencyCode;
        foreach (var capture in plan.ExternalCaptures)
        {
            if (await InsertExternalAsync(session, KlarnaOperationKind.Capture, $"capture:{capture.CaptureId}", capture.CapturedAmount, capture.CaptureId,
                    capture.KlarnaReference, capture.Description, capture.Reference, capture.OrderLines, capture.CapturedAt?.UtcDateTime ?? now))
                await _notes.AddAsync(orderId, KlarnaNoteCode.ExternalCapture, new KlarnaMoney(capture.CapturedAmount, currency), capture.CaptureId, capture.KlarnaReference ?? "-");
        }

        foreach (var refund in plan.ExternalRefunds)
        {
            if (await InsertExternalAsync(session, KlarnaOperationKind.Refund, $"refund:{refund.RefundId}", refund.RefundedAmount, refund.RefundId,
                    null, refund.Description, refund.Reference, refund.OrderLines, refund.RefundedAt?.UtcDateTime ?? now))
                await _notes.AddAsync(orderId, KlarnaNoteCode.ExternalRefund, new KlarnaMoney(refund.RefundedAmount, currency), refund.RefundId);
        }

        if (plan.ExternalCancel && await InsertExternalAsync(session, KlarnaOperationKind.Cancel, "cancel", session.KlarnaOrder.OrderAmount,
                null, null, null, null, null, now))
            await _notes.AddAsync(orderId, KlarnaNoteCode.ExternalCancel, new KlarnaMoney(session.KlarnaOrder.OrderAmount, currency));

        if (plan.ExternalReleaseAmount is { } released && await InsertExternalAsync(session, KlarnaOperationKind.Release, "release", released,
                null, null, null, null, null, now))
            await _notes.AddAsync(orderId, KlarnaNoteCode.ExternalRelease, new KlarnaMoney(released, currency));
    }

    #endregion
}
