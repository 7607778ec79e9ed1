using Microsoft.Extensions.Options;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.Records;
using Nop.Services.Logging;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased.Mutants;

/// <summary>
/// The mutant <see cref="EngineMutant.PendingFailedByAge"/>: a pending write older than the order lock's expiration is failed
/// without asking Klarna (what the engine before issue 13 did); the younger ones are settled as the real engine does
/// </summary>
public sealed class PendingFailedByAgeSettler : KlarnaPendingSettler
{
    public PendingFailedByAgeSettler(IOptions<KlarnaApiClientOptions> clientOptions,
        IOptions<KlarnaEngineOptions> engineOptions,
        ILogger logger,
        KlarnaOrderNotes notes,
        IKlarnaOrderRecordService recordService,
        KlarnaWriteSender sender,
        TimeProvider timeProvider)
        : base(clientOptions, engineOptions, logger, notes, recordService, sender, timeProvider)
    {
    }

    /// <inheritdoc />
    protected override async Task SettleUnknownAsync(KlarnaOrderSession session, KlarnaSettlementPlan plan, DateTime nowUtc)
    {
        var maxAge = KlarnaLockBudget.Expiration(session.Settings, _clientOptions, _engineOptions);
        foreach (var operation in plan.ToReplay.Concat(plan.ToNeedsAttention).Where(op => nowUtc - op.CreatedOnUtc > maxAge).ToList())
        {
            plan.ToReplay.Remove(operation);
            plan.ToNeedsAttention.Remove(operation);
            operation.Status = KlarnaOperationStatus.Failed;
            operation.ErrorCode = "PENDING_EXPIRED";
            await _recordService.UpdateOperationAsync(operation);
            session.Track(operation);
            await _notes.AddAsync(session.Order.Id, KlarnaNoteCode.RefusedOnReplay, operation.Kind, Money(operation), operation.ErrorCode, Array.Empty<string>(), "-");
            await _logger.WarningAsync($"{KlarnaDefaults.SystemName}: pending {operation.Kind} {operation.Id} of order {session.Order.Id} failed by its age");
        }

        await base.SettleUnknownAsync(session, plan, nowUtc);
    }
}
