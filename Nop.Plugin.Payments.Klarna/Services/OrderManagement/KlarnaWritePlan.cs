using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// What a command asks Klarna to do (amounts in minor units), or why it does not
/// </summary>
public sealed class KlarnaWritePlan
{
    /// <summary>
    /// Gets a plan that refuses
    /// </summary>
    public static KlarnaWritePlan Refuse(KlarnaRefusal refusal) => new() { Refusal = refusal };

    /// <summary>
    /// Gets a plan that refuses
    /// </summary>
    public static KlarnaWritePlan Refuse(KlarnaRefusalCode code, params object[] args) => Refuse(new KlarnaRefusal(code, args));

    /// <summary>
    /// Gets or sets why the command does not write (null when it does)
    /// </summary>
    public KlarnaRefusal Refusal { get; init; }

    public KlarnaOperationKind Kind { get; init; }

    public long AmountMinor { get; init; }

    /// <summary>
    /// Gets or sets the lines of the capture or refund (null: none sent)
    /// </summary>
    public IList<KlarnaOrderLine> Lines { get; init; }

    /// <summary>
    /// Gets or sets the description shown to the customer
    /// </summary>
    public string Description { get; init; }

    /// <summary>
    /// Gets or sets the reference (settlement files)
    /// </summary>
    public string Reference { get; init; }

    /// <summary>
    /// Gets or sets the shipping info sent with a capture or added to one
    /// </summary>
    public IList<KlarnaShippingInfo> ShippingInfo { get; init; }

    /// <summary>
    /// Gets or sets the capture that shipping info is added to
    /// </summary>
    public string TargetCaptureId { get; init; }

    /// <summary>
    /// Gets or sets the shipment the operation belongs to
    /// </summary>
    public int? ShipmentId { get; init; }
}
