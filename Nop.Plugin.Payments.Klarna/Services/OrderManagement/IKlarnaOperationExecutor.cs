using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// A reconciliation of one order with Klarna (status sync, notification, order block)
/// </summary>
public class KlarnaReconcileRequest
{
    /// <summary>
    /// Gets or sets the nopCommerce order identifier
    /// </summary>
    public int OrderId { get; set; }

    /// <summary>
    /// Gets or sets the order instance the caller holds, or null
    /// </summary>
    public Order Order { get; set; }

    /// <summary>
    /// Gets or sets who or what asks
    /// </summary>
    public KlarnaInitiator Initiator { get; set; } = KlarnaInitiator.StatusSync;

    /// <summary>
    /// Gets or sets who asks (for the operations it makes)
    /// </summary>
    public string InitiatedBy { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether to wait for a held lock; false: skip the order when another operation holds it
    /// </summary>
    public bool Wait { get; set; }

    /// <summary>
    /// Gets or sets the settings of the order's store when the caller loaded them (a sync run loads them once), or null
    /// </summary>
    public KlarnaSettings Settings { get; set; }

    /// <summary>
    /// Gets or sets the credentials when the caller built them (a sync run), or null
    /// </summary>
    public KlarnaCredentials Credentials { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the cancel of a fraud-rejected order the policy asks for is sent
    /// </summary>
    public bool CancelFraudRejected { get; set; } = true;
}

/// <summary>
/// The one command path of the order engine: every Klarna write of the plugin and every reconciliation with Klarna runs
/// here, under the order's lock
/// </summary>
public interface IKlarnaOperationExecutor
{
    /// <summary>
    /// Runs a command: lock, one read of Klarna's order, settlement of earlier pending operations, the policy's decision,
    /// the pending record with its idempotency key, the write, its outcome, the record and the nopCommerce order in step,
    /// an order note; nopCommerce's events once the lock is released
    /// </summary>
    /// <param name="command">Command</param>
    /// <param name="cancellationToken">The request's token: it cancels the waiting for the lock and the read, never a sent write</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the result with the order's state afterwards</returns>
    Task<KlarnaOperationResult> ExecuteAsync(IKlarnaCommand command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reconciles an order with Klarna: settles pending operations, records Merchant Portal changes, brings the record and
    /// the nopCommerce order in step, and cancels a fraud-rejected order when the policy says so
    /// </summary>
    /// <param name="request">Request</param>
    /// <param name="cancellationToken">Cancels the waiting for the lock and the read</param>
    /// <returns>A task that represents the asynchronous operation; the task result contains the result (refused with OrderBusy when skipped)</returns>
    Task<KlarnaOperationResult> ReconcileAsync(KlarnaReconcileRequest request, CancellationToken cancellationToken = default);
}
