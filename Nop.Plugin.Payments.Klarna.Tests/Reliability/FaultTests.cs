using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// Every Klarna write the plugin makes x every sandbox fault, through the real services and the real client over HTTP;
/// then the plugin carries on as it would (the same admin action again, the next read, the next sync run) and the
/// records, nopCommerce's order and the sandbox's order must agree exactly, with every operation done exactly once
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class FaultTests
{
    public enum Write { Capture, CaptureByLines, CaptureByAmount, Refund, Cancel, Release, ShippingInfo }

    public enum Fault { DelayPastTimeout, Status500, Status503, Drop, CommitThenDrop, RateLimit429 }

    private const string TrackingNumber = "00340434161094042557";

    public static IEnumerable<TestCaseData> Matrix()
    {
        foreach (var write in Enum.GetValues<Write>())
        foreach (var fault in Enum.GetValues<Fault>())
        foreach (var retries in new[] { false, true })
            yield return new TestCaseData(write, fault, retries, false).SetName($"{write} under {fault} ({(retries ? "client retries" : "no client retry")})");
    }

    /// <summary>
    /// The answer is lost and so is the read right after it: the operation stays pending, and the next sync run comes first
    /// </summary>
    public static IEnumerable<TestCaseData> LostRereadMatrix()
    {
        foreach (var write in Enum.GetValues<Write>())
        foreach (var fault in new[] { Fault.CommitThenDrop, Fault.Drop, Fault.Status503 })
            yield return new TestCaseData(write, fault, false, true).SetName($"{write} under {fault}, re-read lost, sync run first");
    }

    private static string PathOf(Write write) => write switch
    {
        Write.Capture or Write.CaptureByLines or Write.CaptureByAmount => "/ordermanagement/v1/orders/*/captures",
        Write.Refund => "/ordermanagement/v1/orders/*/refunds",
        Write.Cancel => "/ordermanagement/v1/orders/*/cancel",
        Write.Release => "/ordermanagement/v1/orders/*/release-remaining-authorization",
        Write.ShippingInfo => "/ordermanagement/v1/orders/*/captures/*/shipping-info",
        _ => throw new ArgumentOutOfRangeException(nameof(write))
    };

    private static object FaultSpec(Fault fault, Write write)
    {
        var path = PathOf(write);
        return fault switch
        {
            Fault.DelayPastTimeout => new { method = "POST", path_pattern = path, kind = "delay", delay_ms = (int)ReliabilityEnvironment.ClientTimeout.TotalMilliseconds * 2 + 200, times = 1 },
            Fault.Status500 => new { method = "POST", path_pattern = path, kind = "status", status = 500, times = 1 },
            Fault.Status503 => new { method = "POST", path_pattern = path, kind = "status", status = 503, times = 1 },
            Fault.Drop => new { method = "POST", path_pattern = path, kind = "drop", times = 1 },
            Fault.CommitThenDrop => new { method = "POST", path_pattern = path, kind = "commit_then_drop", times = 1 },
            Fault.RateLimit429 => (object)new { method = "POST", path_pattern = path, kind = "rate_limit", retry_after_seconds = 1, times = 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(fault))
        };
    }

    /// <summary>
    /// What the order must look like after the write happened exactly once
    /// </summary>
    private sealed record Expected(long Captured, long Refunded, long Remaining, string Status, PaymentStatus PaymentStatus, int Captures, int Refunds,
        KlarnaOperationKind Kind);

    private static KlarnaCaptureCommand CaptureCommand(Order order, Write write, string key, IList<int> shipmentIds = null) => new()
    {
        OrderId = order.Id,
        Initiator = KlarnaInitiator.Admin,
        InitiatedBy = "admin@shop.example",
        IdempotencyKey = key,
        ShipmentIds = shipmentIds,
        Lines = write == Write.CaptureByLines ? new List<KlarnaLineSelection> { new() { Reference = "SKU-SHIRT", Quantity = 1 }, new() { Reference = "SKU-MUG", Quantity = 2 } } : null,
        AmountMinor = write == Write.CaptureByAmount ? 1234 : null
    };

    [TestCaseSource(nameof(Matrix))]
    [TestCaseSource(nameof(LostRereadMatrix))]
    public async Task Write_under_fault_ends_exactly_once_and_everything_agrees(Write write, Fault fault, bool clientRetries, bool lostReread)
    {
        var client = clientRetries ? ReliabilityEnvironment.ClientWithRetries : ReliabilityEnvironment.ClientWithoutRetries;
        LostReadClient lostReads = null;
        if (lostReread)
        {
            client = LostReadClient.Wrap(client, out lostReads);
            lostReads.Armed = false;
        }
        var shop = new ReliabilityShop(client);
        var (order, klarnaOrderId) = await shop.CreateOrderAsync();
        var scenario = $"{write} under {fault} ({(clientRetries ? "client retries" : "no client retry")}{(lostReread ? ", re-read lost" : "")}), order {order.Id} / {klarnaOrderId}";

        //the state the write starts from, made without faults
        Shipment shipment = null;
        Expected expected;
        switch (write)
        {
            case Write.Capture:
                expected = new(ReliabilityShop.DefaultAmount, 0, 0, KlarnaOrderStatus.Captured, PaymentStatus.Paid, 1, 0, KlarnaOperationKind.Capture);
                break;
            case Write.CaptureByLines:
                //1 shirt (25.00) + 2 of 3 mugs (27.00 - 3.00 discount prorated: 18.00 - 2.00 = 16.00 + rounding)
                expected = null; //amount computed by the plugin; checked against the sandbox below
                break;
            case Write.CaptureByAmount:
                expected = new(1234, 0, ReliabilityShop.DefaultAmount - 1234, KlarnaOrderStatus.PartCaptured, PaymentStatus.Authorized, 1, 0, KlarnaOperationKind.Capture);
                break;
            case Write.Refund:
                await Succeed(shop, shop.Executor.ExecuteAsync(CaptureCommand(order, Write.Capture, Guid.NewGuid().ToString())), "setup capture");
                expected = new(ReliabilityShop.DefaultAmount, 1000, 0, KlarnaOrderStatus.Captured, PaymentStatus.PartiallyRefunded, 1, 1, KlarnaOperationKind.Refund);
                break;
            case Write.Cancel:
                expected = new(0, 0, 0, KlarnaOrderStatus.Cancelled, PaymentStatus.Voided, 0, 0, KlarnaOperationKind.Cancel);
                break;
            case Write.Release:
                await Succeed(shop, shop.Executor.ExecuteAsync(CaptureCommand(order, Write.CaptureByAmount, Guid.NewGuid().ToString())), "setup capture");
                expected = new(1234, 0, 0, KlarnaOrderStatus.Captured, PaymentStatus.Paid, 1, 0, KlarnaOperationKind.Release);
                break;
            case Write.ShippingInfo:
                shipment = shop.Harness.AddShipment(order, null, true);
                await Succeed(shop, shop.Executor.ExecuteAsync(CaptureCommand(order, Write.Capture, Guid.NewGuid().ToString(), new List<int> { shipment.Id })), "setup capture");
                shipment.TrackingNumber = TrackingNumber;
                expected = new(ReliabilityShop.DefaultAmount, 0, 0, KlarnaOrderStatus.Captured, PaymentStatus.Paid, 1, 0, KlarnaOperationKind.ShippingInfo);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(write));
        }

        var operationsBefore = shop.Operations(order).Count(op => op.Status == KlarnaOperationStatus.Succeeded);
        var faultsBefore = ReliabilityEnvironment.Sandbox.State.Requests.Count(r => r.Fault is not null);
        await ReliabilityEnvironment.AddFaultAsync(FaultSpec(fault, write));
        ReliabilityLedger.FaultInjected();
        ReliabilityLedger.Scenario();

        if (lostReads is not null)
            lostReads.Armed = true;

        //the admin clicks once (one idempotency key per click, as the order block does) ...
        var key = Guid.NewGuid().ToString();
        Task<KlarnaOperationResult> Act() => shop.Executor.ExecuteAsync(write switch
        {
            Write.Capture or Write.CaptureByLines or Write.CaptureByAmount => CaptureCommand(order, write, key),
            Write.Refund => new KlarnaRefundCommand
            {
                OrderId = order.Id, AmountMinor = 1000, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin@shop.example", IdempotencyKey = key
            },
            Write.Cancel => new KlarnaCancelCommand { OrderId = order.Id, InitiatedBy = "admin@shop.example", IdempotencyKey = key },
            Write.Release => new KlarnaReleaseCommand { OrderId = order.Id, InitiatedBy = "admin@shop.example", IdempotencyKey = key },
            Write.ShippingInfo => (IKlarnaCommand)new KlarnaShippingInfoCommand { OrderId = order.Id, ShipmentId = shipment!.Id, IdempotencyKey = key },
            _ => throw new ArgumentOutOfRangeException(nameof(write))
        });

        var results = new List<KlarnaOperationResult> { await Act() };
        await Task.Delay(fault == Fault.DelayPastTimeout ? ReliabilityEnvironment.ClientTimeout * 2 + TimeSpan.FromMilliseconds(400) : TimeSpan.Zero);

        //... and when it failed: the same action again (the modal's retry keeps its key), then the next read and the next sync run
        //(with the re-read lost: the next sync run comes first, then the admin's retry)
        KlarnaOrderSyncResult sync = null;
        if (lostReread)
            sync = await shop.SyncProcessor.SyncOrderAsync(order.Id);
        if (!results[0].Success)
            results.Add(await Act());
        await shop.Reader.ReadAsync(order);
        await shop.Executor.ReconcileAsync(new KlarnaReconcileRequest { OrderId = order.Id, Wait = true });
        if (!lostReread)
            sync = await shop.SyncProcessor.SyncOrderAsync(order.Id);
        await ReliabilityEnvironment.ClearFaultsAsync();

        var faulted = ReliabilityEnvironment.Sandbox.State.Requests.Where(r => r.Fault is not null).Skip(faultsBefore).ToList();
        var hits = faulted.Count;
        ReliabilityLedger.FaultHit(hits);
        foreach (var result in results)
            shop.CaptureResult(scenario, result);
        ReliabilityLedger.Capture($"{scenario}: sync failure", $"{sync?.Failure?.ErrorCode} {sync?.Failure?.Message}");
        shop.CaptureAll(scenario);

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        var record = shop.Record(order);
        var operations = shop.Operations(order);
        var ofKind = operations.Where(op => op.Kind == (expected?.Kind ?? KlarnaOperationKind.Capture)).ToList();
        var succeeded = operations.Count(op => op.Status == KlarnaOperationStatus.Succeeded) - operationsBefore;
        var details = $"{scenario}: results [{string.Join("; ", results.Select(r => r.Success ? "OK" : $"{r.ErrorCode}: {shop.Harness.TextOf(r)}"))}], sync {sync?.Outcome} {sync?.Failure?.Message}, " +
            $"operations [{string.Join("; ", operations.Select(op => $"{op.Kind} {op.Status} {op.AmountMinor} {op.KlarnaId} {op.Initiator} {op.ErrorCode}"))}], " +
            $"sandbox {klarna.Status} captured {klarna.CapturedAmount} ({klarna.Captures.Count}) refunded {klarna.RefundedAmount} ({klarna.Refunds.Count}) remaining {klarna.RemainingAuthorizedAmount}, " +
            $"record {record.KlarnaStatus} {record.CapturedAmountMinor}/{record.RefundedAmountMinor}/{record.RemainingAuthorizedAmountMinor}, payment {(PaymentStatus)order.PaymentStatusId}, fault hits {hits}";

        if (write == Write.CaptureByLines)
        {
            var linesAmount = klarna.Captures.FirstOrDefault()?.CapturedAmount ?? 0;
            expected = new(linesAmount, 0, ReliabilityShop.DefaultAmount - linesAmount, KlarnaOrderStatus.PartCaptured, PaymentStatus.Authorized, 1, 0, KlarnaOperationKind.Capture);
            Assert.That(klarna.Captures.FirstOrDefault()?.OrderLines.Select(l => $"{l.Reference}x{l.Quantity}"), Is.EquivalentTo(new[] { "SKU-SHIRTx1", "SKU-MUGx2" }), details);
        }

        //exactly once, in Klarna and in the records
        var klarnaWrites = write switch
        {
            Write.Refund => klarna.Refunds.Count,
            Write.ShippingInfo => klarna.Captures.Sum(c => c.ShippingInfo.Count(s => s.TrackingNumber == TrackingNumber)),
            Write.Cancel => klarna.Status == KlarnaOrderStatus.Cancelled ? 1 : 0,
            Write.Release => klarna.Status == KlarnaOrderStatus.Captured && klarna.CapturedAmount < klarna.OrderAmount ? 1 : 0,
            _ => klarna.Captures.Count
        };
        //the setup capture of Release / ShippingInfo is a capture, not of the kind under test
        var recordWrites = ofKind.Count(op => op.Status == KlarnaOperationStatus.Succeeded);

        if (klarnaWrites > 1 || klarna.Captures.Count > expected.Captures || klarna.Refunds.Count > expected.Refunds)
            ReliabilityLedger.Double($"Klarna executed it more than once: {details}");
        if (recordWrites > 1)
            ReliabilityLedger.Double($"the records show it more than once: {details}");
        if (klarnaWrites == 0)
            ReliabilityLedger.Lost($"Klarna never executed it: {details}");
        if (recordWrites == 0 || operations.Any(KlarnaOperationFamilies.IsUnsettled))
            ReliabilityLedger.Lost($"the records do not show it as done (or still pending): {details}");

        //every failure the admin saw left an order note and a log entry
        var notes = shop.Notes(order);
        var logs = shop.LogLines();
        if (results.Any(r => !r.Success && !r.NothingToDo))
        {
            if (!notes.Any(n => n.Contains("failed", StringComparison.OrdinalIgnoreCase) || n.Contains("not done", StringComparison.OrdinalIgnoreCase)))
                ReliabilityLedger.Silent($"no order note for the failure: {details}");
            if (!logs.Any(l => (l.StartsWith("ErrorAsync") || l.StartsWith("WarningAsync")) && l.Contains(order.Id.ToString())))
                ReliabilityLedger.Silent($"no log entry for the failure: {details}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(faulted.Select(r => $"{r.Method} {r.Path}"), Has.Some.Contains(klarnaOrderId), $"the fault was hit by a request of this order. {details}");
            if (fault == Fault.DelayPastTimeout)
                Assert.That(faulted.Where(r => r.Fault == "delay").Select(r => r.ClientGaveUp), Has.Some.True,
                    $"the delayed request really timed out: the client gave up on it before Klarna answered. {details}");
            if (lostReread)
                Assert.That(results[0].Success, Is.False, $"the first click met the fault and could not be settled at once. {details}");
            Assert.That(klarnaWrites, Is.EqualTo(1), $"Klarna executed the {write} exactly once. {details}");
            Assert.That(recordWrites, Is.EqualTo(1), $"one succeeded {expected.Kind} record. {details}");
            Assert.That(succeeded, Is.EqualTo(1), $"one new succeeded operation overall. {details}");
            Assert.That(operations.Where(KlarnaOperationFamilies.IsUnsettled), Is.Empty, $"nothing left pending. {details}");
            Assert.That(klarna.Captures, Has.Count.EqualTo(expected.Captures), details);
            Assert.That(klarna.Refunds, Has.Count.EqualTo(expected.Refunds), details);
            Assert.That(klarna.CapturedAmount, Is.EqualTo(expected.Captured), details);
            Assert.That(klarna.RefundedAmount, Is.EqualTo(expected.Refunded), details);
            Assert.That(klarna.RemainingAuthorizedAmount, Is.EqualTo(expected.Remaining), details);
            Assert.That(klarna.Status, Is.EqualTo(expected.Status), details);

            //the records and nopCommerce agree with the sandbox exactly
            Assert.That(record.KlarnaStatus, Is.EqualTo(klarna.Status), $"record status. {details}");
            Assert.That(record.CapturedAmountMinor, Is.EqualTo(klarna.CapturedAmount), $"record captured. {details}");
            Assert.That(record.RefundedAmountMinor, Is.EqualTo(klarna.RefundedAmount), $"record refunded. {details}");
            Assert.That(record.RemainingAuthorizedAmountMinor, Is.EqualTo(klarna.RemainingAuthorizedAmount), $"record remaining. {details}");
            Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(expected.PaymentStatus), $"payment status. {details}");
            Assert.That(order.RefundedAmount, Is.EqualTo(KlarnaAmount.FromMinor(klarna.RefundedAmount, "EUR")), $"refunded amount. {details}");
            var claimedCaptures = operations.Where(op => op.Kind == KlarnaOperationKind.Capture && op.Status == KlarnaOperationStatus.Succeeded).Select(op => op.KlarnaId);
            Assert.That(claimedCaptures, Is.EquivalentTo(klarna.Captures.Select(c => c.CaptureId)), $"capture ids of the records = Klarna's. {details}");
            var claimedRefunds = operations.Where(op => op.Kind == KlarnaOperationKind.Refund && op.Status == KlarnaOperationStatus.Succeeded).Select(op => op.KlarnaId);
            Assert.That(claimedRefunds, Is.EquivalentTo(klarna.Refunds.Select(r => r.RefundId)), $"refund ids of the records = Klarna's. {details}");
            Assert.That(operations.Where(op => op.Initiator == KlarnaInitiator.MerchantPortal), Is.Empty, $"nothing of ours mistaken for a Merchant Portal action. {details}");

            if (results.Any(r => !r.Success && !r.NothingToDo))
            {
                Assert.That(notes, Has.Some.Contains("failed").Or.Some.Contains("not done"), $"order note for the failure. {details}");
                Assert.That(logs.Where(l => l.Contains(order.Id.ToString())), Has.Some.StartsWith("ErrorAsync").Or.Some.StartsWith("WarningAsync"), $"log entry for the failure. {details}");
            }
        });
    }

    private static async Task Succeed(ReliabilityShop shop, Task<KlarnaOperationResult> operation, string what)
    {
        var result = await operation;
        Assert.That(result.Success, Is.True, $"{what}: {result.ErrorCode} {shop.Harness.TextOf(result)}");
    }
}
