using System.Net.Http.Json;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Moq;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.StatusSync;

/// <summary>
/// The status synchronization against the Klarna sandbox over HTTP: changes made directly on Klarna's side arrive in nopCommerce.
/// Run twice: with a fake of the status-mapping contract, and with order management's real KlarnaOrderStatusService
/// (which adds a note of its own when it changes the order status: "Klarna: order status changed from ...").
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
[NonParallelizable]
public class KlarnaStatusSyncServiceTests
{
    private readonly bool _realStatusService;

    public KlarnaStatusSyncServiceTests(bool realStatusService)
    {
        _realStatusService = realStatusService;
    }

    private SandboxFixture _sandbox;
    private SyncShop _shop;
    private SyncInstance _instance;
    private int _nextOrderId;

    private const long OrderAmount = 62400; // SandboxFixture.Cart(): 595.00 + 29.00 EUR

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        _sandbox = await SandboxFixture.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        await _sandbox.DisposeAsync();
    }

    [SetUp]
    public void SetUp()
    {
        _sandbox.Reset();
        _shop = new SyncShop();
        _instance = new SyncInstance(_shop, _sandbox.Client, _sandbox.Credentials, realStatusService: _realStatusService);
        _nextOrderId = 0;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _instance.DisposeAsync();
        await _sandbox.Control.DeleteAsync("_sandbox/faults");
        await _sandbox.Control.PostAsJsonAsync("_sandbox/latency", new { ms = 0 });
    }

    #region Utilities

    /// <summary>
    /// Places an order as checkout leaves it: AUTHORIZED at Klarna, record with the initial status applied, order Processing/Authorized
    /// </summary>
    private async Task<Order> PlaceOrderAsync(SyncShop shop = null, int? expiresInDays = null, string fraudStatus = null)
    {
        shop ??= _shop;
        var klarnaOrderId = await _sandbox.CreateOrderAsync(fraudStatus: fraudStatus, expiresInDays: expiresInDays);
        var klarnaOrder = _sandbox.State.GetOrder(klarnaOrderId);
        var orderId = Interlocked.Increment(ref _nextOrderId);
        var order = new Order
        {
            Id = orderId,
            StoreId = 1,
            OrderGuid = Guid.NewGuid(),
            OrderTotal = 624.00m,
            CurrencyRate = 1m,
            CustomerCurrencyCode = "EUR",
            PaymentMethodSystemName = KlarnaDefaults.SystemName,
            OrderStatusId = (int)(fraudStatus == KlarnaFraudStatus.Pending ? OrderStatus.Pending : OrderStatus.Processing),
            PaymentStatusId = (int)(fraudStatus == KlarnaFraudStatus.Pending ? PaymentStatus.Pending : PaymentStatus.Authorized),
            CreatedOnUtc = DateTime.UtcNow
        };
        shop.Orders[orderId] = order;
        shop.SaveRecord(new KlarnaOrderRecord
        {
            OrderId = orderId,
            StoreId = 1,
            KlarnaOrderId = klarnaOrderId,
            KlarnaReference = klarnaOrder.KlarnaReference,
            CurrencyCode = "EUR",
            FraudStatus = klarnaOrder.FraudStatus,
            KlarnaStatus = klarnaOrder.Status,
            OrderAmountMinor = klarnaOrder.OrderAmount,
            RemainingAuthorizedAmountMinor = klarnaOrder.RemainingAuthorizedAmount,
            ExpiresAtUtc = klarnaOrder.ExpiresAt.UtcDateTime,
            AppliedStatusEvents = fraudStatus == KlarnaFraudStatus.Pending ? nameof(KlarnaStatusEvent.FraudPending) : nameof(KlarnaStatusEvent.Authorized),
            CreatedOnUtc = DateTime.UtcNow,
            UpdatedOnUtc = DateTime.UtcNow
        });
        return order;
    }

    private static bool IsStatusMappingNote(OrderNote note) => note.Note.StartsWith("Klarna: order status changed from", StringComparison.Ordinal);

    /// <summary>
    /// Gets the notes the synchronization wrote (without the status mapping's own notes)
    /// </summary>
    private IList<OrderNote> SyncNotes() => _shop.Notes.Where(note => !IsStatusMappingNote(note)).ToList();

    private IList<OrderNote> SyncNotesOf(int orderId) => SyncNotes().Where(note => note.OrderId == orderId).ToList();

    /// <summary>
    /// Asserts that no order got the same status mapping note twice (the real status service notes each status change)
    /// </summary>
    private void AssertNoStatusChangeTwice()
    {
        var mappingNotes = _shop.Notes.Where(IsStatusMappingNote).GroupBy(note => (note.OrderId, note.Note)).Select(group => group.Count());
        Assert.That(mappingNotes, Is.All.EqualTo(1));
        Assert.That(_shop.AppliedEvents.GroupBy(item => item).Select(group => group.Count()), Is.All.EqualTo(1));
    }

    private string KlarnaId(Order order, SyncShop shop = null) => (shop ?? _shop).GetRecord(order.Id).KlarnaOrderId;

    private async Task PortalAsync(Order order, string action, object body = null)
    {
        var response = await _sandbox.Control.PostAsJsonAsync($"_sandbox/orders/{KlarnaId(order)}/{action}", body ?? new { });
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    #endregion

    [Test]
    public async Task SyncAsync_records_a_portal_capture_with_paid_status_mapped_order_status_and_one_note()
    {
        // Arrange
        var order = await PlaceOrderAsync();
        await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });

        // Act
        var status = await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
        Assert.That(order.PaidDateUtc, Is.Not.Null);
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Complete));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(1));
        Assert.That(SyncNotesOf(order.Id)[0].Note, Does.Contain("captured in the Klarna Merchant Portal"));
        Assert.That(_shop.Notes.Count(IsStatusMappingNote), Is.EqualTo(_realStatusService ? 1 : 0));
        var capture = _shop.GetOperations(order.Id).Single();
        Assert.That(capture.Kind, Is.EqualTo(KlarnaOperationKind.Capture));
        Assert.That(capture.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(capture.Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
        Assert.That(capture.AmountMinor, Is.EqualTo(OrderAmount));
        Assert.That(capture.KlarnaId, Is.EqualTo(_sandbox.State.GetOrder(KlarnaId(order)).Captures.Single().CaptureId));
        var record = _shop.GetRecord(order.Id);
        Assert.That(record.KlarnaStatus, Is.EqualTo(KlarnaOrderStatus.Captured));
        Assert.That(record.CapturedAmountMinor, Is.EqualTo(OrderAmount));
        Assert.That(record.RemainingAuthorizedAmountMinor, Is.Zero);
        Assert.That(record.LastSyncedOnUtc, Is.Not.Null);
        Assert.That(status.CheckedCount, Is.EqualTo(1));
        Assert.That(status.ChangedCount, Is.EqualTo(1));
        Assert.That(status.FailedCount, Is.Zero);
    }

    [Test]
    public async Task SyncAsync_a_second_run_changes_nothing_and_adds_no_note()
    {
        // Arrange
        var order = await PlaceOrderAsync();
        await PortalAsync(order, "portal/capture", new { captured_amount = 10000 });
        await _instance.SyncService.SyncAsync();
        var notes = _shop.Notes.Count;
        var operations = _shop.AllOperations().Count;
        var events = _shop.AppliedEvents.Count;

        // Act
        var second = await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That(second.CheckedCount, Is.EqualTo(1));
        Assert.That(second.ChangedCount, Is.Zero);
        Assert.That(SyncNotes(), Has.Count.EqualTo(notes));
        Assert.That(_shop.AllOperations(), Has.Count.EqualTo(operations));
        Assert.That(_shop.AppliedEvents, Has.Count.EqualTo(events));
    }

    [Test]
    public async Task SyncAsync_part_capture_keeps_the_payment_authorized_and_maps_the_partial_capture_status()
    {
        // Arrange
        var order = await PlaceOrderAsync();
        _shop.Settings.OrderStatusAfterPartialCaptureId = (int)OrderStatus.Pending;
        await PortalAsync(order, "portal/capture", new { captured_amount = 20000 });

        // Act
        await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Pending));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(1));
        Assert.That(_shop.GetRecord(order.Id).KlarnaStatus, Is.EqualTo(KlarnaOrderStatus.PartCaptured));
    }

    [Test]
    public async Task SyncAsync_portal_refunds_set_partially_refunded_then_refunded_with_the_refunded_amount_in_primary_currency()
    {
        // Arrange
        var order = await PlaceOrderAsync();
        order.CurrencyRate = 2m; // customer paid EUR, primary store currency worth 2 EUR per unit
        order.OrderTotal = 312.00m;
        await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });
        await _instance.SyncService.SyncAsync();
        await PortalAsync(order, "portal/refund", new { refunded_amount = 10000 });

        // Act
        await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.PartiallyRefunded));
        Assert.That(order.RefundedAmount, Is.EqualTo(50.00m));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(2));
        Assert.That(SyncNotesOf(order.Id)[1].Note, Does.Contain("refunded in the Klarna Merchant Portal"));
        var refund = _shop.GetOperations(order.Id).Single(operation => operation.Kind == KlarnaOperationKind.Refund);
        Assert.That(refund.Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
        Assert.That(refund.AmountMinor, Is.EqualTo(10000));

        // Act: the rest
        await PortalAsync(order, "portal/refund", new { refunded_amount = OrderAmount - 10000 });
        await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Refunded));
        Assert.That(order.RefundedAmount, Is.EqualTo(312.00m));
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Cancelled));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task SyncAsync_portal_cancel_voids_the_payment_cancels_the_order_and_adds_one_note()
    {
        // Arrange
        var order = await PlaceOrderAsync();
        await PortalAsync(order, "portal/cancel");

        // Act
        await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided));
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Cancelled));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(1));
        Assert.That(SyncNotesOf(order.Id)[0].Note, Does.Contain("cancelled in the Klarna Merchant Portal"));
        var cancel = _shop.GetOperations(order.Id).Single();
        Assert.That(cancel.Kind, Is.EqualTo(KlarnaOperationKind.Cancel));
        Assert.That(cancel.Initiator, Is.EqualTo(KlarnaInitiator.MerchantPortal));
        Assert.That(_shop.GetRecord(order.Id).AppliedStatusEvents, Does.Contain(nameof(KlarnaStatusEvent.Cancelled)));
        AssertNoStatusChangeTwice();

        // a cancelled order with nothing captured is final: the next run does not read it
        var next = await _instance.SyncService.SyncAsync();
        Assert.That(next.CheckedCount, Is.Zero);
    }

    [Test]
    public async Task SyncAsync_expired_authorization_voids_the_payment_maps_the_expiry_status_and_adds_one_note()
    {
        // Arrange
        var order = await PlaceOrderAsync();
        _shop.Settings.OrderStatusAfterExpiryId = (int)OrderStatus.Pending;
        (await _sandbox.Control.PostAsync($"_sandbox/orders/{KlarnaId(order)}/expire", null)).EnsureSuccessStatusCode();

        // Act
        await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided));
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Pending));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(1));
        Assert.That(SyncNotesOf(order.Id)[0].Note, Does.Contain("expired"));
        Assert.That(_shop.GetRecord(order.Id).KlarnaStatus, Is.EqualTo(KlarnaOrderStatus.Expired));
    }

    [Test]
    public async Task SyncAsync_does_not_apply_a_mapped_status_again_after_the_admin_changed_it()
    {
        // Arrange: partial refunds map to Pending; the first one is applied
        var order = await PlaceOrderAsync();
        _shop.Settings.OrderStatusAfterPartialRefundId = (int)OrderStatus.Pending;
        await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });
        await PortalAsync(order, "portal/refund", new { refunded_amount = 1000 });
        await _instance.SyncService.SyncAsync();
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Pending));

        // the admin sets a custom status, then the merchant refunds again in the portal
        order.OrderStatusId = (int)OrderStatus.Processing;
        await PortalAsync(order, "portal/refund", new { refunded_amount = 1000 });

        // Act
        await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Processing));
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.PartiallyRefunded));
        Assert.That(_shop.GetRecord(order.Id).AppliedStatusEvents, Does.Contain(nameof(KlarnaStatusEvent.PartiallyRefunded)));
        AssertNoStatusChangeTwice();
        Assert.That(SyncNotesOf(order.Id).Count(note => note.Note.Contains("refunded in the Klarna Merchant Portal")), Is.EqualTo(2));
    }

    [Test]
    public async Task SyncAsync_with_automatic_status_change_off_leaves_the_order_status_but_payment_status_follows()
    {
        // Arrange
        _shop.Settings.EnableAutomaticOrderStatusChange = false;
        var order = await PlaceOrderAsync();
        await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });

        // Act
        await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Processing));
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(1));
        Assert.That(_shop.AppliedEvents, Is.Empty);
        Assert.That(_shop.Notes.Where(IsStatusMappingNote), Is.Empty);
        Assert.That(_shop.GetRecord(order.Id).CapturedAmountMinor, Is.EqualTo(OrderAmount));
    }

    [Test]
    public async Task SyncAsync_settles_a_pending_capture_whose_answer_was_lost_instead_of_duplicating_it()
    {
        // Arrange: the plugin recorded its capture as pending, Klarna carried it out, the answer never arrived
        var order = await PlaceOrderAsync();
        _shop.InsertOperation(new KlarnaOperation
        {
            OrderId = order.Id,
            KlarnaOrderId = KlarnaId(order),
            Kind = KlarnaOperationKind.Capture,
            Status = KlarnaOperationStatus.Pending,
            AmountMinor = 30000,
            CurrencyCode = "EUR",
            IdempotencyKey = "capture-key-1",
            Initiator = KlarnaInitiator.Admin,
            InitiatedBy = "admin@shop",
            CreatedOnUtc = DateTime.UtcNow,
            UpdatedOnUtc = DateTime.UtcNow
        });
        var captureId = await _sandbox.Client.CaptureAsync(_sandbox.Credentials, KlarnaId(order), new KlarnaCaptureRequest { CapturedAmount = 30000 }, "capture-key-1");

        // Act
        await _instance.SyncService.SyncAsync();

        // Assert
        var capture = _shop.GetOperations(order.Id).Single();
        Assert.That(capture.IdempotencyKey, Is.EqualTo("capture-key-1"));
        Assert.That(capture.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(capture.KlarnaId, Is.EqualTo(captureId));
        Assert.That(capture.Initiator, Is.EqualTo(KlarnaInitiator.Admin));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(1));
        Assert.That(SyncNotesOf(order.Id)[0].Note, Does.Contain("whose answer was lost was found in Klarna's order"));
    }

    [Test]
    public async Task SyncAsync_survives_rate_limits_and_syncs_every_order()
    {
        // Arrange: the client does not retry, so every 429 reaches the sync
        await using var instance = new SyncInstance(_shop, _sandbox.CreateClient(options => options.MaxRetries = 0), _sandbox.Credentials, realStatusService: _realStatusService);
        instance.SyncService.RateLimitPause = TimeSpan.FromMilliseconds(100);
        var orders = new List<Order>();
        for (var i = 0; i < 6; i++)
        {
            var order = await PlaceOrderAsync();
            await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });
            orders.Add(order);
        }
        await _sandbox.AddFaultAsync(new { method = "GET", path_pattern = "/ordermanagement/v1/orders/*", kind = "rate_limit", retry_after_seconds = 1, times = 4 });

        // Act
        var status = await instance.SyncService.SyncAsync();

        // Assert
        Assert.That(status.RateLimitedCount, Is.EqualTo(4));
        Assert.That(status.FailedCount, Is.Zero);
        Assert.That(status.CheckedCount, Is.EqualTo(6));
        Assert.That(orders.Select(order => (PaymentStatus)order.PaymentStatusId), Is.All.EqualTo(PaymentStatus.Paid));
        Assert.That(orders.Select(order => SyncNotesOf(order.Id).Count), Is.All.EqualTo(1));
        Assert.That(instance.SyncService.LastThrottle.CurrentLimit, Is.LessThanOrEqualTo(_shop.Settings.SyncConcurrency));
    }

    [Test]
    public async Task SyncAsync_counts_a_server_error_as_that_orders_failure_and_syncs_the_others()
    {
        // Arrange
        await using var instance = new SyncInstance(_shop, _sandbox.CreateClient(options => options.MaxRetries = 1), _sandbox.Credentials, realStatusService: _realStatusService);
        var failing = await PlaceOrderAsync();
        var others = new[] { await PlaceOrderAsync(), await PlaceOrderAsync() };
        foreach (var order in others.Append(failing))
            await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });
        await _sandbox.AddFaultAsync(new { method = "GET", path_pattern = $"/ordermanagement/v1/orders/{KlarnaId(failing)}", kind = "status", status = 503, times = -1 });

        // Act
        var status = await instance.SyncService.SyncAsync();

        // Assert
        Assert.That(status.FailedCount, Is.EqualTo(1));
        Assert.That(status.CheckedCount, Is.EqualTo(2));
        Assert.That(status.Failures.Single().OrderId, Is.EqualTo(failing.Id));
        Assert.That(status.Failures.Single().StatusCode, Is.EqualTo(503));
        Assert.That(status.Failures.Single().CorrelationId, Is.Not.Empty);
        Assert.That((PaymentStatus)failing.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(SyncNotesOf(failing.Id), Is.Empty);
        Assert.That(others.Select(order => (PaymentStatus)order.PaymentStatusId), Is.All.EqualTo(PaymentStatus.Paid));

        // the failure is what the settings page shows
        var last = await instance.SyncService.GetLastRunAsync();
        Assert.That(last.RunId, Is.EqualTo(status.RunId));
        Assert.That(last.FailedCount, Is.EqualTo(1));
        Assert.That(last.Failures.Single().OrderId, Is.EqualTo(failing.Id));
        Assert.That(last.EndedOnUtc, Is.Not.Null);

        // the order is tried again next run
        await _sandbox.Control.DeleteAsync("_sandbox/faults");
        await instance.SyncService.SyncAsync();
        Assert.That((PaymentStatus)failing.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
    }

    [Test]
    public async Task SyncAsync_counts_a_dropped_connection_as_that_orders_failure_with_no_answer()
    {
        // Arrange
        await using var instance = new SyncInstance(_shop, _sandbox.CreateClient(options => options.MaxRetries = 0), _sandbox.Credentials, realStatusService: _realStatusService);
        var failing = await PlaceOrderAsync();
        var other = await PlaceOrderAsync();
        await PortalAsync(other, "portal/capture", new { captured_amount = OrderAmount });
        await _sandbox.AddFaultAsync(new { method = "GET", path_pattern = $"/ordermanagement/v1/orders/{KlarnaId(failing)}", kind = "drop", times = -1 });

        // Act
        var status = await instance.SyncService.SyncAsync();

        // Assert
        Assert.That(status.FailedCount, Is.EqualTo(1));
        Assert.That(status.Failures.Single().OrderId, Is.EqualTo(failing.Id));
        Assert.That(status.Failures.Single().StatusCode, Is.Zero);
        Assert.That((PaymentStatus)other.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
    }

    [Test]
    public async Task SyncAsync_syncs_a_thousand_open_orders_with_bounded_concurrency_and_no_duplicate_notes()
    {
        // Arrange
        _shop.Settings.SyncConcurrency = 4;
        var orders = new List<Order>();
        for (var batch = 0; batch < 1000; batch += 50)
            orders.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => PlaceOrderAsync())));
        var captured = orders.Where((_, index) => index % 10 == 0).ToList();
        foreach (var order in captured)
            await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });
        await _sandbox.Control.PostAsJsonAsync("_sandbox/latency", new { ms = 2 });

        // Act
        var status = await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That(status.CheckedCount, Is.EqualTo(1000));
        Assert.That(status.FailedCount, Is.Zero);
        Assert.That(status.ChangedCount, Is.EqualTo(captured.Count));
        Assert.That(_instance.Counter.Total, Is.EqualTo(1000));
        Assert.That(_instance.Counter.Max, Is.LessThanOrEqualTo(4));
        Assert.That(_instance.SyncService.LastThrottle.MaxObservedActive, Is.LessThanOrEqualTo(4));
        Assert.That(SyncNotes(), Has.Count.EqualTo(captured.Count));
        Assert.That(SyncNotes().GroupBy(note => note.OrderId).Select(group => group.Count()), Is.All.EqualTo(1));
        Assert.That(captured.Select(order => (PaymentStatus)order.PaymentStatusId), Is.All.EqualTo(PaymentStatus.Paid));
    }

    [Test]
    public async Task SyncAsync_on_two_instances_at_once_never_applies_or_notes_a_change_twice()
    {
        // Arrange: a web farm, two instances sharing the database and nopCommerce's distributed lock
        _shop.Settings.SyncConcurrency = 3;
        var orders = new List<Order>();
        for (var i = 0; i < 60; i++)
            orders.Add(await PlaceOrderAsync());
        var changed = orders.Where((_, index) => index % 3 == 0).ToList();
        foreach (var order in changed)
            await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });
        await _sandbox.Control.PostAsJsonAsync("_sandbox/latency", new { ms = 5 });
        await using var second = new SyncInstance(_shop, _sandbox.Client, _sandbox.Credentials, realStatusService: _realStatusService);

        // Act
        var results = await Task.WhenAll(Task.Run(() => _instance.SyncService.SyncAsync()), Task.Run(() => second.SyncService.SyncAsync()));

        // Assert: every order was handled by one instance at a time; whatever the overlap, each change exactly once
        Assert.That(results.Sum(result => result.FailedCount), Is.Zero);
        Assert.That(results.Sum(result => result.CheckedCount + result.SkippedCount), Is.EqualTo(2 * orders.Count));
        Assert.That(results.Sum(result => result.ChangedCount), Is.EqualTo(changed.Count));
        Assert.That(SyncNotes(), Has.Count.EqualTo(changed.Count));
        Assert.That(SyncNotes().GroupBy(note => note.OrderId).Select(group => group.Count()), Is.All.EqualTo(1));
        Assert.That(_shop.AllOperations(), Has.Count.EqualTo(changed.Count));
        AssertNoStatusChangeTwice();
        Assert.That(changed.Select(order => (PaymentStatus)order.PaymentStatusId), Is.All.EqualTo(PaymentStatus.Paid));
        Assert.That(changed.Select(order => (OrderStatus)order.OrderStatusId), Is.All.EqualTo(OrderStatus.Complete));
    }

    [Test]
    public async Task SyncAsync_skips_an_order_whose_lock_another_instance_holds()
    {
        // Arrange
        var order = await PlaceOrderAsync();
        await PortalAsync(order, "portal/capture", new { captured_amount = OrderAmount });
        _shop.Locker.Hold(KlarnaDefaults.OrderLockKey(order.Id));

        // Act
        var status = await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That(status.SkippedCount, Is.EqualTo(1));
        Assert.That(status.CheckedCount, Is.Zero);
        Assert.That(_instance.Counter.Total, Is.Zero);
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));

        _shop.Locker.Release(KlarnaDefaults.OrderLockKey(order.Id));
        await _instance.SyncService.SyncAsync();
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Paid));
    }

    [Test]
    public async Task SyncAsync_brings_a_fraud_decision_in_with_one_note_and_clears_the_sync_request()
    {
        // Arrange: a notification pointed at the order
        var order = await PlaceOrderAsync(fraudStatus: KlarnaFraudStatus.Pending);
        var record = _shop.GetRecord(order.Id);
        record.SyncRequested = true;
        _shop.SaveRecord(record);
        (await _sandbox.Control.PostAsJsonAsync($"_sandbox/orders/{record.KlarnaOrderId}/fraud-decision", new { fraud_status = "ACCEPTED", notify = false })).EnsureSuccessStatusCode();

        // Act
        var status = await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That(status.CheckedCount, Is.EqualTo(1));
        record = _shop.GetRecord(order.Id);
        Assert.That(record.SyncRequested, Is.False);
        Assert.That(record.FraudStatus, Is.EqualTo(KlarnaFraudStatus.Accepted));
        Assert.That((PaymentStatus)order.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That((OrderStatus)order.OrderStatusId, Is.EqualTo(OrderStatus.Processing));
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(1));
        Assert.That(SyncNotesOf(order.Id)[0].Note, Does.Contain("fraud status changed from PENDING to ACCEPTED"));
    }

    [Test]
    public async Task SyncAsync_reads_a_final_order_again_when_a_notification_asks_for_it()
    {
        // Arrange: cancelled and synced (final), then a notification asks for it
        var order = await PlaceOrderAsync();
        await PortalAsync(order, "portal/cancel");
        await _instance.SyncService.SyncAsync();
        var record = _shop.GetRecord(order.Id);
        record.SyncRequested = true;
        _shop.SaveRecord(record);

        // Act
        var status = await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That(status.CheckedCount, Is.EqualTo(1));
        Assert.That(status.ChangedCount, Is.Zero);
        Assert.That(_shop.GetRecord(order.Id).SyncRequested, Is.False);
        Assert.That(SyncNotesOf(order.Id), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task SyncAsync_flags_authorizations_close_to_expiry_and_extends_them_when_enabled()
    {
        // Arrange
        _shop.Settings.ExpiryWarningDays = 3;
        _shop.Settings.AutoExtendAuthorization = true;
        var expiring = await PlaceOrderAsync(expiresInDays: 2);
        var later = await PlaceOrderAsync(expiresInDays: 20);

        // Act
        var status = await _instance.SyncService.SyncAsync();

        // Assert
        var flagged = status.ExpiringAuthorizations.Single();
        Assert.That(flagged.OrderId, Is.EqualTo(expiring.Id));
        Assert.That(flagged.Extended, Is.True);
        Assert.That(flagged.RemainingAuthorizedAmountMinor, Is.EqualTo(OrderAmount));
        Assert.That(status.ExtendedCount, Is.EqualTo(1));
        Assert.That(_sandbox.State.CountRequests("POST", "/ordermanagement/v1/orders/*/extend-authorization-time"), Is.EqualTo(1));
        Assert.That(flagged.ExpiresAtUtc, Is.GreaterThan(DateTime.UtcNow.AddDays(20)), "the new expiry Klarna set");
        var extension = _shop.GetOperations(expiring.Id).Single(op => op.Kind == KlarnaOperationKind.ExtendAuthorization);
        Assert.That((extension.Status, extension.Initiator), Is.EqualTo((KlarnaOperationStatus.Succeeded, KlarnaInitiator.StatusSync)));
        Assert.That((await _instance.SyncService.GetLastRunAsync()).ExpiringAuthorizations.Single().OrderId, Is.EqualTo(expiring.Id));
        Assert.That((PaymentStatus)later.PaymentStatusId, Is.EqualTo(PaymentStatus.Authorized));
    }

    [Test]
    public async Task SyncAsync_only_flags_expiring_authorizations_when_automatic_extension_is_off()
    {
        // Arrange
        _shop.Settings.AutoExtendAuthorization = false;
        await PlaceOrderAsync(expiresInDays: 1);

        // Act
        var status = await _instance.SyncService.SyncAsync();

        // Assert
        Assert.That(status.ExpiringAuthorizations, Has.Count.EqualTo(1));
        Assert.That(status.ExpiringAuthorizations[0].Extended, Is.False);
        Assert.That(_sandbox.State.CountRequests("POST", "/ordermanagement/v1/orders/*/extend-authorization-time"), Is.Zero);
    }
}
