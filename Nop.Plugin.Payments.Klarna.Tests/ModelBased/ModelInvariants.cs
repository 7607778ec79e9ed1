using Klarna.Sandbox.Models;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;

namespace Nop.Plugin.Payments.Klarna.Tests.ModelBased;

/// <summary>
/// The rules every sequence must keep, checked against the sandbox's state and request log after the final settle step:
/// each logical operation executed by Klarna at most once and under a key recorded before the call; nothing captured or
/// refunded beyond what Klarna allows; the records, nopCommerce's payment status, refunded amount and notes agree with
/// Klarna; nothing pending without a visible reason; every failure seen left a note and a log entry; no Merchant Portal
/// action mistaken for the plugin's or the plugin's for the portal's; a fraud-rejected order is not left open
/// </summary>
public static class ModelInvariants
{
    private static bool IsOurs(KlarnaOperation operation) => operation.Initiator != KlarnaInitiator.MerchantPortal;

    /// <summary>
    /// Gets nopCommerce's payment status that follows Klarna's money (README, "Order engine": the rules a merchant notices)
    /// </summary>
    public static PaymentStatus ExpectedPaymentStatus(SandboxOrder klarna)
    {
        var capturable = klarna.Status is "AUTHORIZED" or "PART_CAPTURED" && klarna.RemainingAuthorizedAmount > 0;
        if (klarna.RefundedAmount > 0)
            return klarna.RefundedAmount >= klarna.CapturedAmount && !capturable ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
        if (klarna.CapturedAmount > 0)
            return capturable ? PaymentStatus.Authorized : PaymentStatus.Paid;
        if (klarna.Status is "CANCELLED" or "EXPIRED" or "CLOSED")
            return PaymentStatus.Voided;
        return klarna.FraudStatus == "PENDING" ? PaymentStatus.Pending : PaymentStatus.Authorized;
    }

    public static List<string> Check(ModelWorld world)
    {
        var violations = world.Violations.ToList();
        var requests = world.Sandbox.State.Requests;
        var operations = world.Harness.OperationTable.Rows;
        var records = world.Harness.RecordTable.Rows;
        var logs = world.Harness.Logger.Invocations
            .Where(i => i.Method.Name is "ErrorAsync" or "WarningAsync")
            .Select(i => string.Join(" | ", i.Arguments.Select(a => a?.ToString())))
            .ToList();

        var executedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in world.Orders)
        {
            var context = new OrderCheck(world, order, requests, operations.Where(op => op.OrderId == order.Order.Id).ToList(),
                records.Single(r => r.OrderId == order.Order.Id), logs);
            context.Run(violations);
            executedKeys.UnionWith(context.Executed.Keys);
        }

        //an admin's intent (a click, its repeats, a new modal while it was unsettled) is executed by Klarna at most once
        lock (world.Intents)
        {
            foreach (var intent in world.Intents.Where(keys => keys.Count > 1))
            {
                var executed = intent.Where(executedKeys.Contains).ToList();
                if (executed.Count > 1)
                    violations.Add($"one admin intent was executed by Klarna {executed.Count} times (keys {string.Join(", ", executed)})");
            }
        }

        return violations;
    }

    private sealed class OrderCheck
    {
        private readonly ModelWorld _world;
        private readonly ModelOrder _order;
        private readonly List<KlarnaOperation> _operations;
        private readonly KlarnaOrderRecord _record;
        private readonly IList<string> _logs;
        private readonly SandboxOrder _klarna;
        private readonly string _name;
        private readonly HashSet<string> _keyedResults;

        public OrderCheck(ModelWorld world, ModelOrder order, IReadOnlyList<RecordedRequest> requests, List<KlarnaOperation> operations,
            KlarnaOrderRecord record, IList<string> logs)
        {
            _world = world;
            _order = order;
            _operations = operations;
            _record = record;
            _logs = logs;
            _klarna = world.Sandbox.State.GetOrder(order.KlarnaOrderId);
            _name = $"order {order.Index + 1}";

            var writes = requests.Where(r => r.Method == "POST" && r.IdempotencyKey is not null
                && r.Path?.Contains(order.KlarnaOrderId, StringComparison.OrdinalIgnoreCase) == true).ToList();
            Executed = writes.Where(r => !r.Replayed && r.Outcome is "answered" or "committed_then_dropped" && r.Status is >= 200 and < 300)
                .GroupBy(r => r.IdempotencyKey, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            _keyedResults = new HashSet<string>(Executed.Values.SelectMany(list => list).Select(r => r.ResultId).Where(id => id is not null), StringComparer.Ordinal);
        }

        /// <summary>
        /// Gets the writes Klarna executed, by idempotency key
        /// </summary>
        public Dictionary<string, List<RecordedRequest>> Executed { get; }

        public void Run(List<string> violations)
        {
            void fail(string text) => violations.Add($"{_name}: {text}");

            CheckExactlyOnce(fail);
            CheckClaims(fail, "capture", KlarnaOperationKind.Capture, _klarna.Captures.Select(c => c.CaptureId).ToList());
            CheckClaims(fail, "refund", KlarnaOperationKind.Refund, _klarna.Refunds.Select(r => r.RefundId).ToList());
            CheckStateChanges(fail);
            CheckAgreement(fail);
            CheckPending(fail);
            CheckFailuresVisible(fail);

            if (_klarna.CapturedAmount > _klarna.OrderAmount || _klarna.RefundedAmount > _klarna.CapturedAmount)
                fail($"Klarna captured {_klarna.CapturedAmount} of {_klarna.OrderAmount} and refunded {_klarna.RefundedAmount}");
            if (_klarna.FraudStatus == "REJECTED" && _klarna.Status == "AUTHORIZED" && _klarna.Captures.Count == 0)
                fail("Klarna rejected the order after its fraud review, and its authorization was left open (not cancelled)");
        }

        private void CheckExactlyOnce(Action<string> fail)
        {
            foreach (var (key, executions) in Executed.Where(pair => pair.Value.Count > 1))
                fail($"Klarna executed the write with key {key} {executions.Count} times ({executions[0].Path})");

            foreach (var key in Executed.Keys.Where(key => _operations.All(op => op.IdempotencyKey != key)))
                fail($"Klarna executed a write with key {key}, which no operation record of the order holds");

            foreach (var operation in _operations.Where(IsOurs).Where(op => op.Kind != KlarnaOperationKind.Authorize))
            {
                var done = Executed.TryGetValue(operation.IdempotencyKey, out var executions);
                if (operation.Status == KlarnaOperationStatus.Succeeded && !done)
                    fail($"the records say the {operation.Kind} with key {operation.IdempotencyKey} succeeded, but Klarna never executed it");
                if (done && operation.Status != KlarnaOperationStatus.Succeeded && !IsUnattributed(operation))
                    fail($"Klarna executed the {operation.Kind} with key {operation.IdempotencyKey}, but the records say {operation.Status} ({operation.ErrorCode})");
                if (done && operation.Kind is KlarnaOperationKind.Capture or KlarnaOperationKind.Refund && operation.KlarnaId != executions[0].ResultId)
                    fail($"the {operation.Kind} with key {operation.IdempotencyKey} claims Klarna id {operation.KlarnaId ?? "none"}, Klarna created {executions[0].ResultId}");
            }
        }

        private void CheckClaims(Action<string> fail, string what, KlarnaOperationKind kind, List<string> klarnaIds)
        {
            var claims = _operations.Where(op => op.Kind == kind && op.Status == KlarnaOperationStatus.Succeeded).ToList();
            foreach (var id in klarnaIds)
            {
                var claimants = claims.Where(op => op.KlarnaId == id).ToList();
                if (claimants.Count != 1)
                    fail($"Klarna's {what} {id} is claimed by {claimants.Count} operation records");
                else if (!IsOurs(claimants[0]) && _keyedResults.Contains(id))
                    fail($"the plugin's own {what} {id} was recorded as made in the Merchant Portal");
                else if (IsOurs(claimants[0]) && !_keyedResults.Contains(id))
                    fail($"the Merchant Portal's {what} {id} was recorded as the plugin's ({claimants[0].Initiator}, key {claimants[0].IdempotencyKey})");
            }

            foreach (var claim in claims.Where(op => !klarnaIds.Contains(op.KlarnaId)))
                fail($"the records claim a {what} {claim.KlarnaId ?? "without id"} (key {claim.IdempotencyKey}) that Klarna does not have");
        }

        /// <summary>
        /// Gets a value indicating whether the operation is a cancel or release left for a person after the clocks moved past
        /// Klarna's replay window: Klarna's order then no longer tells whose state change it shows, and "unknown, look at it"
        /// is the honest record (neither "done by us" nor "done in the portal")
        /// </summary>
        private bool IsUnattributed(KlarnaOperation operation) => _world.ClockMoved && IsOurs(operation)
            && operation.Kind is KlarnaOperationKind.Cancel or KlarnaOperationKind.Release && operation.Status == KlarnaOperationStatus.NeedsAttention;

        private void CheckStateChanges(Action<string> fail)
        {
            bool executed(KlarnaOperationKind kind) => _operations.Any(op => IsOurs(op) && op.Kind == kind && Executed.ContainsKey(op.IdempotencyKey));
            bool unattributed(KlarnaOperationKind kind) => _operations.Any(op => op.Kind == kind && IsUnattributed(op));

            var portalCancel = _klarna.Status == "CANCELLED" && !executed(KlarnaOperationKind.Cancel);
            var recordedCancel = _operations.Any(op => !IsOurs(op) && op.Kind == KlarnaOperationKind.Cancel);
            if (portalCancel && !recordedCancel && unattributed(KlarnaOperationKind.Cancel))
                portalCancel = false;
            if (portalCancel != recordedCancel)
                fail(portalCancel ? "the Merchant Portal's cancel was not recorded as the portal's" : "a cancel was recorded as the Merchant Portal's, but the plugin made it");

            var released = _klarna.Status == "CAPTURED" && _klarna.CapturedAmount < _klarna.OrderAmount;
            var portalRelease = released && !executed(KlarnaOperationKind.Release);
            var recordedRelease = _operations.Any(op => !IsOurs(op) && op.Kind == KlarnaOperationKind.Release);
            if (portalRelease && !recordedRelease && unattributed(KlarnaOperationKind.Release))
                portalRelease = false;
            if (portalRelease != recordedRelease)
                fail(portalRelease ? "the Merchant Portal's release was not recorded as the portal's" : "a release was recorded as the Merchant Portal's, but the plugin made it");
        }

        private void CheckAgreement(Action<string> fail)
        {
            var order = _order.Order;
            if (_record.KlarnaStatus != _klarna.Status || _record.FraudStatus != _klarna.FraudStatus || _record.CapturedAmountMinor != _klarna.CapturedAmount
                || _record.RefundedAmountMinor != _klarna.RefundedAmount || _record.RemainingAuthorizedAmountMinor != _klarna.RemainingAuthorizedAmount
                || _record.OrderAmountMinor != _klarna.OrderAmount)
                fail($"the record ({_record.KlarnaStatus} {_record.FraudStatus}, captured {_record.CapturedAmountMinor}, refunded {_record.RefundedAmountMinor}, " +
                    $"remaining {_record.RemainingAuthorizedAmountMinor}) disagrees with Klarna ({_klarna.Status} {_klarna.FraudStatus}, captured {_klarna.CapturedAmount}, " +
                    $"refunded {_klarna.RefundedAmount}, remaining {_klarna.RemainingAuthorizedAmount})");

            var expected = ExpectedPaymentStatus(_klarna);
            if ((PaymentStatus)order.PaymentStatusId != expected)
                fail($"nopCommerce's payment status is {(PaymentStatus)order.PaymentStatusId}, Klarna's order means {expected}");

            var refunded = _klarna.RefundedAmount <= 0 ? 0m : KlarnaAmount.FromMinor(_klarna.RefundedAmount, _klarna.PurchaseCurrency);
            if (order.RefundedAmount != refunded)
                fail($"nopCommerce's refunded amount is {order.RefundedAmount}, Klarna refunded {refunded}");

            var notes = _world.Harness.NotesOf(order);
            foreach (var id in _klarna.Captures.Select(c => c.CaptureId).Concat(_klarna.Refunds.Select(r => r.RefundId)))
            {
                if (!notes.Any(note => note.Contains(id, StringComparison.Ordinal)))
                    fail($"no order note tells of Klarna's capture or refund {id}");
            }
        }

        private void CheckPending(Action<string> fail)
        {
            foreach (var operation in _operations.Where(op => op.Status == KlarnaOperationStatus.Pending))
                fail($"the {operation.Kind} with key {operation.IdempotencyKey} is left pending");

            foreach (var operation in _operations.Where(op => op.Status == KlarnaOperationStatus.NeedsAttention && !_world.ClockMoved))
                fail($"the {operation.Kind} with key {operation.IdempotencyKey} needs attention, but Klarna still replays its key");
        }

        /// <summary>
        /// Every failure someone saw (a write Klarna refused or did not answer; a failed read of an admin's or an automatic
        /// command) left an order note and a log entry with Klarna's error code
        /// </summary>
        private void CheckFailuresVisible(Action<string> fail)
        {
            var failures = _world.Results
                .Where(r => r.OrderId == _order.Order.Id && r.Result?.KlarnaError?.ErrorCode is not null)
                .Where(r => r.Result.Operation is not null || r.Initiator is KlarnaInitiator.Admin or KlarnaInitiator.NopButton or KlarnaInitiator.CaptureUponFulfillment)
                .Select(r => (Code: r.Result.KlarnaError.ErrorCode, Key: r.Result.Operation?.IdempotencyKey ?? Guid.NewGuid().ToString()))
                .Distinct()
                .GroupBy(failure => failure.Code);

            var notes = _world.Harness.NotesOf(_order.Order);
            foreach (var failure in failures)
            {
                var noted = notes.Count(note => note.Contains(failure.Key, StringComparison.Ordinal));
                if (noted < failure.Count())
                    fail($"{failure.Count()} failures with Klarna's error {failure.Key} were seen, {noted} order notes tell of them");
                if (!_logs.Any(line => line.Contains(failure.Key, StringComparison.Ordinal)
                        && (line.Contains(_order.Order.Id.ToString()) || line.Contains(_order.KlarnaOrderId, StringComparison.OrdinalIgnoreCase))))
                    fail($"a failure with Klarna's error {failure.Key} was seen, and no log entry tells of it");
            }
        }
    }
}
