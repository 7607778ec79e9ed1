using Microsoft.Extensions.Options;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The one command path (see README, "Order engine"): every Klarna write and every reconciliation of an order runs under
/// the order's lock, held longer than its worst case (<see cref="KlarnaLockBudget"/>), on one read of Klarna's order;
/// earlier pending operations are settled first (<see cref="KlarnaPendingSettler"/>), the policy decides
/// (<see cref="KlarnaOrderPolicy"/>), the command plans its request, the write is recorded before it is sent
/// (<see cref="KlarnaOperationWriter"/>), and the record and the nopCommerce order follow (<see cref="KlarnaOrderStateWriter"/>).
/// nopCommerce's events are published once the lock is released, so what they trigger (capture upon fulfillment) takes the
/// lock like any other command and never waits for this one
/// </summary>
public class KlarnaOperationExecutor : IKlarnaOperationExecutor
{
    #region Fields

    protected readonly KlarnaApiClientOptions _clientOptions;
    protected readonly KlarnaCommandServices _commandServices;
    protected readonly KlarnaEngineOptions _engineOptions;
    protected readonly KlarnaOrderLock _lock;
    protected readonly ILogger _logger;
    protected readonly KlarnaOrderNotes _notes;
    protected readonly KlarnaOrderSessions _sessions;
    protected readonly KlarnaPendingSettler _settler;
    protected readonly KlarnaOrderStateWriter _stateWriter;
    protected readonly TimeProvider _timeProvider;
    protected readonly KlarnaOperationWriter _writer;

    #endregion

    #region Ctor

    public KlarnaOperationExecutor(IOptions<KlarnaApiClientOptions> clientOptions,
        KlarnaCommandServices commandServices,
        IOptions<KlarnaEngineOptions> engineOptions,
        KlarnaOrderLock orderLock,
        ILogger logger,
        KlarnaOrderNotes notes,
        KlarnaOrderSessions sessions,
        KlarnaPendingSettler settler,
        KlarnaOrderStateWriter stateWriter,
        TimeProvider timeProvider,
        KlarnaOperationWriter writer)
    {
        _clientOptions = clientOptions?.Value ?? new KlarnaApiClientOptions();
        _commandServices = commandServices;
        _engineOptions = engineOptions?.Value ?? new KlarnaEngineOptions();
        _lock = orderLock;
        _logger = logger;
        _notes = notes;
        _sessions = sessions;
        _settler = settler;
        _stateWriter = stateWriter;
        _timeProvider = timeProvider;
        _writer = writer;
    }

    #endregion

    #region Utilities

    protected virtual KlarnaOrderDecision Decide(KlarnaOrderSession session) =>
        KlarnaOrderPolicy.Decide(session.KlarnaOrder, session.Operations, _timeProvider.GetUtcNow().UtcDateTime, session.Settings.ExpiryWarningDays);

    /// <summary>
    /// Leaves a note and a log entry for a refusal nobody sees (capture upon fulfillment, status sync, notification)
    /// </summary>
    protected virtual async Task ReportRefusalAsync(KlarnaOrderSession session, KlarnaOperationKind kind, KlarnaRefusal refusal)
    {
        if (!session.IsAutomatic || refusal.IsNothingToDo)
            return;

        await _notes.AddAsync(session.Order.Id, KlarnaNoteCode.NotDone, kind, refusal);
        await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: {kind} of order {session.Order.Id} ({session.Initiator}) not done: {refusal}");
    }

    /// <summary>
    /// Refuses a new operation of a family whose earlier operation turned out done: pending when this execution started,
    /// or shown without an outcome in the admin's view the click came from (a second click after a lost answer must not
    /// capture twice, also when another flow settled the first one in between)
    /// </summary>
    protected virtual KlarnaWritePlan RefuseAfterEarlierSettled(KlarnaOrderSession session, IKlarnaCommand command, KlarnaWritePlan plan)
    {
        if (plan.Refusal is not null)
            return plan;

        var family = KlarnaOperationFamilies.Of(plan.Kind);
        var seen = command.UnsettledSeen ?? Array.Empty<int>();
        var earlier = session.SettledHere.FirstOrDefault(op => op.Status == KlarnaOperationStatus.Succeeded
                && session.PendingAtStart.Contains(op.Id) && KlarnaOperationFamilies.Of(op.Kind) == family)
            ?? session.Operations.FirstOrDefault(op => op.Status == KlarnaOperationStatus.Succeeded
                && seen.Contains(op.Id) && KlarnaOperationFamilies.Of(op.Kind) == family);

        return earlier is null
            ? plan
            : KlarnaWritePlan.Refuse(KlarnaRefusalCode.EarlierOperationCompleted, earlier.Kind, new KlarnaMoney(earlier.AmountMinor, earlier.CurrencyCode));
    }

    /// <summary>
    /// Applies the state and completes the result with it
    /// </summary>
    protected virtual async Task<KlarnaOperationResult> FinishAsync(KlarnaOrderSession session, KlarnaOperationResult result)
    {
        if (session.NeedsReread)
        {
            await _sessions.RereadAsync(session);
            session.NeedsReread = false;
            session.ExtendedHere = true;
        }

        var decision = Decide(session);
        await _stateWriter.ApplyAsync(session, decision);
        result.PaymentStatus = decision.PaymentStatus;
        result.Changed = session.Changed;
        result.View = new KlarnaOrderView
        {
            Order = session.Order,
            Record = session.Record,
            Settings = session.Settings,
            KlarnaOrder = session.KlarnaOrder,
            Operations = session.Operations,
            Decision = decision
        };
        return result;
    }

    protected virtual async Task<KlarnaOperationResult> RunCommandAsync(KlarnaOrderSession session, IKlarnaCommand command, CancellationToken cancellationToken)
    {
        var failure = await _sessions.LoadAsync(session, null, cancellationToken);
        if (failure is not null)
        {
            //a failed read of Klarna's order was noted and logged when it happened
            if (failure.KlarnaError is null)
                await ReportRefusalAsync(session, command.Kind, failure.Refusal);
            return failure;
        }

        //the caller's key continues its own operation (a retry of the same click): never a second one
        var mine = string.IsNullOrEmpty(command.IdempotencyKey) ? null : session.Operations.FirstOrDefault(op => op.IdempotencyKey == command.IdempotencyKey);
        if (mine is not null && KlarnaOperationFamilies.Of(mine.Kind) != KlarnaOperationFamilies.Of(command.Kind))
            return KlarnaOperationResult.Refused(KlarnaRefusalCode.IdempotencyKeyInUse);

        await _settler.SettleAsync(session);

        KlarnaOperationResult result;
        if (mine is not null && KlarnaRefusal.OfUnsent(mine) is { } unsent)
        {
            //the same click again, after its operation was stopped before it was sent: the same refusal, not a Klarna error
            result = KlarnaOperationResult.Refused(unsent);
            result.Operation = mine;
        }
        else if (mine is not null)
        {
            result = mine.Status == KlarnaOperationStatus.Succeeded
                ? KlarnaOperationResult.Ok(mine)
                : KlarnaOperationResult.Failed(mine, new KlarnaFailure
                {
                    ErrorCode = mine.ErrorCode,
                    Messages = string.IsNullOrEmpty(mine.ErrorMessage) ? Array.Empty<string>() : new[] { mine.ErrorMessage },
                    CorrelationId = mine.CorrelationId,
                    OutcomeUnknown = mine.Status != KlarnaOperationStatus.Failed
                });
        }
        else
        {
            var plan = await command.PlanAsync(new KlarnaCommandContext(session, Decide(session), _commandServices));
            plan = RefuseAfterEarlierSettled(session, command, plan);
            if (plan.Refusal is not null)
            {
                result = KlarnaOperationResult.Refused(plan.Refusal);
                await ReportRefusalAsync(session, command.Kind, plan.Refusal);
            }
            else
                result = await _writer.WriteAsync(session, command, plan);
        }

        return await FinishAsync(session, result);
    }

    protected virtual async Task<KlarnaOperationResult> RunReconcileAsync(KlarnaOrderSession session, KlarnaReconcileRequest request, CancellationToken cancellationToken)
    {
        var failure = await _sessions.LoadAsync(session, request.Credentials, cancellationToken);
        if (failure is not null)
            return failure;

        await _settler.SettleAsync(session);

        var result = KlarnaOperationResult.Ok(null);
        var decision = Decide(session);
        if (decision.FraudCancelDue && request.CancelFraudRejected)
        {
            //Klarna rejected the order: its authorization is cancelled through the same command path
            var command = new KlarnaCancelCommand { Order = session.Order, OrderId = session.Order.Id, Initiator = request.Initiator, InitiatedBy = request.InitiatedBy };
            var plan = await command.PlanAsync(new KlarnaCommandContext(session, decision, _commandServices));
            result = plan.Refusal is null ? await _writer.WriteAsync(session, command, plan) : KlarnaOperationResult.Refused(plan.Refusal);
        }

        return await FinishAsync(session, result);
    }

    /// <summary>
    /// Runs work under the order's lock, then publishes the events it queued
    /// </summary>
    protected virtual async Task<KlarnaOperationResult> RunLockedAsync(KlarnaOrderSession session, bool wait, KlarnaOperationKind kind,
        Func<Task<KlarnaOperationResult>> work, CancellationToken cancellationToken)
    {
        KlarnaOperationResult result;
        try
        {
            var expiration = KlarnaLockBudget.Expiration(session.Settings, _clientOptions, _engineOptions);
            var (acquired, inner) = await _lock.RunAsync(session.Order.Id, expiration, wait, lease =>
            {
                session.Lease = lease;
                return work();
            }, cancellationToken);

            result = acquired ? inner : KlarnaOperationResult.Refused(KlarnaRefusalCode.OrderBusy);
            //a notification that finds the order busy is answered 503 and sent again by Klarna: no note for it
            if (!acquired && wait && session.Initiator != KlarnaInitiator.Notification)
                await ReportRefusalAsync(session, kind, result.Refusal);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            //the request went away before anything was written (a sent write is never cancelled)
            throw;
        }
        catch (Exception exception)
        {
            await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: unexpected error in a {kind} of order {session.Order.Id}", exception);
            result = KlarnaOperationResult.Refused(KlarnaRefusalCode.Unexpected);
        }

        foreach (var publish in session.AfterRelease)
        {
            try
            {
                await publish();
            }
            catch (Exception exception)
            {
                await _logger.ErrorAsync($"{KlarnaDefaults.SystemName}: an event of order {session.Order.Id} failed", exception);
            }
        }

        return result;
    }

    #endregion

    #region Methods

    /// <inheritdoc />
    public virtual async Task<KlarnaOperationResult> ExecuteAsync(IKlarnaCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);

        var (session, refusal) = await _sessions.OpenAsync(command.Order, command.OrderId, command.Initiator);
        if (refusal is not null)
            return KlarnaOperationResult.Refused(refusal);

        return await RunLockedAsync(session, true, command.Kind, () => RunCommandAsync(session, command, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public virtual async Task<KlarnaOperationResult> ReconcileAsync(KlarnaReconcileRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        var (session, refusal) = await _sessions.OpenAsync(request.Order, request.OrderId, request.Initiator, request.Settings);
        if (refusal is not null)
            return KlarnaOperationResult.Refused(refusal);

        return await RunLockedAsync(session, request.Wait, KlarnaOperationKind.Cancel, () => RunReconcileAsync(session, request, cancellationToken), cancellationToken);
    }

    #endregion
}
