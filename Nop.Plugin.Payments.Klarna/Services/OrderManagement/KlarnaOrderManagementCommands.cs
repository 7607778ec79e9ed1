using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// A Klarna order line chosen by its reference, with a quantity
/// </summary>
public class KlarnaLineSelection
{
    /// <summary>
    /// Gets or sets the reference of the Klarna order line
    /// </summary>
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets the quantity
    /// </summary>
    public long Quantity { get; set; }
}

/// <summary>
/// A capture request. Lines null/empty and AmountMinor null = everything still uncaptured
/// </summary>
public class KlarnaCaptureCommand
{
    /// <summary>
    /// Gets or sets the nopCommerce order identifier
    /// </summary>
    public int OrderId { get; set; }

    /// <summary>
    /// Gets or sets the lines to capture (by reference and quantity)
    /// </summary>
    public IList<KlarnaLineSelection> Lines { get; set; }

    /// <summary>
    /// Gets or sets the amount to capture in minor units (without lines)
    /// </summary>
    public long? AmountMinor { get; set; }

    /// <summary>
    /// Gets or sets the description shown to the customer
    /// </summary>
    public string Description { get; set; }

    /// <summary>
    /// Gets or sets who or what started the capture
    /// </summary>
    public KlarnaInitiator Initiator { get; set; }

    /// <summary>
    /// Gets or sets who started it (admin e-mail, event)
    /// </summary>
    public string InitiatedBy { get; set; }

    /// <summary>
    /// Gets or sets the shipments whose tracking info goes with the capture (null = all shipped shipments of the order)
    /// </summary>
    public IList<int> ShipmentIds { get; set; }

    /// <summary>
    /// Gets or sets an idempotency key supplied by the caller (e.g. one per click); optional
    /// </summary>
    public string IdempotencyKey { get; set; }

    /// <summary>
    /// Gets or sets the order instance the caller already holds (nopCommerce's buttons and events: the instance nopCommerce
    /// saves afterwards); null = loaded by <see cref="OrderId"/>
    /// </summary>
    public Order Order { get; set; }
}

/// <summary>
/// A refund request. Lines null/empty and AmountMinor null = everything captured and not yet refunded
/// </summary>
public class KlarnaRefundCommand
{
    /// <summary>
    /// Gets or sets the nopCommerce order identifier
    /// </summary>
    public int OrderId { get; set; }

    /// <summary>
    /// Gets or sets the lines to refund (by reference and quantity)
    /// </summary>
    public IList<KlarnaLineSelection> Lines { get; set; }

    /// <summary>
    /// Gets or sets the amount to refund in minor units (without lines)
    /// </summary>
    public long? AmountMinor { get; set; }

    /// <summary>
    /// Gets or sets the description shown to the customer
    /// </summary>
    public string Description { get; set; }

    /// <summary>
    /// Gets or sets the reference (settlement files)
    /// </summary>
    public string Reference { get; set; }

    /// <summary>
    /// Gets or sets who or what started the refund
    /// </summary>
    public KlarnaInitiator Initiator { get; set; }

    /// <summary>
    /// Gets or sets who started it
    /// </summary>
    public string InitiatedBy { get; set; }

    /// <summary>
    /// Gets or sets an idempotency key supplied by the caller; optional
    /// </summary>
    public string IdempotencyKey { get; set; }

    /// <summary>
    /// Gets or sets the order instance the caller already holds (nopCommerce's buttons and events: the instance nopCommerce
    /// saves afterwards); null = loaded by <see cref="OrderId"/>
    /// </summary>
    public Order Order { get; set; }
}
