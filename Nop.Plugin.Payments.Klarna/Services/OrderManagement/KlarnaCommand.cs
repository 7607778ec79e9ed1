using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
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
    public abstract Task<KlarnaWritePlan> PlanAsync(KlarnaCommandContext context);

    /// <summary>
    /// Cuts a text to Klarna's length limit
    /// </summary>
    protected static string Truncate(string value, int length) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim().Length <= length ? value.Trim() : value.Trim()[..length];
}
