using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Data;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// The order engine (executor and commands) with the real Klarna API client against the project's Klarna sandbox over HTTP
/// </summary>
[TestFixture]
public class KlarnaOperationExecutorSandboxTests
{
    private SandboxFixture _fixture;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _fixture = await SandboxFixture.StartAsync();
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        await _fixture.DisposeAsync();
    }

    [SetUp]
    public void SetUp()
    {
        _fixture.Reset();
    }

    private OrderManagementHarness Harness(IKlarnaApiClient client = null)
    {
        var harness = new OrderManagementHarness(client ?? _fixture.Client);
        harness.Settings.EuropePlaygroundUsername = SandboxFixture.Username;
        harness.Settings.EuropePlaygroundPassword = SandboxFixture.Password;
        harness.Settings.ApiUrlOverride = _fixture.Sandbox.BaseUri.ToString();
        return harness;
    }

    private async Task<(OrderManagementHarness Harness, Order Order, string KlarnaOrderId)> OrderAsync(IKlarnaApiClient client = null)
    {
        var harness = Harness(client);
        var cart = SandboxFixture.Cart();
        var klarnaOrderId = await _fixture.CreateOrderAsync(cart);
        var order = harness.CreateOrderFor(klarnaOrderId, cart.OrderAmount, "EUR");
        return (harness, order, klarnaOrderId);
    }

    private Task<KlarnaOrder> ReadAsync(string klarnaOrderId) => _fixture.Client.GetOrderAsync(_fixture.Credentials, klarnaOrderId);

    private static KlarnaCaptureCommand Everything(Order order, string key = null) => new() { OrderId = order.Id, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin", IdempotencyKey = key };

    [Test]
    public async Task Twenty_concurrent_captures_over_http_end_in_exactly_one_capture()
    {
        var (harness, order, klarnaOrderId) = await OrderAsync();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "delay", delay_ms = 150, times = 1 });

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => harness.Executor.ExecuteAsync(Everything(order)))));

        var klarnaOrder = await ReadAsync(klarnaOrderId);
        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.Success), Is.EqualTo(1), string.Join(" | ", results.Select(r => r.ErrorCode).Distinct()));
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
            Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(62400));
            Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That(_fixture.State.CountRequests("POST", "/ordermanagement/v1/orders/*/captures"), Is.EqualTo(1));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task A_capture_whose_answer_was_lost_stays_pending_and_the_next_click_settles_it_from_klarnas_order_without_a_second_capture()
    {
        var client = _fixture.CreateClient(options => options.MaxRetries = 0);
        var (harness, order, klarnaOrderId) = await OrderAsync(client);
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "commit_then_drop", times = 1 });

        var first = await harness.Executor.ExecuteAsync(Everything(order, Guid.NewGuid().ToString()));
        var pending = harness.OperationsOf(order).Single(op => op.Kind == KlarnaOperationKind.Capture);
        var second = await harness.Executor.ExecuteAsync(Everything(order, Guid.NewGuid().ToString()));

        var klarnaOrder = await ReadAsync(klarnaOrderId);
        var operation = harness.OperationsOf(order).Single(op => op.Kind == KlarnaOperationKind.Capture);
        Assert.Multiple(() =>
        {
            Assert.That(first.Success, Is.False);
            Assert.That(first.OutcomeUnknown, Is.True, "the answer was lost: the outcome is not known yet");
            Assert.That(pending.Status, Is.EqualTo(KlarnaOperationStatus.Pending));
            Assert.That(second.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.NothingToCapture), harness.TextOf(second));
            Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
            Assert.That(operation.KlarnaId, Is.EqualTo(klarnaOrder.Captures.Single().CaptureId));
            Assert.That(harness.NotesOf(order), Has.Some.Contains("was found in Klarna's order"));
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
            Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(62400));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task A_capture_whose_answer_was_lost_is_retried_by_the_client_with_the_same_key_and_captures_once()
    {
        var (harness, order, klarnaOrderId) = await OrderAsync();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "commit_then_drop", times = 1 });

        var result = await harness.Executor.ExecuteAsync(Everything(order));

        var klarnaOrder = await ReadAsync(klarnaOrderId);
        var posts = _fixture.State.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/captures")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Success, Is.True, harness.TextOf(result));
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
            Assert.That(posts.Select(p => p.IdempotencyKey).Distinct(), Is.EqualTo(new[] { result.Operation.IdempotencyKey }));
            Assert.That(result.Operation.KlarnaId, Is.EqualTo(klarnaOrder.Captures.Single().CaptureId));
        });
    }

    [Test]
    public async Task A_capture_carries_the_tracking_info_of_the_shipments_to_the_sandboxs_capture()
    {
        var (harness, order, klarnaOrderId) = await OrderAsync();
        var item = harness.AddOrderItem(order, Guid.NewGuid(), 1);
        harness.AddShipment(order, "00340434161094015902", true, (item, 1));

        var result = await harness.Executor.ExecuteAsync(Everything(order));

        Assert.That(result.Success, Is.True, harness.TextOf(result));
        var capture = (await ReadAsync(klarnaOrderId)).Captures.Single();
        var info = capture.ShippingInfo.Single();
        Assert.That((info.ShippingCompany, info.TrackingNumber, info.TrackingUri),
            Is.EqualTo(("DHL Paket", "00340434161094015902", "https://tracking.example/00340434161094015902")));
        var body = JObject.Parse(_fixture.State.Requests.Last(r => r.Method == "POST" && r.Path.EndsWith("/captures")).Body);
        Assert.That(body.SelectToken("shipping_info[0].tracking_number")?.Value<string>(), Is.EqualTo("00340434161094015902"));
        Assert.That(body.Value<long>("captured_amount"), Is.EqualTo(62400));
        Assert.That(((JArray)body["order_lines"]).Sum(l => l.Value<long>("total_amount")), Is.EqualTo(62400));
    }

    [Test]
    public async Task A_late_tracking_number_is_added_to_the_sandboxs_capture()
    {
        var (harness, order, klarnaOrderId) = await OrderAsync();
        var item = harness.AddOrderItem(order, Guid.NewGuid(), 1);
        var shipment = harness.AddShipment(order, null, true, (item, 1));
        await harness.Executor.ExecuteAsync(Everything(order));
        shipment.TrackingNumber = "LATE-42";

        var result = await harness.Executor.ExecuteAsync(new KlarnaShippingInfoCommand { OrderId = order.Id, ShipmentId = shipment.Id });

        Assert.That(result.Success, Is.True, harness.TextOf(result));
        var capture = (await ReadAsync(klarnaOrderId)).Captures.Single();
        Assert.That(capture.ShippingInfo.Select(s => s.TrackingNumber), Does.Contain("LATE-42"));
    }

    [Test]
    public async Task Partial_capture_refund_and_release_over_http_keep_nopcommerce_in_step_with_klarna()
    {
        var (harness, order, klarnaOrderId) = await OrderAsync();

        var capture = await harness.Executor.ExecuteAsync(new KlarnaCaptureCommand
        {
            OrderId = order.Id,
            Lines = new[] { new KlarnaLineSelection { Reference = "SHOE-1", Quantity = 1 } },
            Initiator = KlarnaInitiator.Admin
        });
        var refund = await harness.Executor.ExecuteAsync(new KlarnaRefundCommand { OrderId = order.Id, AmountMinor = 10000, Initiator = KlarnaInitiator.Admin });
        var release = await harness.Executor.ExecuteAsync(new KlarnaReleaseCommand { OrderId = order.Id, InitiatedBy = "admin" });
        var cancel = await harness.Executor.ExecuteAsync(new KlarnaCancelCommand { OrderId = order.Id, InitiatedBy = "admin" });

        var klarnaOrder = await ReadAsync(klarnaOrderId);
        Assert.Multiple(() =>
        {
            Assert.That(capture.Success && refund.Success && release.Success, Is.True, $"{capture} {refund} {release}");
            Assert.That(cancel.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.CancelNotAllowedAfterCapture));
            Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(59500));
            Assert.That(klarnaOrder.RefundedAmount, Is.EqualTo(10000));
            Assert.That(klarnaOrder.RemainingAuthorizedAmount, Is.EqualTo(0));
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded));
            Assert.That(order.RefundedAmount, Is.EqualTo(100m));
        });
    }

    #region A write and its lock (issue 13's reproduction)

    /// <summary>
    /// An engine whose Klarna requests take at most 2 s per attempt, no retry, 100 ms between attempts: its lock lives
    /// 2 s (read) + 2 s (write) + 1 s margin = 5 s
    /// </summary>
    private async Task<(OrderManagementHarness Harness, Order Order, string KlarnaOrderId)> SlowWriteOrderAsync(ExpiringLocker locker,
        Action<IServiceCollection> configureServices = null)
    {
        var client = _fixture.CreateClient(options => options.MaxRetries = 0);
        var harness = new OrderManagementHarness(client, locker, configureServices);
        harness.Settings.EuropePlaygroundUsername = SandboxFixture.Username;
        harness.Settings.EuropePlaygroundPassword = SandboxFixture.Password;
        harness.Settings.ApiUrlOverride = _fixture.Sandbox.BaseUri.ToString();
        harness.Settings.RequestTimeoutSeconds = 2;
        harness.ClientOptions.MaxRetries = 0;
        harness.ClientOptions.MaxDelay = TimeSpan.FromMilliseconds(100);
        harness.EngineOptions.LockMargin = TimeSpan.FromSeconds(1);
        harness.EngineOptions.LockWait = TimeSpan.FromMilliseconds(300);
        var cart = SandboxFixture.Cart();
        var klarnaOrderId = await _fixture.CreateOrderAsync(cart);
        return (harness, harness.CreateOrderFor(klarnaOrderId, cart.OrderAmount, "EUR"), klarnaOrderId);
    }

    /// <summary>
    /// Captures everything with a capture that Klarna takes 1.5 s to answer, and captures everything again (a new key) while
    /// the first one runs
    /// </summary>
    private async Task<(KlarnaOperationResult First, KlarnaOperationResult Second)> SecondClickDuringSlowCaptureAsync(OrderManagementHarness harness,
        Order order, TimeSpan secondAfter)
    {
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "delay", delay_ms = 1500, times = 1 });

        var first = Task.Run(() => harness.Executor.ExecuteAsync(Everything(order, Guid.NewGuid().ToString())));
        await Task.Delay(secondAfter);
        var second = await harness.Executor.ExecuteAsync(Everything(order, Guid.NewGuid().ToString()));
        return (await first, second);
    }

    [Test]
    public async Task The_lock_outlives_a_slow_write_so_a_second_click_meanwhile_is_refused_and_klarna_captures_once()
    {
        var locker = new ExpiringLocker();
        var (harness, order, klarnaOrderId) = await SlowWriteOrderAsync(locker);
        var (firstResult, second) = await SecondClickDuringSlowCaptureAsync(harness, order, TimeSpan.FromMilliseconds(600));
        var third = await harness.Executor.ExecuteAsync(Everything(order, Guid.NewGuid().ToString()));

        var klarnaOrder = await ReadAsync(klarnaOrderId);
        Assert.Multiple(() =>
        {
            Assert.That(locker.Requested.First(), Is.EqualTo(TimeSpan.FromSeconds(5)), "2 s read + 2 s write + 1 s margin");
            Assert.That(locker.ExpiredWhileHeld, Is.Zero, "no write outlived its lock");
            Assert.That(firstResult.Success, Is.True, harness.TextOf(firstResult));
            Assert.That(second.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.OrderBusy), harness.TextOf(second));
            Assert.That(third.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.NothingToCapture), harness.TextOf(third));
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
            Assert.That(_fixture.State.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/captures")), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_write_that_outlives_a_cache_lock_and_an_order_claim_that_did_not_hold_and_a_second_click_end_in_one_capture()
    {
        //issue 13: the lock expires while the capture is still at Klarna (the cache's key and the order's claim, as when the
        //holder stalled past them); the admin clicks again (a new idempotency key)
        var locker = new ExpiringLocker { MaxLifetime = TimeSpan.FromMilliseconds(300) };
        var (harness, order, klarnaOrderId) = await SlowWriteOrderAsync(locker, services => services.AddScoped<KlarnaOrderClaims, ShortClaims>());
        var (firstResult, second) = await SecondClickDuringSlowCaptureAsync(harness, order, TimeSpan.FromMilliseconds(700));
        var view = await harness.Reader.ReadAsync(order);

        var klarnaOrder = await ReadAsync(klarnaOrderId);
        var captures = harness.OperationsOf(order).Where(op => op.Kind == KlarnaOperationKind.Capture).ToList();
        var posts = _fixture.State.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/captures")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(locker.ExpiredWhileHeld, Is.EqualTo(1), "the first click's lock expired under it");
            Assert.That(second.Success, Is.False, harness.TextOf(second));
            Assert.That(second.Refusal?.Code, Is.AnyOf(KlarnaRefusalCode.NothingToCapture, KlarnaRefusalCode.EarlierOperationCompleted), harness.TextOf(second));
            Assert.That(firstResult.Success, Is.True, harness.TextOf(firstResult));
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1), "one capture");
            Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(62400));
            Assert.That(captures, Has.Count.EqualTo(1), "one operation: the second click sent the first one's request again with its key");
            Assert.That(captures.Single().Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
            Assert.That(captures.Single().KlarnaId, Is.EqualTo(klarnaOrder.Captures.Single().CaptureId));
            Assert.That(posts.Select(p => p.IdempotencyKey).Distinct(), Is.EqualTo(new[] { captures.Single().IdempotencyKey }));
            Assert.That(view.Decision.Pending, Is.Empty);
            Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
        });
    }

    [Test]
    public async Task A_cache_lock_that_did_not_hold_is_backed_by_the_orders_claim_so_a_second_click_meanwhile_is_refused()
    {
        //the cache's key expires under the capture (evicted, or asked for too short); the order's claim still holds
        var locker = new ExpiringLocker { MaxLifetime = TimeSpan.FromMilliseconds(300) };
        var (harness, order, klarnaOrderId) = await SlowWriteOrderAsync(locker);
        var (firstResult, second) = await SecondClickDuringSlowCaptureAsync(harness, order, TimeSpan.FromMilliseconds(700));

        var klarnaOrder = await ReadAsync(klarnaOrderId);
        Assert.Multiple(() =>
        {
            Assert.That(locker.Acquisitions, Is.GreaterThan(1), "the second click took the expired cache key");
            Assert.That(second.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.OrderBusy), harness.TextOf(second));
            Assert.That(firstResult.Success, Is.True, harness.TextOf(firstResult));
            Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
            Assert.That(_fixture.State.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/captures")), Is.EqualTo(1));
            Assert.That(harness.ClaimTable.Rows, Is.Empty, "the claim was given back");
        });
    }

    /// <summary>
    /// Order claims that hold at most 300 ms whatever they were asked for (as when their holder stalled past them)
    /// </summary>
    private sealed class ShortClaims : KlarnaOrderClaims
    {
        public ShortClaims(IRepository<KlarnaOrderClaim> claimRepository) : base(claimRepository)
        {
        }

        public override Task<string> TryTakeAsync(int orderId, TimeSpan expiration) =>
            base.TryTakeAsync(orderId, TimeSpan.FromMilliseconds(300));
    }

    [Test]
    public async Task A_pending_capture_klarna_still_processes_is_never_failed_by_its_age_and_a_new_capture_waits_for_it()
    {
        //the first attempt is lost (no answer) and every later attempt of its key finds Klarna busy: still unknown
        var locker = new ExpiringLocker();
        var (harness, order, klarnaOrderId) = await SlowWriteOrderAsync(locker);
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "status", status = 503, times = -1 });
        var first = await harness.Executor.ExecuteAsync(Everything(order, Guid.NewGuid().ToString()));
        harness.Time.Advance(TimeSpan.FromHours(3));

        var second = await harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, AmountMinor = 1000, IdempotencyKey = Guid.NewGuid().ToString() });

        var operations = harness.OperationsOf(order);
        Assert.Multiple(() =>
        {
            Assert.That(first.OutcomeUnknown, Is.True);
            Assert.That(second.Refusal?.Code, Is.EqualTo(KlarnaRefusalCode.OperationPending), harness.TextOf(second));
            Assert.That(operations.Single().Status, Is.EqualTo(KlarnaOperationStatus.Pending), "not failed by its age");
            Assert.That(_fixture.State.Requests.Where(r => r.Method == "POST").Select(r => r.IdempotencyKey).Distinct(),
                Is.EqualTo(new[] { operations.Single().IdempotencyKey }), "sent again only with its own key");
        });
        _fixture.State.ClearFaults();
    }

    #endregion
}
