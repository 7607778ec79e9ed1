using System.Text;
using Nop.Plugin.Payments.Klarna.Domain;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// The ILocker of a sequence: one that expires a lock at its expiration like nopCommerce's DistributedCacheLocker, or one
/// that refuses at once while a key is held and never expires it (MemoryCacheLocker)
/// </summary>
public enum ModelLocker { Expiring, Refusing }

/// <summary>
/// What a capture or refund asks for
/// </summary>
public enum ModelMoneyMode { Full, Lines, Amount }

/// <summary>
/// Where a fault hits: the next write (POST) of the order, the next read (GET), or whichever comes first
/// </summary>
public enum ModelFaultTarget { Write, Read, Any }

/// <summary>
/// The sandbox faults a request may meet
/// </summary>
public enum ModelFaultKind { DelayPastTimeout, Status500, Status503, Drop, CommitThenDrop, RateLimit429, SlowInFlight }

/// <summary>
/// What happens to Klarna orders in a shop, one action of one actor
/// </summary>
public enum ModelActionKind
{
    AdminCapture, AdminRefund, AdminCancel, AdminRelease, AdminRepeat, AdminReclick,
    NopCapture, NopRefund, NopPartialRefund, NopVoid,
    ShipmentSent, AddTracking, StatusToComplete,
    SyncRun, BlockRead,
    PortalCapture, PortalRefund, PortalCancel, PortalRelease,
    FraudDecision, NotificationRepeat, NotificationStale,
    Expire, ClockPast24Hours, Wait
}

/// <summary>
/// One order of a sequence: its lines (0: shirts, mugs, shipping = 81.90 EUR; 1: one book = 39.99 EUR) and whether Klarna's
/// fraud review is still pending when it is placed
/// </summary>
public sealed record ModelOrderSpec(int LineSet, bool FraudPending)
{
    public override string ToString() => $"{(LineSet == 0 ? "2 shirts + 3 mugs + shipping (81.90 EUR)" : "1 book (39.99 EUR)")}{(FraudPending ? ", fraud review PENDING" : string.Empty)}";
}

/// <summary>
/// How a sequence's shop is set up
/// </summary>
public sealed record ModelConfig(ModelLocker Locker, int ClientRetries, int ReadLagMs, KlarnaCaptureUponFulfillmentMode CaptureMode, ModelOrderSpec[] Orders)
{
    public override string ToString() =>
        $"locker {Locker.ToString().ToLowerInvariant()}, client retries {ClientRetries}, read lag {ReadLagMs} ms, capture upon fulfillment {CaptureMode}; " +
        string.Join("; ", Orders.Select((order, index) => $"order {index + 1}: {order}"));
}

/// <summary>
/// One action of one actor on one order (<see cref="Amount"/> in minor units, <see cref="Lines"/> as "reference x quantity",
/// <see cref="Fraud"/> a fraud decision, <see cref="Ms"/> a wait)
/// </summary>
public sealed record ModelAction(ModelActionKind Kind, int Order, ModelMoneyMode Mode = ModelMoneyMode.Full, long Amount = 0,
    (string Reference, int Quantity)[] Lines = null, string Fraud = null, int Ms = 0)
{
    private string Money => Mode switch
    {
        ModelMoneyMode.Full => "everything",
        ModelMoneyMode.Amount => $"{Amount / 100m:0.00}",
        _ => string.Join(" + ", (Lines ?? Array.Empty<(string, int)>()).Select(line => $"{line.Quantity} x {line.Reference}"))
    };

    public override string ToString()
    {
        var target = $"order {Order + 1}";
        return Kind switch
        {
            ModelActionKind.AdminCapture => $"admin captures {Money} of {target}",
            ModelActionKind.AdminRefund => $"admin refunds {Money} of {target}",
            ModelActionKind.AdminCancel => $"admin cancels {target}",
            ModelActionKind.AdminRelease => $"admin releases the rest of {target}",
            ModelActionKind.AdminRepeat => $"admin repeats the last click on {target} (same idempotency key)",
            ModelActionKind.AdminReclick => $"admin opens the modal again and repeats the last action on {target} (new key)",
            ModelActionKind.NopCapture => $"nopCommerce Capture button on {target}",
            ModelActionKind.NopRefund => $"nopCommerce Refund button on {target}",
            ModelActionKind.NopPartialRefund => $"nopCommerce Partial refund of {Amount / 100m:0.00} on {target}",
            ModelActionKind.NopVoid => $"nopCommerce Void button on {target}",
            ModelActionKind.ShipmentSent => $"shipment of {Money} of {target} sent",
            ModelActionKind.AddTracking => $"tracking number added to the last shipment of {target}",
            ModelActionKind.StatusToComplete => $"admin sets {target} to Complete",
            ModelActionKind.SyncRun => $"status sync run for {target}",
            ModelActionKind.BlockRead => $"admin opens {target} (order block)",
            ModelActionKind.PortalCapture => $"Merchant Portal captures {Amount / 100m:0.00} of {target}",
            ModelActionKind.PortalRefund => $"Merchant Portal refunds {Amount / 100m:0.00} of {target}",
            ModelActionKind.PortalCancel => $"Merchant Portal cancels {target}",
            ModelActionKind.PortalRelease => $"Merchant Portal releases the rest of {target}",
            ModelActionKind.FraudDecision => $"Klarna decides fraud {Fraud} for {target} and notifies the shop",
            ModelActionKind.NotificationRepeat => $"Klarna sends the last notification of {target} again",
            ModelActionKind.NotificationStale => $"a late notification FRAUD_RISK_{Fraud} arrives for {target}",
            ModelActionKind.Expire => $"the authorization of {target} expires",
            ModelActionKind.ClockPast24Hours => "the clocks of Klarna and the shop move 24 h 1 min on",
            ModelActionKind.Wait => $"{Ms} ms pass",
            _ => Kind.ToString()
        };
    }
}

/// <summary>
/// A fault drawn for the requests of one step
/// </summary>
public sealed record ModelFault(ModelFaultTarget Target, ModelFaultKind Kind, int Times, int ExtraMs, int RetryAfterSeconds)
{
    public override string ToString() => Kind switch
    {
        ModelFaultKind.DelayPastTimeout => $"the next {Target.ToString().ToLowerInvariant()} is delayed past the client's timeout (+{ExtraMs} ms){TimesText}",
        ModelFaultKind.SlowInFlight => $"the next {Target.ToString().ToLowerInvariant()} is still being processed at Klarna {ExtraMs} ms past the client's timeout{TimesText}",
        ModelFaultKind.RateLimit429 => $"the next {Target.ToString().ToLowerInvariant()} gets 429 Retry-After {RetryAfterSeconds}{TimesText}",
        ModelFaultKind.CommitThenDrop => $"the next {Target.ToString().ToLowerInvariant()} is done but its answer is lost{TimesText}",
        ModelFaultKind.Drop => $"the next {Target.ToString().ToLowerInvariant()} loses its connection{TimesText}",
        ModelFaultKind.Status500 => $"the next {Target.ToString().ToLowerInvariant()} gets 500{TimesText}",
        _ => $"the next {Target.ToString().ToLowerInvariant()} gets 503{TimesText}"
    };

    private string TimesText => Times > 1 ? $" ({Times} times)" : string.Empty;
}

/// <summary>
/// One step: one action, or 2 to 4 actors at once; and the fault its requests may meet
/// </summary>
public sealed record ModelStep(ModelAction[] Actions, ModelFault Fault)
{
    public override string ToString()
    {
        var what = Actions.Length == 1 ? Actions[0].ToString() : $"at once: {string.Join(" | ", Actions.Select(a => a.ToString()))}";
        return Fault is null ? what : $"{what}   [fault: {Fault}]";
    }
}

/// <summary>
/// A generated sequence: the shop's set-up and the steps. It prints as the readable sequence a failure shrinks to
/// </summary>
public sealed class ModelSequence
{
    public ModelSequence(ModelConfig config, ModelStep[] steps)
    {
        Config = config;
        Steps = steps;
    }

    public ModelConfig Config { get; }

    public ModelStep[] Steps { get; }

    public int Operations => Steps.Sum(step => step.Actions.Length);

    public bool IsConcurrent => Steps.Any(step => step.Actions.Length > 1);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"shop: {Config}");
        for (var i = 0; i < Steps.Length; i++)
            text.AppendLine($"  {i + 1}. {Steps[i]}");
        text.Append("  then: faults cleared; 10 minutes later the next order block read and status sync run settle everything");
        return text.ToString();
    }
}
