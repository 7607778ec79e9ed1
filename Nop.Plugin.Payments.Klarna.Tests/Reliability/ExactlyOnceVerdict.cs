using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// The verdict on one capture (of everything) or one refund (of 10.00 after a capture of everything) whose first attempt
/// met a fault, once everything has settled: Klarna executed it once, one succeeded record claims Klarna's id, one order
/// note confirms it, nothing is pending, the record and nopCommerce's order agree with Klarna, and every failure the admin
/// saw left a note and a log entry. Doubles, losses and silent failures go to the ledger
/// </summary>
public static class ExactlyOnceVerdict
{
    public const long RefundAmount = 1000;

    /// <summary>
    /// Gets whether an order note confirms a capture or refund as done (its own success, or the settlement of a lost answer)
    /// </summary>
    public static bool Confirms(string note, KlarnaOperationKind kind) => kind == KlarnaOperationKind.Capture
        ? note.StartsWith("Klarna: captured ", StringComparison.Ordinal) || IsSettlement(note, "Capture")
        : note.StartsWith("Klarna: refunded ", StringComparison.Ordinal) || IsSettlement(note, "Refund");

    private static bool IsSettlement(string note, string kind) => note.Contains($"the {kind} of ", StringComparison.Ordinal)
        && (note.Contains("was found in Klarna's order", StringComparison.Ordinal) || note.Contains("Klarna confirmed it", StringComparison.Ordinal));

    /// <summary>
    /// Checks the order after the scenario and settling
    /// </summary>
    /// <param name="shop">Shop</param>
    /// <param name="order">nopCommerce order</param>
    /// <param name="klarnaOrderId">Klarna order id</param>
    /// <param name="kind">Capture (everything) or Refund (<see cref="RefundAmount"/> after a capture of everything)</param>
    /// <param name="results">What the admins saw</param>
    /// <param name="scenario">The scenario's name and what happened (for the messages)</param>
    public static void Check(ReliabilityShop shop, Order order, string klarnaOrderId, KlarnaOperationKind kind, IList<KlarnaOperationResult> results, string scenario)
    {
        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        var record = shop.Record(order);
        var operations = shop.Operations(order);
        var notes = shop.Notes(order);
        var executed = kind == KlarnaOperationKind.Capture ? klarna.Captures.Select(c => c.CaptureId).ToList() : klarna.Refunds.Select(r => r.RefundId).ToList();
        var claimed = operations.Where(op => op.Kind == kind && op.Status == KlarnaOperationStatus.Succeeded).Select(op => op.KlarnaId).ToList();
        var confirmations = notes.Where(n => Confirms(n, kind)).ToList();
        var details = $"{scenario}: results [{string.Join("; ", results.Select(r => r.Success ? "OK" : $"{r.ErrorCode}: {shop.Harness.TextOf(r)}"))}], " +
            $"operations [{string.Join("; ", operations.Select(op => $"{op.Kind} {op.Status} {op.AmountMinor} {op.KlarnaId} {op.Initiator} {op.ErrorCode}"))}], " +
            $"sandbox {klarna.Status} captured {klarna.CapturedAmount} ({klarna.Captures.Count}) refunded {klarna.RefundedAmount} ({klarna.Refunds.Count}), " +
            $"record {record.KlarnaStatus} {record.CapturedAmountMinor}/{record.RefundedAmountMinor}/{record.RemainingAuthorizedAmountMinor}, " +
            $"payment {(PaymentStatus)order.PaymentStatusId}, notes [{string.Join(" | ", notes)}]";

        if (executed.Count > 1)
            ReliabilityLedger.Double($"Klarna executed it more than once: {details}");
        if (claimed.Count > 1)
            ReliabilityLedger.Double($"the records show it more than once: {details}");
        if (executed.Count == 0)
            ReliabilityLedger.Lost($"Klarna never executed it: {details}");
        if (claimed.Count == 0 || operations.Any(KlarnaOperationFamilies.IsUnsettled))
            ReliabilityLedger.Lost($"the records do not show it as done (or still pending): {details}");

        var failed = results.Any(r => !r.Success && !r.NothingToDo);
        var logs = shop.LogLines();
        var noted = notes.Any(n => n.Contains("failed", StringComparison.OrdinalIgnoreCase) || n.Contains("not done", StringComparison.OrdinalIgnoreCase));
        var logged = logs.Any(l => (l.StartsWith("ErrorAsync") || l.StartsWith("WarningAsync")) && l.Contains(order.Id.ToString()));
        if (failed && !noted)
            ReliabilityLedger.Silent($"no order note for the failure: {details}");
        if (failed && !logged)
            ReliabilityLedger.Silent($"no log entry for the failure: {details}");

        var refunded = kind == KlarnaOperationKind.Refund ? RefundAmount : 0;
        Assert.Multiple(() =>
        {
            Assert.That(executed, Has.Count.EqualTo(1), $"Klarna executed the {kind} exactly once. {details}");
            Assert.That(klarna.Captures, Has.Count.EqualTo(1), details);
            Assert.That(klarna.Refunds, Has.Count.EqualTo(kind == KlarnaOperationKind.Refund ? 1 : 0), details);
            Assert.That(klarna.CapturedAmount, Is.EqualTo(ReliabilityShop.DefaultAmount), details);
            Assert.That(klarna.RefundedAmount, Is.EqualTo(refunded), details);
            Assert.That(claimed, Is.EqualTo(executed), $"one succeeded {kind} record with Klarna's id. {details}");
            Assert.That(operations.Where(KlarnaOperationFamilies.IsUnsettled), Is.Empty, $"nothing left pending. {details}");
            Assert.That(confirmations, Has.Count.EqualTo(1), $"one order note confirms the {kind}. {details}");
            Assert.That(record.KlarnaStatus, Is.EqualTo(klarna.Status), $"record status. {details}");
            Assert.That(record.CapturedAmountMinor, Is.EqualTo(klarna.CapturedAmount), $"record captured. {details}");
            Assert.That(record.RefundedAmountMinor, Is.EqualTo(klarna.RefundedAmount), $"record refunded. {details}");
            Assert.That(record.RemainingAuthorizedAmountMinor, Is.EqualTo(klarna.RemainingAuthorizedAmount), $"record remaining. {details}");
            Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(kind == KlarnaOperationKind.Refund ? PaymentStatus.PartiallyRefunded : PaymentStatus.Paid),
                $"payment status. {details}");
            Assert.That(order.RefundedAmount, Is.EqualTo(KlarnaAmount.FromMinor(refunded, "EUR")), $"refunded amount. {details}");
            Assert.That(operations.Where(op => op.Initiator == KlarnaInitiator.MerchantPortal), Is.Empty, $"nothing of ours mistaken for a Merchant Portal action. {details}");
            if (failed)
            {
                Assert.That(noted, Is.True, $"order note for the failure. {details}");
                Assert.That(logged, Is.True, $"log entry for the failure. {details}");
            }
        });
    }

    /// <summary>
    /// Waits until a condition holds (e.g. the sandbox has no Klarna request in flight), failing the test after 15 s
    /// </summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(15))
                Assert.Fail($"not reached within 15 s: {what}");
            await Task.Delay(5);
        }
    }
}
