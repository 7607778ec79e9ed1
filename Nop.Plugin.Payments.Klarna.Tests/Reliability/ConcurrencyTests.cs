using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// Many simultaneous operations on one order and on many orders, all through one shop sharing one in-memory ILocker
/// that refuses at once when the key is held (like nopCommerce's DistributedCacheLocker): the sandbox's totals never
/// exceed Klarna's rules and always match the plugin's records and nopCommerce's order
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public class ConcurrencyTests
{
    private ReliabilityShop _shop;

    [SetUp]
    public void SetUp()
    {
        _shop = new ReliabilityShop(ReliabilityEnvironment.ClientWithRetries);
        ReliabilityEnvironment.Sandbox.State.LatencyMs = 5;
    }

    [TearDown]
    public void TearDown()
    {
        ReliabilityEnvironment.Sandbox.State.LatencyMs = 0;
        _shop.CaptureAll(TestContext.CurrentContext.Test.Name);
    }

    private static KlarnaCaptureCommand Capture(Order order, long? amount = null, KlarnaInitiator initiator = KlarnaInitiator.Admin) => new()
    {
        OrderId = order.Id,
        AmountMinor = amount,
        Initiator = initiator,
        InitiatedBy = initiator.ToString(),
        IdempotencyKey = initiator == KlarnaInitiator.Admin ? Guid.NewGuid().ToString() : null
    };

    private static KlarnaRefundCommand Refund(Order order, long? amount = null) => new()
    {
        OrderId = order.Id,
        AmountMinor = amount,
        Initiator = KlarnaInitiator.Admin,
        InitiatedBy = "admin",
        IdempotencyKey = Guid.NewGuid().ToString()
    };

    private static Task<KlarnaOperationResult>[] Start(int count, Func<int, Task<KlarnaOperationResult>> operation) =>
        Enumerable.Range(0, count).Select(i => Task.Run(() => operation(i))).ToArray();

    /// <summary>
    /// The sandbox's order, the records and nopCommerce's order agree, and Klarna's rules hold; double/lost counted in the ledger
    /// </summary>
    private void AssertAgreement(Order order, string klarnaOrderId, IList<KlarnaOperationResult> results, string what)
    {
        ReliabilityLedger.ConcurrentOperations(results.Count);
        foreach (var result in results)
            _shop.CaptureResult(what, result);

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        var record = _shop.Record(order);
        var operations = _shop.Operations(order);
        var captures = operations.Where(op => op.Kind == KlarnaOperationKind.Capture && op.Status == KlarnaOperationStatus.Succeeded).ToList();
        var refunds = operations.Where(op => op.Kind == KlarnaOperationKind.Refund && op.Status == KlarnaOperationStatus.Succeeded).ToList();
        var successes = results.Count(r => r.Success);
        var details = $"{what}: {successes}/{results.Count} succeeded [{string.Join("; ", results.Where(r => !r.Success).Select(r => r.ErrorCode).GroupBy(c => c).Select(g => $"{g.Key} x{g.Count()}"))}], " +
            $"sandbox {klarna.Status} captured {klarna.CapturedAmount} ({klarna.Captures.Count}) refunded {klarna.RefundedAmount} ({klarna.Refunds.Count}), " +
            $"records {captures.Count} captures {captures.Sum(c => c.AmountMinor)}, {refunds.Count} refunds {refunds.Sum(r => r.AmountMinor)}, payment {(PaymentStatus)order.PaymentStatusId}";

        if (klarna.Captures.Count > captures.Count || klarna.Refunds.Count > refunds.Count)
            ReliabilityLedger.Double($"Klarna has more than the records: {details}");
        if (klarna.Captures.Count < captures.Count || klarna.Refunds.Count < refunds.Count)
            ReliabilityLedger.Lost($"the records claim more than Klarna has: {details}");
        if (operations.Any(KlarnaOperationFamilies.IsUnsettled))
            ReliabilityLedger.Lost($"operations left pending: {details}");

        Assert.Multiple(() =>
        {
            Assert.That(klarna.CapturedAmount, Is.LessThanOrEqualTo(klarna.OrderAmount), details);
            Assert.That(klarna.RefundedAmount, Is.LessThanOrEqualTo(klarna.CapturedAmount), details);
            Assert.That(klarna.CapturedAmount + klarna.RemainingAuthorizedAmount, Is.LessThanOrEqualTo(klarna.OrderAmount), details);
            Assert.That(captures.Select(c => c.KlarnaId), Is.EquivalentTo(klarna.Captures.Select(c => c.CaptureId)), $"capture ids. {details}");
            Assert.That(refunds.Select(r => r.KlarnaId), Is.EquivalentTo(klarna.Refunds.Select(r => r.RefundId)), $"refund ids. {details}");
            Assert.That(captures.Sum(c => c.AmountMinor), Is.EqualTo(klarna.CapturedAmount), $"captured sum. {details}");
            Assert.That(refunds.Sum(r => r.AmountMinor), Is.EqualTo(klarna.RefundedAmount), $"refunded sum. {details}");
            Assert.That(operations.Where(op => op.Status == KlarnaOperationStatus.Pending), Is.Empty, $"pending. {details}");
            Assert.That(record.CapturedAmountMinor, Is.EqualTo(klarna.CapturedAmount), $"record captured. {details}");
            Assert.That(record.RefundedAmountMinor, Is.EqualTo(klarna.RefundedAmount), $"record refunded. {details}");
            Assert.That(record.RemainingAuthorizedAmountMinor, Is.EqualTo(klarna.RemainingAuthorizedAmount), $"record remaining. {details}");
            Assert.That(record.KlarnaStatus, Is.EqualTo(klarna.Status), $"record status. {details}");
            Assert.That(order.RefundedAmount, Is.EqualTo(KlarnaAmount.FromMinor(klarna.RefundedAmount, "EUR")), $"refunded amount. {details}");
            Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(KlarnaOrderPolicy.PaymentStatusOf(record.KlarnaStatus, record.FraudStatus, record.CapturedAmountMinor,
                record.RefundedAmountMinor, record.RemainingAuthorizedAmountMinor)), $"payment status. {details}");
            Assert.That(results.Where(r => !r.Success).Select(r => r.ErrorCode), Has.None.EqualTo(nameof(KlarnaRefusalCode.Unexpected)), details);
        });
    }

    [Test]
    public async Task Twenty_five_simultaneous_full_captures_of_one_order_capture_it_once()
    {
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();

        var results = await Task.WhenAll(Start(25, _ => _shop.Executor.ExecuteAsync(Capture(order))));

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        Assert.That(results.Count(r => r.Success), Is.EqualTo(1));
        Assert.That(klarna.Captures, Has.Count.EqualTo(1));
        Assert.That(klarna.CapturedAmount, Is.EqualTo(ReliabilityShop.DefaultAmount));
        if (klarna.Captures.Count > 1)
            ReliabilityLedger.Double($"25 full captures: {klarna.Captures.Count} captures");
        AssertAgreement(order, klarnaOrderId, results, "25 simultaneous full captures");
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
    }

    [Test]
    public async Task Thirty_simultaneous_partial_captures_never_exceed_the_authorization()
    {
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();

        //30 x 3.00 = 90.00 > 81.90: 27 fit, 3 must be refused
        var results = await Task.WhenAll(Start(30, _ => _shop.Executor.ExecuteAsync(Capture(order, 300))));

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        Assert.That(results.Count(r => r.Success), Is.EqualTo(27));
        Assert.That(klarna.Captures, Has.Count.EqualTo(27));
        Assert.That(klarna.CapturedAmount, Is.EqualTo(8100));
        AssertAgreement(order, klarnaOrderId, results, "30 simultaneous partial captures");
    }

    [Test]
    public async Task Twenty_simultaneous_refunds_never_exceed_what_was_captured()
    {
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();
        Assert.That((await _shop.Executor.ExecuteAsync(Capture(order))).Success, Is.True);

        //20 x 5.00 = 100.00 > 81.90: 16 fit
        var results = await Task.WhenAll(Start(20, _ => _shop.Executor.ExecuteAsync(Refund(order, 500))));

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        Assert.That(results.Count(r => r.Success), Is.EqualTo(16));
        Assert.That(klarna.RefundedAmount, Is.EqualTo(8000));
        AssertAgreement(order, klarnaOrderId, results, "20 simultaneous refunds");
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.PartiallyRefunded));
    }

    [Test]
    public async Task Captures_and_refunds_mixed_on_one_order_keep_the_totals_consistent()
    {
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();

        var results = await Task.WhenAll(Start(24, i => i % 2 == 0
            ? _shop.Executor.ExecuteAsync(Capture(order, 600))
            : _shop.Executor.ExecuteAsync(Refund(order, 200))));

        AssertAgreement(order, klarnaOrderId, results, "12 captures and 12 refunds at once");
    }

    [Test]
    public async Task A_cancel_racing_a_capture_lets_exactly_one_of_them_happen([Range(1, 5)] int round)
    {
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();

        var capture = Task.Run(() => _shop.Executor.ExecuteAsync(Capture(order)));
        var cancel = Task.Run(() => _shop.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id, InitiatedBy = "admin" }));
        var results = await Task.WhenAll(capture, cancel);

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        Assert.That(results.Count(r => r.Success), Is.EqualTo(1), string.Join("; ", results.Select(r => $"{r.Success} {r.ErrorCode} {_shop.Harness.TextOf(r)}")));
        if (capture.Result.Success)
        {
            Assert.That(klarna.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
        }
        else
        {
            Assert.That(klarna.Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
            Assert.That(klarna.Captures, Is.Empty);
            Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided));
        }

        AssertAgreement(order, klarnaOrderId, results, $"cancel racing capture (round {round})");
    }

    [Test]
    public async Task Capture_upon_fulfillment_racing_manual_captures_captures_once()
    {
        _shop.Harness.Settings.CaptureUponFulfillmentMode = KlarnaCaptureUponFulfillmentMode.OnOrderStatus;
        _shop.Harness.Settings.CaptureOnOrderStatusId = (int)OrderStatus.Complete;
        var (order, klarnaOrderId) = await _shop.CreateOrderAsync();

        //the order reaches "Complete" (nopCommerce publishes OrderStatusChangedEvent, twice, as a double save would) while two admins click CAPTURE PAYMENT
        order.OrderStatusId = (int)OrderStatus.Complete;
        var fulfillment = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await _shop.Harness.Consumer.HandleEventAsync(NopEvents.OrderStatusChanged(order, OrderStatus.Processing));
            return KlarnaOperationResult.Ok(null);
        }));
        var manual = Start(2, _ => _shop.Executor.ExecuteAsync(Capture(order)));
        await Task.WhenAll(fulfillment.Concat(manual));

        var klarna = ReliabilityEnvironment.Sandbox.State.GetOrder(klarnaOrderId);
        Assert.That(klarna.Captures, Has.Count.EqualTo(1), "one capture of everything");
        Assert.That(klarna.CapturedAmount, Is.EqualTo(ReliabilityShop.DefaultAmount));
        if (klarna.Captures.Count > 1)
            ReliabilityLedger.Double($"capture upon fulfillment racing manual capture: {klarna.Captures.Count} captures");
        AssertAgreement(order, klarnaOrderId, manual.Select(t => t.Result).ToList(), "capture upon fulfillment racing manual captures");
        Assert.That(_shop.Operations(order).Count(op => op.Kind == KlarnaOperationKind.Capture && op.Status == KlarnaOperationStatus.Succeeded), Is.EqualTo(1));
    }

    [Test]
    public async Task Forty_orders_at_once_each_with_concurrent_captures_refunds_and_a_cancel_attempt()
    {
        var orders = new List<(Order Order, string KlarnaOrderId)>();
        for (var i = 0; i < 40; i++)
            orders.Add(await _shop.CreateOrderAsync());

        var all = orders.Select(o => Task.Run(async () =>
        {
            var operations = new List<Task<KlarnaOperationResult>>
            {
                Task.Run(() => _shop.Executor.ExecuteAsync(Capture(o.Order, 4000))),
                Task.Run(() => _shop.Executor.ExecuteAsync(Capture(o.Order, 4000))),
                Task.Run(() => _shop.Executor.ExecuteAsync(Capture(o.Order))),
                Task.Run(() => _shop.Executor.ExecuteAsync(Refund(o.Order, 1500))),
                Task.Run(() => _shop.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = o.Order.Id, InitiatedBy = "admin" }))
            };
            return (o, await Task.WhenAll(operations));
        })).ToList();
        var outcomes = await Task.WhenAll(all);

        foreach (var ((order, klarnaOrderId), results) in outcomes)
            AssertAgreement(order, klarnaOrderId, results, $"order {order.Id} of 40");
    }
}
