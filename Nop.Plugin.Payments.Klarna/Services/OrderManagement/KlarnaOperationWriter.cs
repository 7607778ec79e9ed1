using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Makes one Klarna write of a command, under the order's lock: records the operation as Pending with its idempotency key
/// before the call, stops unsent when another flow recorded or changed an operation of the same family meanwhile (a lock
/// that did not hold), sends it (never cancelled), and records the outcome: Succeeded with Klarna's id, Failed with
/// Klarna's code, messages and correlation id, or still Pending when the answer was lost. Every failure leaves an order
/// note and a log entry
/// </summary>
public class KlarnaOperationWriter
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

    public KlarnaOperationWriter(IOptions<KlarnaApiClientOptions> clientOptions,
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
    /// Gets a new idempotency key: one per logical operation, recorded before its first attempt and sent with every retry
    /// </summary>
    public static string NewIdempotencyKey() => Guid.NewGuid().ToString();

    protected virtual KlarnaOperation NewOperation(KlarnaOrderSession session, IKlarnaCommand command, KlarnaWritePlan plan) => new()
    {
        OrderId = session.Order.Id,
        KlarnaOrderId = session.Record.KlarnaOrderId,
        Kind = plan.Kind,
        Status = KlarnaOperationStatus.Pending,
        AmountMinor = plan.AmountMinor,
        CurrencyCode = session.KlarnaOrder.PurchaseCurrency?.ToUpperInvariant() ?? session.Record.CurrencyCode,
        LinesJson = plan.Lines?.Count > 0 ? JsonConvert.SerializeObject(plan.Lines) : null,
        ShippingInfoJson = plan.ShippingInfo?.Count > 0 ? JsonConvert.SerializeObject(plan.ShippingInfo) : null,
        IdempotencyKey = string.IsNullOrEmpty(command.IdempotencyKey) ? NewIdempotencyKey() : KlarnaText.Truncate(command.IdempotencyKey, 100),
        KlarnaId = plan.TargetCaptureId,
        Description = plan.Description,
        Reference = plan.Reference,
        Initiator = command.Initiator,
        InitiatedBy = KlarnaText.Truncate(command.InitiatedBy, 255),
        ShipmentId = plan.ShipmentId,
        CreatedOnUtc = _timeProvider.GetUtcNow().UtcDateTime
    };

    protected virtual Task NoteSuccessAsync(KlarnaOrderSession session, KlarnaOperation operation)
    {
        var money = new KlarnaMoney(operation.AmountMinor, operation.CurrencyCode);
        return operation.Kind switch
        {
            KlarnaOperationKind.Capture => _notes.AddAsync(session.Order.Id, KlarnaNoteCode.Captured, money, operation.KlarnaId ?? "-",
                string.Join(", ", KlarnaWriteSender.ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson)?.Select(info => info.TrackingNumber)
                    .Where(number => !string.IsNullOrEmpty(number)) ?? Enumerable.Empty<string>()) is { Length: > 0 } tracking ? tracking : "-"),
            KlarnaOperationKind.Refund => _notes.AddAsync(session.Order.Id, KlarnaNoteCode.Refunded, money, operation.KlarnaId ?? "-"),
            KlarnaOperationKind.Cancel => _notes.AddAsync(session.Order.Id, KlarnaNoteCode.Cancelled, money),
            KlarnaOperationKind.Release => _notes.AddAsync(session.Order.Id, KlarnaNoteCode.Released, money),
            KlarnaOperationKind.ShippingInfo => _notes.AddAsync(session.Order.Id, KlarnaNoteCode.ShippingInfoAdded,
                KlarnaWriteSender.ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson)?.FirstOrDefault()?.TrackingNumber ?? "-",
                KlarnaWriteSender.ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson)?.FirstOrDefault()?.ShippingCompany ?? "-", operation.KlarnaId ?? "-"),
            _ => Task.CompletedTask
        };
    }

    /// <summary>
    /// Takes the outcome another flow recorded for the operation while this attempt's answer was lost (nothing is written
    /// again, its note was left by that flow)
    /// </summary>
    protected virtual KlarnaOperationResult AdoptSettled(KlarnaOrderSession session, KlarnaOperation operation, KlarnaOperation stored, KlarnaFailure failure)
    {
        operation.Status = stored.Status;
        operation.KlarnaId = stored.KlarnaId;
        operation.KlarnaReference = stored.KlarnaReference;
        operation.ErrorCode = stored.ErrorCode;
        operation.ErrorMessage = stored.ErrorMessage;
        operation.CorrelationId = stored.CorrelationId;
        session.Track(operation);
        if (operation.Status != KlarnaOperationStatus.Succeeded)
        {
            return KlarnaOperationResult.Failed(operation, new KlarnaFailure
            {
                StatusCode = failure.StatusCode,
                ErrorCode = operation.ErrorCode ?? failure.ErrorCode,
                Messages = string.IsNullOrEmpty(operation.ErrorMessage) ? failure.Messages : new[] { operation.ErrorMessage },
                CorrelationId = operation.CorrelationId ?? failure.CorrelationId,
                OutcomeUnknown = operation.Status != KlarnaOperationStatus.Failed
            });
        }

        session.NeedsReread |= KlarnaWriteSender.ApplyLocally(session.KlarnaOrder, operation, _timeProvider.GetUtcNow().UtcDateTime);
        return KlarnaOperationResult.Ok(operation);
    }

    #endregion

    #region Methods

    /// <summary>
    /// Makes the write of a plan
    /// </summary>
    /// <param name="session">Session (loaded, settled, under the lock)</param>
    /// <param name="command">Command</param>
    /// <param name="plan">The command's plan</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the result</returns>
    public virtual async Task<KlarnaOperationResult> WriteAsync(KlarnaOrderSession session, IKlarnaCommand command, KlarnaWritePlan plan)
    {
        //a write never outlives its lock: it needs its worst case (and the work after it) left
        var needed = KlarnaLockBudget.NeededForWrite(session.Settings, _clientOptions, _engineOptions);
        if (session.Lease is { } lease && !lease.HasLeft(needed))
            return KlarnaOperationResult.Refused(KlarnaRefusalCode.LockTimeTooShort);

        var operation = NewOperation(session, command, plan);
        try
        {
            await _recordService.InsertOperationAsync(operation);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            //the unique index on the key: this key belongs to another operation
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: {plan.Kind} of order {session.Order.Id} not recorded: {exception.Message}");
            return KlarnaOperationResult.Refused(KlarnaRefusalCode.IdempotencyKeyInUse);
        }

        //the last guard when the lock did not hold: another flow recorded or changed an operation of the order since the read
        var current = await _recordService.GetOperationsAsync(session.Order.Id);
        if (session.HasRival(current, operation))
        {
            operation.Status = KlarnaOperationStatus.Failed;
            operation.ErrorCode = KlarnaUnsentCodes.OrderChanged;
            await _recordService.UpdateOperationAsync(operation);
            session.SetOperations(current);
            session.Track(operation);
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: {plan.Kind} of order {session.Order.Id} not sent: another operation of the order was recorded meanwhile");
            var refused = KlarnaOperationResult.Refused(KlarnaRefusalCode.OrderChanged);
            refused.Operation = operation;
            return refused;
        }

        session.Track(operation);

        //and again right before the send (recording it took time): an operation never sent is failed, nothing is guessed
        if (session.Lease is { } leaseNow && !leaseNow.HasLeft(needed))
        {
            operation.Status = KlarnaOperationStatus.Failed;
            operation.ErrorCode = KlarnaUnsentCodes.LockTimeTooShort;
            await _recordService.UpdateOperationAsync(operation);
            session.Track(operation);
            var tooLate = KlarnaOperationResult.Refused(KlarnaRefusalCode.LockTimeTooShort);
            tooLate.Operation = operation;
            return tooLate;
        }

        string klarnaId = null;
        KlarnaFailure failure = null;
        try
        {
            klarnaId = await _sender.SendAsync(session.Credentials, operation);
        }
        catch (Exception exception)
        {
            failure = _sender.FailureOf(exception);
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: {operation.Kind} failed for order {session.Order.Id} (Klarna order {operation.KlarnaOrderId}, " +
                $"amount {operation.AmountMinor} {operation.CurrencyCode}, key {operation.IdempotencyKey}, error {failure.ErrorCode}, " +
                $"correlation id {failure.CorrelationId ?? "none"}{(failure.OutcomeUnknown ? ", outcome unknown: stays pending" : string.Empty)})", exception);
        }

        var money = new KlarnaMoney(operation.AmountMinor, operation.CurrencyCode);

        //another flow may have settled it meanwhile (it took the order when this call's lock expired, and replayed the key or
        //found its effect): then it noted it, and a lost answer here must not put it back to pending
        var stored = await _recordService.GetOperationByIdempotencyKeyAsync(operation.IdempotencyKey);
        if (failure is not null && stored is not null && stored.Status != KlarnaOperationStatus.Pending)
            return AdoptSettled(session, operation, stored, failure);

        if (failure is null)
        {
            var settledElsewhere = stored?.Status == KlarnaOperationStatus.Succeeded;
            operation.Status = KlarnaOperationStatus.Succeeded;
            operation.KlarnaId = klarnaId ?? operation.KlarnaId;
            operation.ErrorCode = null;
            operation.ErrorMessage = null;
            await _recordService.UpdateOperationAsync(operation);
            session.Track(operation);
            session.NeedsReread |= KlarnaWriteSender.ApplyLocally(session.KlarnaOrder, operation, _timeProvider.GetUtcNow().UtcDateTime);
            if (!settledElsewhere)
                await NoteSuccessAsync(session, operation);
            return KlarnaOperationResult.Ok(operation);
        }

        operation.ErrorCode = KlarnaText.Truncate(failure.ErrorCode, 100);
        operation.ErrorMessage = KlarnaText.Truncate(string.Join("; ", failure.Messages), 2000);
        operation.CorrelationId = KlarnaText.Truncate(failure.CorrelationId, 100);
        if (!failure.OutcomeUnknown)
            operation.Status = KlarnaOperationStatus.Failed;
        await _recordService.UpdateOperationAsync(operation);
        session.Track(operation);

        await _notes.AddAsync(session.Order.Id, failure.OutcomeUnknown ? KlarnaNoteCode.WriteOutcomeUnknown : KlarnaNoteCode.WriteRefused,
            operation.Kind, money, failure.ErrorCode, failure.Messages, failure.CorrelationId ?? "-");
        return KlarnaOperationResult.Failed(operation, failure);
    }

    #endregion
}
