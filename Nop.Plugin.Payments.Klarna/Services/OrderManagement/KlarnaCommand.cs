using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Services.Shipping;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// The nopCommerce services a command may need to plan its request (shipments, tracking, texts sent to Klarna)
/// </summary>
public class KlarnaCommandServices
{
    public KlarnaCommandServices(IShipmentService shipmentService, IKlarnaShipmentTrackingService trackingService, KlarnaTexts texts)
    {
        ShipmentService = shipmentService;
        TrackingService = trackingService;
        Texts = texts;
    }

    public IShipmentService ShipmentService { get; }

    public IKlarnaShipmentTrackingService TrackingService { get; }

    public KlarnaTexts Texts { get; }
}

/// <summary>
/// What a command plans with: the session (order, record, Klarna's order, operations, settings) and the policy's decision
/// </summary>
public sealed class KlarnaCommandContext
{
    public KlarnaCommandContext(KlarnaOrderSession session, KlarnaOrderDecision decision, KlarnaCommandServices services)
    {
        Session = session;
        Decision = decision;
        Services = services;
    }

    public KlarnaOrderSession Session { get; }

    public KlarnaOrderDecision Decision { get; }

    public KlarnaCommandServices Services { get; }

    public Order Order => Session.Order;

    public KlarnaOrder KlarnaOrder => Session.KlarnaOrder;

    public IReadOnlyList<KlarnaOperation> Operations => Session.Operations;

    public string CurrencyCode => Decision.CurrencyCode ?? Session.Record.CurrencyCode;

    /// <summary>
    /// Gets an amount of the order's currency
    /// </summary>
    public KlarnaMoney Money(long minor) => new(minor, CurrencyCode);
}

/// <summary>
/// One operation on a Klarna order: it validates its input against the policy's decision and describes the Klarna request,
/// or refuses; <see cref="IKlarnaOperationExecutor"/> runs it
/// </summary>
public interface IKlarnaCommand
{
    /// <summary>
    /// Gets the nopCommerce order identifier
    /// </summary>
    int OrderId { get; }

    /// <summary>
    /// Gets the order instance the caller holds (nopCommerce's buttons and events: the instance nopCommerce saves
    /// afterwards; the admin action: the order it loaded); null = loaded by <see cref="OrderId"/>
    /// </summary>
    Order Order { get; }

    /// <summary>
    /// Gets the kind of operation (a void is a cancel or a release, decided on Klarna's order)
    /// </summary>
    KlarnaOperationKind Kind { get; }

    /// <summary>
    /// Gets who or what started it
    /// </summary>
    KlarnaInitiator Initiator { get; }

    /// <summary>
    /// Gets who started it (admin e-mail, event)
    /// </summary>
    string InitiatedBy { get; }

    /// <summary>
    /// Gets the idempotency key the caller chose (one per click); null = a new one
    /// </summary>
    string IdempotencyKey { get; }

    /// <summary>
    /// Gets the operations the admin's view showed without an outcome (pending or needing attention) when the click was
    /// prepared: one of the same family found done since refuses the click, as it refuses a retry of it (null: none)
    /// </summary>
    IList<int> UnsettledSeen { get; }

    /// <summary>
    /// Validates the command against the decision and describes the Klarna request
    /// </summary>
    /// <param name="context">What the command plans with</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the plan (or the refusal)</returns>
    Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context);
}

/// <summary>
/// The properties every command has
/// </summary>
public abstract class KlarnaCommand : IKlarnaCommand
{
    /// <inheritdoc />
    public int OrderId { get; set; }

    /// <inheritdoc />
    public Order Order { get; set; }

    /// <inheritdoc />
    public abstract KlarnaOperationKind Kind { get; }

    /// <inheritdoc />
    public KlarnaInitiator Initiator { get; set; } = KlarnaInitiator.Admin;

    /// <inheritdoc />
    public string InitiatedBy { get; set; }

    /// <inheritdoc />
    public string IdempotencyKey { get; set; }

    /// <inheritdoc />
    public IList<int> UnsettledSeen { get; set; }

    /// <inheritdoc />
    public abstract Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context);

    /// <summary>
    /// Plans the amount and the lines of a capture or refund within the decision's allowance: everything left (no lines,
    /// no amount; with the lines when they add up to it), selected lines, or an amount without lines
    /// </summary>
    /// <param name="context">Context</param>
    /// <param name="allowance">The allowance of the operation (its limit: the remaining authorization, or what Klarna can refund)</param>
    /// <param name="selections">Selected lines, or null</param>
    /// <param name="amountMinor">Amount in minor units, or null</param>
    /// <param name="currencyCode">Currency the amount was entered in, or null</param>
    /// <param name="refund">True for a refund</param>
    /// <param name="clamp">True to take what is left of a line asked for more (capture upon fulfillment)</param>
    /// <returns>The amount and lines, or the refusal</returns>
    protected static (long Amount, IList<KlarnaOrderLine> Lines, KlarnaRefusal Refusal) PlanMoney(KlarnaCommandContext context, KlarnaAllowance allowance,
        IList<KlarnaLineSelection> selections, long? amountMinor, string currencyCode, bool refund, bool clamp)
    {
        static (long, IList<KlarnaOrderLine>, KlarnaRefusal) refuse(KlarnaRefusalCode code, params object[] args) => (0, null, new KlarnaRefusal(code, args));

        if (!allowance.Allowed)
            return (0, null, allowance.Refusal);

        var limit = allowance.LimitMinor;
        var hasLines = selections?.Count > 0;
        if (!string.IsNullOrEmpty(currencyCode) && !string.Equals(currencyCode, context.CurrencyCode, StringComparison.OrdinalIgnoreCase))
            return refuse(KlarnaRefusalCode.CurrencyMismatch, currencyCode, context.CurrencyCode);
        if (hasLines && amountMinor.HasValue)
            return refuse(KlarnaRefusalCode.LinesAndAmount);

        long amount;
        IList<KlarnaOrderLine> lines = null;
        if (amountMinor is { } asked)
        {
            if (asked <= 0)
                return refuse(KlarnaRefusalCode.AmountNotPositive);
            amount = asked;
        }
        else if (hasLines)
        {
            var (built, refusal) = KlarnaLinePolicy.Build(context.KlarnaOrder, selections, refund, clamp);
            if (refusal is not null)
                return (0, null, refusal);
            if (built.Count == 0)
                return refuse(clamp ? KlarnaRefusalCode.NothingToCapture : KlarnaRefusalCode.LinesAddUpToNothing);

            lines = built;
            amount = built.Sum(line => line.TotalAmount);
            if (amount <= 0)
                return refuse(KlarnaRefusalCode.LinesAddUpToNothing);
        }
        else
        {
            amount = limit;
            lines = KlarnaLinePolicy.BuildEverythingLeft(context.KlarnaOrder, refund, limit);
        }

        //the real maximum: the remaining authorization, or what Klarna can refund (captured and not refunded; never
        //nopCommerce's order total)
        if (amount > limit)
            return refuse(refund ? KlarnaRefusalCode.RefundAmountTooHigh : KlarnaRefusalCode.CaptureAmountTooHigh, context.Money(amount), context.Money(limit));

        return (amount, lines, null);
    }
}
