using System.ComponentModel.DataAnnotations.Schema;
using Nop.Core;

namespace Nop.Plugin.Payments.Klarna.Domain;

/// <summary>
/// Represents one operation on a Klarna order (recorded as pending before the call to Klarna)
/// </summary>
public class KlarnaOperation : BaseEntity
{
    /// <summary>
    /// Gets or sets the nopCommerce order identifier
    /// </summary>
    public int OrderId { get; set; }

    /// <summary>
    /// Gets or sets Klarna's order id
    /// </summary>
    public string KlarnaOrderId { get; set; }

    /// <summary>
    /// Gets or sets the kind identifier (<see cref="KlarnaOperationKind"/>)
    /// </summary>
    public int KindId { get; set; }

    /// <summary>
    /// Gets or sets the status identifier (<see cref="KlarnaOperationStatus"/>)
    /// </summary>
    public int StatusId { get; set; }

    /// <summary>
    /// Gets or sets the amount (minor units of <see cref="CurrencyCode"/>)
    /// </summary>
    public long AmountMinor { get; set; }

    /// <summary>
    /// Gets or sets the currency (ISO 4217)
    /// </summary>
    public string CurrencyCode { get; set; }

    /// <summary>
    /// Gets or sets the Klarna order lines sent (JSON)
    /// </summary>
    public string LinesJson { get; set; }

    /// <summary>
    /// Gets or sets the shipping info sent (JSON)
    /// </summary>
    public string ShippingInfoJson { get; set; }

    /// <summary>
    /// Gets or sets the idempotency key sent to Klarna (unique; recorded before the call, reused on retry)
    /// </summary>
    public string IdempotencyKey { get; set; }

    /// <summary>
    /// Gets or sets Klarna's id of the result (capture id, refund id)
    /// </summary>
    public string KlarnaId { get; set; }

    /// <summary>
    /// Gets or sets Klarna's reference of the capture
    /// </summary>
    public string KlarnaReference { get; set; }

    /// <summary>
    /// Gets or sets the description sent to Klarna (shown to the customer)
    /// </summary>
    public string Description { get; set; }

    /// <summary>
    /// Gets or sets the reference sent to Klarna (settlement files)
    /// </summary>
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets Klarna's error code
    /// </summary>
    public string ErrorCode { get; set; }

    /// <summary>
    /// Gets or sets the error message
    /// </summary>
    public string ErrorMessage { get; set; }

    /// <summary>
    /// Gets or sets Klarna's correlation id
    /// </summary>
    public string CorrelationId { get; set; }

    /// <summary>
    /// Gets or sets the initiator identifier (<see cref="KlarnaInitiator"/>)
    /// </summary>
    public int InitiatorId { get; set; }

    /// <summary>
    /// Gets or sets who started it (admin e-mail, event name)
    /// </summary>
    public string InitiatedBy { get; set; }

    /// <summary>
    /// Gets or sets the shipment the operation belongs to (per-shipment capture, shipping info)
    /// </summary>
    public int? ShipmentId { get; set; }

    /// <summary>
    /// Gets or sets the date and time of creation
    /// </summary>
    public DateTime CreatedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets the date and time of the last update
    /// </summary>
    public DateTime UpdatedOnUtc { get; set; }

    /// <summary>
    /// Gets or sets the kind
    /// </summary>
    [NotMapped]
    public KlarnaOperationKind Kind
    {
        get => (KlarnaOperationKind)KindId;
        set => KindId = (int)value;
    }

    /// <summary>
    /// Gets or sets the status
    /// </summary>
    [NotMapped]
    public KlarnaOperationStatus Status
    {
        get => (KlarnaOperationStatus)StatusId;
        set => StatusId = (int)value;
    }

    /// <summary>
    /// Gets or sets the initiator
    /// </summary>
    [NotMapped]
    public KlarnaInitiator Initiator
    {
        get => (KlarnaInitiator)InitiatorId;
        set => InitiatorId = (int)value;
    }
}
