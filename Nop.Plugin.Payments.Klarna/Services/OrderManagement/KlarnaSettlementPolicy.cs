using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// A pending operation whose effect Klarna's order shows
/// </summary>
/// <param name="Operation">The operation</param>
/// <param name="KlarnaId">Klarna's id of its result (capture id, refund id); null for a state change</param>
/// <param name="KlarnaReference">Klarna's reference of the capture</param>
public sealed record KlarnaSettlement(KlarnaOperation Operation, string KlarnaId, string KlarnaReference);

/// <summary>
/// What to do with the unsettled operations of an order and with what Klarna shows that no operation of the plugin claims
/// </summary>
public sealed class KlarnaSettlementPlan
{
    /// <summary>
    /// Gets the unsettled operations whose effect Klarna's order shows: they succeeded
    /// </summary>
    public IList<KlarnaSettlement> Settled { get; } = new List<KlarnaSettlement>();

    /// <summary>
    /// Gets the pending operations without a visible effect that Klarna still replays: send them again with their own key
    /// </summary>
    public IList<KlarnaOperation> ToReplay { get; } = new List<KlarnaOperation>();

    /// <summary>
    /// Gets the pending operations without a visible effect that Klarna no longer replays: a person has to look at them
    /// </summary>
    public IList<KlarnaOperation> ToNeedsAttention { get; } = new List<KlarnaOperation>();

    /// <summary>
    /// Gets the pending cancels and releases that Klarna no longer replays while its order shows their state change: the
    /// Merchant Portal may have made that change, and Klarna's order does not tell whose it was, so a person has to look
    /// </summary>
    public IList<KlarnaOperation> ToNeedsAttentionUnattributed { get; } = new List<KlarnaOperation>();

    /// <summary>
    /// Gets the captures no operation claims (made in the Merchant Portal)
    /// </summary>
    public IList<KlarnaCapture> ExternalCaptures { get; } = new List<KlarnaCapture>();

    /// <summary>
    /// Gets the refunds no operation claims (made in the Merchant Portal)
    /// </summary>
    public IList<KlarnaRefund> ExternalRefunds { get; } = new List<KlarnaRefund>();

    /// <summary>
    /// Gets or sets a value indicating whether the order was cancelled outside the plugin
    /// </summary>
    public bool ExternalCancel { get; set; }

    /// <summary>
    /// Gets or sets the amount released outside the plugin (null when nothing was)
    /// </summary>
    public long? ExternalReleaseAmount { get; set; }

    /// <summary>
    /// Gets a value indicating whether there is anything to do
    /// </summary>
    public bool IsEmpty => Settled.Count == 0 && ToReplay.Count == 0 && ToNeedsAttention.Count == 0 && ToNeedsAttentionUnattributed.Count == 0
        && ExternalCaptures.Count == 0
        && ExternalRefunds.Count == 0 && !ExternalCancel && ExternalReleaseAmount is null;
}

/// <summary>
/// The part of the policy that settles pending operations from Klarna's order (pure). A pending capture, refund or
/// tracking number is settled by its visible effect (its capture or refund: same amount, same lines, same reference, not
/// older than the operation; the tracking number on the capture), else sent again with its own idempotency key while
/// Klarna replays it, else (after the replay window) it needs a person's attention. A cancel or release is settled only by
/// Klarna's answer to its key: its state change does not tell who made it (the Merchant Portal may have), so past the
/// replay window it needs a person's attention, with or without that state change. Nothing is failed because of its age.
/// Captures, refunds and state changes no operation claims were made outside the plugin (Merchant Portal).
/// </summary>
public static class KlarnaSettlementPolicy
{
    #region Utilities

    private static bool SameText(string first, string second) =>
        string.Equals(string.IsNullOrEmpty(first) ? null : first, string.IsNullOrEmpty(second) ? null : second, StringComparison.Ordinal);

    private static bool NotOlder(DateTimeOffset? madeAt, KlarnaOperation operation, TimeSpan clockSkew) =>
        madeAt is null || operation.CreatedOnUtc == default || madeAt.Value.UtcDateTime >= operation.CreatedOnUtc - clockSkew;

    private static bool SameLines(KlarnaOperation operation, IEnumerable<KlarnaOrderLine> lines)
    {
        var sent = KlarnaWriteSender.ReadList<KlarnaOrderLine>(operation.LinesJson);
        return sent is null || sent.Count == 0 || KlarnaOrderLineMath.SameLines(sent, lines);
    }

    private static KlarnaSettlement EffectOf(KlarnaOperation operation, KlarnaOrder order, ISet<string> claimed, TimeSpan clockSkew)
    {
        switch (operation.Kind)
        {
            case KlarnaOperationKind.Capture:
                var capture = (order.Captures ?? new List<KlarnaCapture>())
                    .Where(c => !string.IsNullOrEmpty(c.CaptureId) && !claimed.Contains(c.CaptureId) && c.CapturedAmount == operation.AmountMinor)
                    .Where(c => (string.IsNullOrEmpty(operation.Reference) || SameText(c.Reference, operation.Reference)) && NotOlder(c.CapturedAt, operation, clockSkew))
                    .Where(c => SameLines(operation, c.OrderLines))
                    .OrderBy(c => c.CapturedAt ?? DateTimeOffset.MinValue)
                    .FirstOrDefault();
                return capture is null ? null : new KlarnaSettlement(operation, capture.CaptureId, capture.KlarnaReference);

            case KlarnaOperationKind.Refund:
                var refund = (order.Refunds ?? new List<KlarnaRefund>())
                    .Where(r => !string.IsNullOrEmpty(r.RefundId) && !claimed.Contains(r.RefundId) && r.RefundedAmount == operation.AmountMinor)
                    .Where(r => (string.IsNullOrEmpty(operation.Reference) || SameText(r.Reference, operation.Reference)) && NotOlder(r.RefundedAt, operation, clockSkew))
                    .Where(r => SameLines(operation, r.OrderLines))
                    .OrderBy(r => r.RefundedAt ?? DateTimeOffset.MinValue)
                    .FirstOrDefault();
                return refund is null ? null : new KlarnaSettlement(operation, refund.RefundId, null);

            case KlarnaOperationKind.ShippingInfo:
                var sent = KlarnaWriteSender.ReadList<KlarnaShippingInfo>(operation.ShippingInfoJson)?.Select(info => info.TrackingNumber).Where(number => !string.IsNullOrEmpty(number)).ToList();
                var target = order.Captures?.FirstOrDefault(c => c.CaptureId == operation.KlarnaId);
                return sent?.Count > 0 && target?.ShippingInfo?.Any(info => sent.Contains(info.TrackingNumber)) == true
                    ? new KlarnaSettlement(operation, operation.KlarnaId, null)
                    : null;

            default:
                //an extension has no effect that tells it apart: it is sent again (Klarna gives the same date for the same day)
                return null;
        }
    }

    /// <summary>
    /// Gets a value indicating whether Klarna's order shows the state change of a cancel or a release (whoever made it)
    /// </summary>
    private static bool ShowsStateChange(KlarnaOperationKind kind, KlarnaOrder order, DateTime nowUtc) => kind == KlarnaOperationKind.Cancel
        ? order.Status?.ToUpperInvariant() == KlarnaOrderStatus.Cancelled
        : IsReleased(order, nowUtc);

    /// <summary>
    /// Gets a value indicating whether the rest of the authorization was released after a part capture (and did not simply expire)
    /// </summary>
    private static bool IsReleased(KlarnaOrder order, DateTime nowUtc)
    {
        var status = order.Status?.ToUpperInvariant();
        var endedByRelease = status == KlarnaOrderStatus.Captured
            || (status == KlarnaOrderStatus.Closed && (order.ExpiresAt is null || order.ExpiresAt.Value.UtcDateTime > nowUtc));
        return endedByRelease && order.CapturedAmount > 0 && order.CapturedAmount < order.OrderAmount && order.RemainingAuthorizedAmount == 0;
    }

    #endregion

    #region Methods

    /// <summary>
    /// Plans the settlement of an order's unsettled operations and the recording of changes made outside the plugin
    /// </summary>
    /// <param name="order">Klarna's order, as just read</param>
    /// <param name="operations">The plugin's operations of the order</param>
    /// <param name="nowUtc">Now</param>
    /// <param name="options">Replay window and clock skew</param>
    /// <returns>The plan</returns>
    public static KlarnaSettlementPlan Plan(KlarnaOrder order, IReadOnlyCollection<KlarnaOperation> operations, DateTime nowUtc, KlarnaEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(order);
        options ??= new KlarnaEngineOptions();
        operations ??= Array.Empty<KlarnaOperation>();

        var plan = new KlarnaSettlementPlan();
        var claimed = new HashSet<string>(operations
            .Where(op => op.Kind is KlarnaOperationKind.Capture or KlarnaOperationKind.Refund && !string.IsNullOrEmpty(op.KlarnaId))
            .Select(op => op.KlarnaId), StringComparer.Ordinal);

        //a state change happens once: when Klarna answered one cancel (release), the state is that one's, not another's
        var answeredStates = operations.Where(op => op.Status == KlarnaOperationStatus.Succeeded).Select(op => op.Kind).ToHashSet();

        foreach (var operation in operations.Where(KlarnaOperationFamilies.IsUnsettled).Where(op => op.Kind != KlarnaOperationKind.Authorize)
                     .OrderBy(op => op.CreatedOnUtc).ThenBy(op => op.Id))
        {
            var replayable = operation.Status == KlarnaOperationStatus.Pending && nowUtc - operation.CreatedOnUtc < options.ReplayWindow;

            //a cancel's or a release's state change does not tell who made it (the Merchant Portal may have done the same):
            //only Klarna's answer to its key does (its stored answer, or a refusal if it never executed it)
            if (operation.Kind is KlarnaOperationKind.Cancel or KlarnaOperationKind.Release)
            {
                if (replayable)
                    plan.ToReplay.Add(operation);
                else if (operation.Status == KlarnaOperationStatus.Pending && !answeredStates.Contains(operation.Kind) && ShowsStateChange(operation.Kind, order, nowUtc))
                    plan.ToNeedsAttentionUnattributed.Add(operation);
                else if (operation.Status == KlarnaOperationStatus.Pending)
                    plan.ToNeedsAttention.Add(operation);
                continue;
            }

            var effect = EffectOf(operation, order, claimed, options.ClockSkew);
            if (effect is not null)
            {
                plan.Settled.Add(effect);
                if (effect.KlarnaId is not null && operation.Kind is KlarnaOperationKind.Capture or KlarnaOperationKind.Refund)
                    claimed.Add(effect.KlarnaId);
                continue;
            }

            if (operation.Status != KlarnaOperationStatus.Pending)
                continue;

            if (replayable)
                plan.ToReplay.Add(operation);
            else
                plan.ToNeedsAttention.Add(operation);
        }

        foreach (var capture in (order.Captures ?? new List<KlarnaCapture>()).Where(c => !string.IsNullOrEmpty(c.CaptureId) && !claimed.Contains(c.CaptureId)))
            plan.ExternalCaptures.Add(capture);
        foreach (var refund in (order.Refunds ?? new List<KlarnaRefund>()).Where(r => !string.IsNullOrEmpty(r.RefundId) && !claimed.Contains(r.RefundId)))
            plan.ExternalRefunds.Add(refund);

        //a cancel or release of the plugin that did not fail may be the one Klarna shows: it is not recorded as the portal's
        bool known(KlarnaOperationKind kind) => operations.Any(op => op.Kind == kind && op.Status != KlarnaOperationStatus.Failed);

        plan.ExternalCancel = order.Status?.ToUpperInvariant() == KlarnaOrderStatus.Cancelled && !known(KlarnaOperationKind.Cancel);
        if (IsReleased(order, nowUtc) && !known(KlarnaOperationKind.Release))
            plan.ExternalReleaseAmount = order.OrderAmount - order.CapturedAmount;

        return plan;
    }

    #endregion
}
