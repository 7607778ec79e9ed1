using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Cancels the order (only before any capture; also the cancel of a fraud-rejected order after Klarna's notification)
/// </summary>
public class KlarnaCancelCommand : KlarnaCommand
{
    /// <inheritdoc />
    public override KlarnaOperationKind Kind => KlarnaOperationKind.Cancel;

    /// <inheritdoc />
    public override Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context) => Task.FromResult(PlanOf(context.Decision.Cancel, Kind));

    /// <summary>
    /// Gets the plan of an allowance (cancel, release, extension: no body)
    /// </summary>
    internal static KlarnaWritePlan PlanOf(KlarnaAllowance allowance, KlarnaOperationKind kind) => allowance.Allowed
        ? new KlarnaWritePlan { Kind = kind, AmountMinor = allowance.LimitMinor }
        : KlarnaWritePlan.Refuse(allowance.Refusal);
}

/// <summary>
/// Releases the remaining authorization (after a partial capture)
/// </summary>
public class KlarnaReleaseCommand : KlarnaCommand
{
    /// <inheritdoc />
    public override KlarnaOperationKind Kind => KlarnaOperationKind.Release;

    /// <inheritdoc />
    public override Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context) =>
        Task.FromResult(KlarnaCancelCommand.PlanOf(context.Decision.Release, Kind));
}

/// <summary>
/// Voids the payment (nopCommerce's Void button): cancels the order when nothing was captured, releases the remaining
/// authorization after a partial capture (decided on Klarna's order read under the lock)
/// </summary>
public class KlarnaVoidCommand : KlarnaCommand
{
    /// <inheritdoc />
    public override KlarnaOperationKind Kind => KlarnaOperationKind.Cancel;

    /// <inheritdoc />
    public override Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context)
    {
        var hasCaptures = context.Decision.CapturedAmountMinor > 0 || context.KlarnaOrder.Captures?.Count > 0;
        return Task.FromResult(hasCaptures
            ? KlarnaCancelCommand.PlanOf(context.Decision.Release, KlarnaOperationKind.Release)
            : KlarnaCancelCommand.PlanOf(context.Decision.Cancel, KlarnaOperationKind.Cancel));
    }
}

/// <summary>
/// Extends the authorization time
/// </summary>
public class KlarnaExtendAuthorizationCommand : KlarnaCommand
{
    /// <inheritdoc />
    public override KlarnaOperationKind Kind => KlarnaOperationKind.ExtendAuthorization;

    /// <inheritdoc />
    public override Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context) =>
        Task.FromResult(KlarnaCancelCommand.PlanOf(context.Decision.Extend, Kind));
}
