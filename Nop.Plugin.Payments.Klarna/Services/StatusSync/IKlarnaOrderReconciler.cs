using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.StatusSync;

/// <summary>
/// Brings the plugin's records and the nopCommerce order in step with a fresh read of the Klarna order
/// </summary>
public interface IKlarnaOrderReconciler
{
    /// <summary>
    /// Reconciles one order with Klarna: captures and refunds made outside the plugin are recorded (pending operations
    /// of the plugin are settled first, never duplicated), the record's amounts and statuses are updated, the payment
    /// status and refunded amount follow the money, one order note is added per change, and the mapped order status is
    /// applied for each Klarna status change. Running it again with the same Klarna order changes nothing.
    /// The caller must hold the order's lock (<see cref="KlarnaDefaults.OrderLockKey"/>).
    /// </summary>
    /// <param name="order">nopCommerce order</param>
    /// <param name="record">The order's Klarna record, read under the lock</param>
    /// <param name="klarnaOrder">The Klarna order, read from Klarna under the lock</param>
    /// <returns>
    /// A task that represents the asynchronous operation
    /// The task result contains what changed
    /// </returns>
    Task<KlarnaReconcileResult> ReconcileAsync(Order order, KlarnaOrderRecord record, KlarnaOrder klarnaOrder);

    /// <summary>
    /// Same as <see cref="ReconcileAsync(Order, KlarnaOrderRecord, KlarnaOrder)"/> with the settings the caller already
    /// loaded (a sync run loads them once, not per order), for a record the caller may have read before taking the lock
    /// (a page of a sync run): when an operation was recorded after the record was last written, the record is read again
    /// </summary>
    /// <param name="order">nopCommerce order</param>
    /// <param name="record">The order's Klarna record</param>
    /// <param name="klarnaOrder">The Klarna order, read from Klarna under the lock</param>
    /// <param name="settings">The plugin settings of the order's store; null to load them</param>
    /// <returns>
    /// A task that represents the asynchronous operation
    /// The task result contains what changed
    /// </returns>
    Task<KlarnaReconcileResult> ReconcileAsync(Order order, KlarnaOrderRecord record, KlarnaOrder klarnaOrder, KlarnaSettings settings);
}

/// <summary>
/// Represents what a reconciliation changed
/// </summary>
public class KlarnaReconcileResult
{
    /// <summary>
    /// Gets or sets the order notes added (one per change)
    /// </summary>
    public IList<string> Notes { get; set; } = new List<string>();

    /// <summary>
    /// Gets or sets the operations inserted or settled
    /// </summary>
    public IList<KlarnaOperation> Operations { get; set; } = new List<KlarnaOperation>();

    /// <summary>
    /// Gets or sets the status events passed to the order status mapping
    /// </summary>
    public IList<KlarnaStatusEvent> StatusEvents { get; set; } = new List<KlarnaStatusEvent>();

    /// <summary>
    /// Gets or sets a value indicating whether the record's amounts, statuses or expiry changed
    /// </summary>
    public bool RecordChanged { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the nopCommerce payment status or refunded amount changed
    /// </summary>
    public bool OrderChanged { get; set; }

    /// <summary>
    /// Gets a value indicating whether anything changed
    /// </summary>
    public bool Changed => RecordChanged || OrderChanged || Notes.Count > 0 || Operations.Count > 0;
}
