using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.StatusSync;

/// <summary>
/// The reconciler without HTTP: Klarna orders built in memory
/// </summary>
[TestFixture]
public class KlarnaOrderReconcilerTests
{
    private SyncShop _shop;
    private SyncInstance _instance;
    private IKlarnaOrderReconciler _reconciler;
    private Order _order;

    [SetUp]
    public void SetUp()
    {
        _shop = new SyncShop();
        _instance = new SyncInstance(_shop, new Moq.Mock<IKlarnaApiClient>().Object, new KlarnaCredentials());
        _reconciler = (IKlarnaOrderReconciler)_instance.Scope.ServiceProvider.GetService(typeof(IKlarnaOrderReconciler));
        _order = new Order { Id = 7, StoreId = 1, OrderTotal = 100m, CurrencyRate = 1m, OrderStatusId = (int)OrderStatus.Processing, PaymentStatusId = (int)PaymentStatus.Authorized };
        _shop.Orders[_order.Id] = _order;
        _shop.SaveRecord(new KlarnaOrderRecord
        {
            OrderId = 7, StoreId = 1, KlarnaOrderId = "k-7", CurrencyCode = "EUR", KlarnaStatus = KlarnaOrderStatus.Authorized,
            FraudStatus = KlarnaFraudStatus.Accepted, OrderAmountMinor = 10000, RemainingAuthorizedAmountMinor = 10000,
            AppliedStatusEvents = "Authorized", ExpiresAtUtc = DateTime.UtcNow.AddDays(20)
        });
    }

    [TearDown]
    public async Task TearDown() => await _instance.DisposeAsync();

    private KlarnaOrder Klarna(string status, long captured = 0, long refunded = 0, params (string Id, long Amount)[] captures) => new()
    {
        OrderId = "k-7",
        Status = status,
        FraudStatus = KlarnaFraudStatus.Accepted,
        OrderAmount = 10000,
        CapturedAmount = captured,
        RefundedAmount = refunded,
        RemainingAuthorizedAmount = status is KlarnaOrderStatus.Authorized or KlarnaOrderStatus.PartCaptured ? 10000 - captured : 0,
        PurchaseCurrency = "eur",
        ExpiresAt = _shop.GetRecord(7).ExpiresAtUtc,
        Captures = captures.Select(capture => new KlarnaCapture { CaptureId = capture.Id, CapturedAmount = capture.Amount, CapturedAt = DateTimeOffset.UtcNow }).ToList(),
        Refunds = new()
    };

    [TestCase(KlarnaOrderStatus.Authorized, KlarnaFraudStatus.Accepted, 0, 0, 10000, PaymentStatus.Authorized)]
    [TestCase(KlarnaOrderStatus.Authorized, KlarnaFraudStatus.Pending, 0, 0, 10000, PaymentStatus.Pending)]
    [TestCase(KlarnaOrderStatus.Authorized, KlarnaFraudStatus.Rejected, 0, 0, 10000, PaymentStatus.Voided)]
    [TestCase(KlarnaOrderStatus.PartCaptured, KlarnaFraudStatus.Accepted, 4000, 0, 6000, PaymentStatus.Authorized)]
    [TestCase(KlarnaOrderStatus.PartCaptured, KlarnaFraudStatus.Accepted, 4000, 0, 0, PaymentStatus.Paid)]
    [TestCase(KlarnaOrderStatus.Captured, KlarnaFraudStatus.Accepted, 10000, 0, 0, PaymentStatus.Paid)]
    [TestCase(KlarnaOrderStatus.Closed, KlarnaFraudStatus.Accepted, 4000, 0, 0, PaymentStatus.Paid)]
    [TestCase(KlarnaOrderStatus.Captured, KlarnaFraudStatus.Accepted, 10000, 2500, 0, PaymentStatus.PartiallyRefunded)]
    [TestCase(KlarnaOrderStatus.Captured, KlarnaFraudStatus.Accepted, 10000, 10000, 0, PaymentStatus.Refunded)]
    [TestCase(KlarnaOrderStatus.Closed, KlarnaFraudStatus.Accepted, 4000, 4000, 0, PaymentStatus.Refunded)]
    [TestCase(KlarnaOrderStatus.Cancelled, KlarnaFraudStatus.Accepted, 0, 0, 0, PaymentStatus.Voided)]
    [TestCase(KlarnaOrderStatus.Expired, KlarnaFraudStatus.Accepted, 0, 0, 0, PaymentStatus.Voided)]
    [TestCase(KlarnaOrderStatus.Closed, KlarnaFraudStatus.Accepted, 0, 0, 0, PaymentStatus.Voided)]
    public void GetPaymentStatus_follows_the_money(string status, string fraud, long captured, long refunded, long remaining, PaymentStatus expected)
    {
        Assert.That(KlarnaOrderReconciler.GetPaymentStatus(status, fraud, captured, refunded, remaining), Is.EqualTo(expected));
    }

    [TestCase(KlarnaOrderStatus.Authorized, KlarnaFraudStatus.Accepted, 0, KlarnaStatusEvent.Authorized)]
    [TestCase(KlarnaOrderStatus.Authorized, KlarnaFraudStatus.Pending, 0, KlarnaStatusEvent.FraudPending)]
    [TestCase(KlarnaOrderStatus.PartCaptured, KlarnaFraudStatus.Accepted, 100, KlarnaStatusEvent.PartiallyCaptured)]
    [TestCase(KlarnaOrderStatus.Captured, KlarnaFraudStatus.Accepted, 100, KlarnaStatusEvent.Captured)]
    [TestCase(KlarnaOrderStatus.Cancelled, KlarnaFraudStatus.Accepted, 0, KlarnaStatusEvent.Cancelled)]
    [TestCase(KlarnaOrderStatus.Expired, KlarnaFraudStatus.Accepted, 0, KlarnaStatusEvent.Expired)]
    [TestCase(KlarnaOrderStatus.Closed, KlarnaFraudStatus.Accepted, 100, KlarnaStatusEvent.Captured)]
    [TestCase(KlarnaOrderStatus.Closed, KlarnaFraudStatus.Accepted, 0, KlarnaStatusEvent.Cancelled)]
    public void MapStatusEvent_maps_every_klarna_status(string status, string fraud, long captured, KlarnaStatusEvent expected)
    {
        Assert.That(KlarnaOrderReconciler.MapStatusEvent(status, fraud, captured), Is.EqualTo(expected));
    }

    [TestCase(2500, 10000, 1.0, 100.00, 25.00)]
    [TestCase(2500, 10000, 2.0, 50.00, 12.50)]
    [TestCase(3333, 10000, 3.0, 33.33, 11.11)]
    [TestCase(10000, 10000, 3.0, 33.33, 33.33)]
    [TestCase(0, 10000, 1.0, 100.00, 0)]
    public void GetRefundedAmount_converts_minor_units_back_to_the_primary_currency(long refunded, long orderAmount, decimal rate, decimal orderTotal, decimal expected)
    {
        var order = new Order { CurrencyRate = rate, OrderTotal = orderTotal };

        Assert.That(KlarnaOrderReconciler.GetRefundedAmount(order, refunded, orderAmount, "EUR"), Is.EqualTo(expected));
    }

    [Test]
    public void GetRefundedAmount_handles_zero_decimal_currencies()
    {
        var order = new Order { CurrencyRate = 1m, OrderTotal = 10000m };

        Assert.That(KlarnaOrderReconciler.GetRefundedAmount(order, 2500, 10000, "JPY"), Is.EqualTo(2500m));
    }

    [Test]
    public async Task ReconcileAsync_twice_with_the_same_klarna_order_changes_nothing_the_second_time()
    {
        // Arrange
        var klarna = Klarna(KlarnaOrderStatus.PartCaptured, 4000, 0, ("cap-1", 4000));

        // Act
        var first = await _reconciler.ReconcileAsync(_order, _shop.GetRecord(7), klarna);
        var second = await _reconciler.ReconcileAsync(_order, _shop.GetRecord(7), klarna);

        // Assert
        Assert.That(first.Changed, Is.True);
        Assert.That(first.Notes, Has.Count.EqualTo(1));
        Assert.That(first.StatusEvents, Is.EqualTo(new[] { KlarnaStatusEvent.PartiallyCaptured }));
        Assert.That(second.Changed, Is.False);
        Assert.That(second.Notes, Is.Empty);
        Assert.That(second.StatusEvents, Is.Empty);
        Assert.That(_shop.NotesOf(7), Has.Count.EqualTo(1));
        Assert.That(_shop.GetOperations(7), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ReconcileAsync_matches_pending_operations_by_amount_oldest_first_and_inserts_only_the_unknown_capture()
    {
        // Arrange: two pending plugin captures of 3000; Klarna has one of them and a portal capture of 1000
        foreach (var (key, age) in new[] { ("old", 10), ("new", 5) })
        {
            _shop.InsertOperation(new KlarnaOperation
            {
                OrderId = 7, KlarnaOrderId = "k-7", Kind = KlarnaOperationKind.Capture, Status = KlarnaOperationStatus.Pending,
                AmountMinor = 3000, CurrencyCode = "EUR", IdempotencyKey = key, Initiator = KlarnaInitiator.Admin,
                CreatedOnUtc = DateTime.UtcNow.AddMinutes(-age), UpdatedOnUtc = DateTime.UtcNow
            });
        }
        var klarna = Klarna(KlarnaOrderStatus.PartCaptured, 4000, 0, ("cap-a", 3000), ("cap-b", 1000));

        // Act
        var result = await _reconciler.ReconcileAsync(_order, _shop.GetRecord(7), klarna);

        // Assert
        var operations = _shop.GetOperations(7);
        Assert.That(operations, Has.Count.EqualTo(3));
        Assert.That(operations.Single(operation => operation.IdempotencyKey == "old").KlarnaId, Is.EqualTo("cap-a"));
        Assert.That(operations.Single(operation => operation.IdempotencyKey == "old").Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(operations.Single(operation => operation.IdempotencyKey == "new").Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        var portal = operations.Single(operation => operation.KlarnaId == "cap-b");
        Assert.That(portal.Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
        Assert.That(portal.IdempotencyKey, Is.EqualTo(KlarnaOrderReconciler.GetExternalOperationKey("k-7", "capture:cap-b")));
        Assert.That(result.Notes, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ReconcileAsync_fails_a_stale_pending_capture_that_klarna_never_carried_out()
    {
        // Arrange
        _shop.InsertOperation(new KlarnaOperation
        {
            OrderId = 7, KlarnaOrderId = "k-7", Kind = KlarnaOperationKind.Capture, Status = KlarnaOperationStatus.Pending,
            AmountMinor = 3000, CurrencyCode = "EUR", IdempotencyKey = "lost", Initiator = KlarnaInitiator.Admin,
            CreatedOnUtc = DateTime.UtcNow - KlarnaOrderReconciler.PendingOperationGracePeriod - TimeSpan.FromMinutes(1)
        });

        // Act
        await _reconciler.ReconcileAsync(_order, _shop.GetRecord(7), Klarna(KlarnaOrderStatus.Authorized));

        // Assert
        var operation = _shop.GetOperations(7).Single();
        Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Failed));
        Assert.That(operation.ErrorCode, Is.EqualTo("NOT_FOUND_AT_KLARNA"));
        Assert.That(_shop.NotesOf(7), Has.Count.EqualTo(1));
        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
    }

    [Test]
    public async Task ReconcileAsync_leaves_a_recent_pending_capture_alone()
    {
        // Arrange: the call may still be under way on another instance
        _shop.InsertOperation(new KlarnaOperation
        {
            OrderId = 7, KlarnaOrderId = "k-7", Kind = KlarnaOperationKind.Capture, Status = KlarnaOperationStatus.Pending,
            AmountMinor = 3000, CurrencyCode = "EUR", IdempotencyKey = "in-flight", Initiator = KlarnaInitiator.Admin, CreatedOnUtc = DateTime.UtcNow
        });

        // Act
        var result = await _reconciler.ReconcileAsync(_order, _shop.GetRecord(7), Klarna(KlarnaOrderStatus.Authorized));

        // Assert
        Assert.That(_shop.GetOperations(7).Single().Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(result.Changed, Is.False);
    }

    [Test]
    public async Task ReconcileAsync_notes_an_extension_made_outside_the_plugin_once()
    {
        // Arrange
        var klarna = Klarna(KlarnaOrderStatus.Authorized);
        klarna.ExpiresAt = klarna.ExpiresAt!.Value.AddDays(28);

        // Act
        await _reconciler.ReconcileAsync(_order, _shop.GetRecord(7), klarna);
        await _reconciler.ReconcileAsync(_order, _shop.GetRecord(7), klarna);

        // Assert
        Assert.That(_shop.NotesOf(7), Has.Count.EqualTo(1));
        Assert.That(_shop.NotesOf(7)[0].Note, Does.Contain("extended"));
        Assert.That(_shop.GetRecord(7).ExpiresAtUtc, Is.EqualTo(klarna.ExpiresAt.Value.UtcDateTime));
    }

    [Test]
    public async Task ReconcileAsync_fixes_a_payment_status_out_of_step_with_one_note()
    {
        // Arrange: nothing changed at Klarna, but nopCommerce's payment status was set by hand
        _order.PaymentStatusId = (int)PaymentStatus.Paid;

        // Act
        var result = await _reconciler.ReconcileAsync(_order, _shop.GetRecord(7), Klarna(KlarnaOrderStatus.Authorized));

        // Assert
        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(result.Notes, Has.Count.EqualTo(1));
        Assert.That(result.StatusEvents, Is.Empty);
    }
}

[TestFixture]
public class KlarnaOrderReconcilerPendingMatchTests
{
    [Test]
    public async Task ReconcileAsync_does_not_give_a_pending_capture_a_portal_capture_made_before_it()
    {
        // Arrange: a portal capture an hour ago; the plugin's pending capture of the same amount was recorded just now
        var shop = new SyncShop();
        await using var instance = new SyncInstance(shop, new Moq.Mock<IKlarnaApiClient>().Object, new KlarnaCredentials());
        var reconciler = (IKlarnaOrderReconciler)instance.Scope.ServiceProvider.GetService(typeof(IKlarnaOrderReconciler));
        var order = new Order { Id = 3, StoreId = 1, OrderTotal = 100m, CurrencyRate = 1m, PaymentStatusId = (int)PaymentStatus.Authorized };
        shop.Orders[3] = order;
        shop.SaveRecord(new KlarnaOrderRecord { OrderId = 3, KlarnaOrderId = "k-3", CurrencyCode = "EUR", KlarnaStatus = KlarnaOrderStatus.Authorized,
            FraudStatus = KlarnaFraudStatus.Accepted, OrderAmountMinor = 10000, RemainingAuthorizedAmountMinor = 10000 });
        shop.InsertOperation(new KlarnaOperation { OrderId = 3, KlarnaOrderId = "k-3", Kind = KlarnaOperationKind.Capture, Status = KlarnaOperationStatus.Pending,
            AmountMinor = 3000, CurrencyCode = "EUR", IdempotencyKey = "now", CreatedOnUtc = DateTime.UtcNow });
        var klarna = new KlarnaOrder
        {
            OrderId = "k-3", Status = KlarnaOrderStatus.PartCaptured, FraudStatus = KlarnaFraudStatus.Accepted, OrderAmount = 10000,
            CapturedAmount = 3000, RemainingAuthorizedAmount = 7000, PurchaseCurrency = "EUR",
            Captures = new() { new KlarnaCapture { CaptureId = "portal", CapturedAmount = 3000, CapturedAt = DateTimeOffset.UtcNow.AddHours(-1) } }
        };

        // Act
        await reconciler.ReconcileAsync(order, shop.GetRecord(3), klarna);

        // Assert
        var operations = shop.GetOperations(3);
        Assert.That(operations.Single(operation => operation.IdempotencyKey == "now").Status, Is.EqualTo(KlarnaOperationStatus.Pending));
        Assert.That(operations.Single(operation => operation.KlarnaId == "portal").Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
    }
}
