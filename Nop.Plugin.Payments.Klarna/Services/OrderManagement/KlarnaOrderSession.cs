using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;

namespace Nop.Plugin.Payments.Klarna.Services.OrderManagement;

/// <summary>
/// Everything one execution of the engine works on: the nopCommerce order (loaded once), the store's settings, and under
/// the order's lock the record, the operations, Klarna's order (read once, with the execution's own writes applied to it)
/// and the nopCommerce events to publish once the lock is released
/// </summary>
public sealed class KlarnaOrderSession
{
    private readonly Dictionary<int, KlarnaOperationStatus> _seen = new();

    public KlarnaOrderSession(Order order, KlarnaSettings settings, KlarnaInitiator initiator)
    {
        Order = order ?? throw new ArgumentNullException(nameof(order));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Initiator = initiator;
    }

    public Order Order { get; }

    public KlarnaSettings Settings { get; }

    public KlarnaInitiator Initiator { get; }

    /// <summary>
    /// Gets a value indicating whether nobody sees the result (capture upon fulfillment, status sync, notification): a
    /// refusal then leaves an order note and a log entry
    /// </summary>
    public bool IsAutomatic => Initiator is KlarnaInitiator.CaptureUponFulfillment or KlarnaInitiator.StatusSync or KlarnaInitiator.Notification;

    public KlarnaLockLease Lease { get; set; }

    public KlarnaOrderRecord Record { get; set; }

    public KlarnaCredentials Credentials { get; set; }

    /// <summary>
    /// Gets or sets Klarna's order as read, with the writes of this execution applied
    /// </summary>
    public KlarnaOrder KlarnaOrder { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether Klarna's order must be read again before the state is applied (an
    /// extension: only Klarna knows the new expiry)
    /// </summary>
    public bool NeedsReread { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether this execution extended the authorization (its new expiry is noted even
    /// when the record knew no expiry before)
    /// </summary>
    public bool ExtendedHere { get; set; }

    public List<KlarnaOperation> Operations { get; private set; } = new();

    /// <summary>
    /// Gets the operations that were pending when the execution read them
    /// </summary>
    public ISet<int> PendingAtStart { get; } = new HashSet<int>();

    /// <summary>
    /// Gets the operations this execution settled (found in Klarna's order, or replayed)
    /// </summary>
    public IList<KlarnaOperation> SettledHere { get; } = new List<KlarnaOperation>();

    /// <summary>
    /// Gets or sets a value indicating whether anything changed (records, notes, the order)
    /// </summary>
    public bool Changed { get; set; }

    /// <summary>
    /// Gets the work to do once the lock is released (publishing nopCommerce events)
    /// </summary>
    public IList<Func<Task>> AfterRelease { get; } = new List<Func<Task>>();

    /// <summary>
    /// Sets the operations as read under the lock
    /// </summary>
    public void SetOperations(IEnumerable<KlarnaOperation> operations)
    {
        Operations = operations?.ToList() ?? new List<KlarnaOperation>();
        foreach (var operation in Operations)
        {
            _seen[operation.Id] = operation.Status;
            if (operation.Status == KlarnaOperationStatus.Pending)
                PendingAtStart.Add(operation.Id);
        }
    }

    /// <summary>
    /// Notes an operation this execution inserted or changed
    /// </summary>
    public void Track(KlarnaOperation operation)
    {
        if (!Operations.Contains(operation))
            Operations.Add(operation);
        _seen[operation.Id] = operation.Status;
        Changed = true;
    }

    /// <summary>
    /// Gets a value indicating whether another flow recorded or changed an operation of the order since this execution
    /// read them (a lock that did not hold: DistributedCacheLocker checks and sets its key in two steps, and a holder that
    /// outlived its lock removes the key of the next one): <paramref name="current"/> is the table as read again. Any
    /// operation counts, not only one of the same kind: under a lock that holds no other flow records any
    /// </summary>
    public bool HasRival(IEnumerable<KlarnaOperation> current, KlarnaOperation mine) =>
        current.Any(op => op.Id != mine.Id && (!_seen.TryGetValue(op.Id, out var status) || status != op.Status));
}

/// <summary>
/// What the order block shows of a Klarna order
/// </summary>
public class KlarnaOrderView
{
    public Order Order { get; init; }

    public KlarnaOrderRecord Record { get; init; }

    public KlarnaSettings Settings { get; init; }

    /// <summary>
    /// Gets Klarna's order, fresh (null when it could not be read)
    /// </summary>
    public KlarnaOrder KlarnaOrder { get; init; }

    /// <summary>
    /// Gets Klarna's answer when the order could not be read
    /// </summary>
    public KlarnaFailure ReadError { get; init; }

    public IList<KlarnaOperation> Operations { get; init; } = new List<KlarnaOperation>();

    /// <summary>
    /// Gets the policy's decision (null when Klarna's order could not be read)
    /// </summary>
    public KlarnaOrderDecision Decision { get; init; }

    /// <summary>
    /// Gets a value indicating whether another operation on the order was under way when it was read
    /// </summary>
    public bool Busy { get; init; }
}
