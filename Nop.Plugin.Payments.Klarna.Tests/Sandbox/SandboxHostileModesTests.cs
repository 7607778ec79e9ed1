using System.Net;
using System.Text;
using Klarna.Sandbox;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// The sandbox's hostile, documentation-compatible behaviours: a retry with the same idempotency key while the first
/// attempt is still being processed (409 CONFLICT, API.md §4 and §10.2), reads that lag behind the last write, Klarna's
/// resend of a notification until it is answered 200, and what the request log tells about each write
/// </summary>
[TestFixture]
public class SandboxHostileModesTests : SandboxFixtureTestBase
{
    private IKlarnaApiClient NoRetries() => _fixture.CreateClient(options => options.MaxRetries = 0);

    [Test]
    public async Task A_retry_with_the_same_key_while_the_first_attempt_is_processed_gets_409_CONFLICT_and_nothing_twice()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "slow", delay_ms = 600, times = 1 });
        var client = NoRetries();

        // Act
        var first = client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, key);
        await WaitUntilAsync(() => _fixture.State.InFlight > 0 && _fixture.State.Requests.Any(r => r.Fault == "slow"));
        var conflict = Assert.ThrowsAsync<KlarnaApiException>(() => client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, key));
        var captureId = await first;
        var replayed = await client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, key);

        // Assert
        Assert.That(conflict.StatusCode, Is.EqualTo(409));
        Assert.That(conflict.ErrorCode, Is.EqualTo("CONFLICT"));
        Assert.That(conflict.CorrelationId, Is.Not.Empty);
        Assert.That(replayed, Is.EqualTo(captureId));
        Assert.That(_fixture.State.GetOrder(orderId).Captures, Has.Count.EqualTo(1));
        Assert.That(_fixture.State.GetOrder(orderId).CapturedAmount, Is.EqualTo(1000));
    }

    [Test]
    public async Task A_client_that_gives_up_on_a_slow_refund_and_retries_with_the_same_key_meets_409_CONFLICT_and_Klarna_refunds_once()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 5000 }, Guid.NewGuid().ToString());
        var key = Guid.NewGuid().ToString();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/refunds", kind = "slow", delay_ms = 800, times = 1 });
        var impatient = _fixture.CreateClient(options =>
        {
            options.Timeout = TimeSpan.FromMilliseconds(200);
            options.MaxRetries = 2;
            options.BaseDelay = TimeSpan.FromMilliseconds(10);
            options.MaxDelay = TimeSpan.FromMilliseconds(50);
        });

        // Act: the first attempt times out at the client while Klarna still processes it; the client's retry carries the same key
        var conflict = Assert.ThrowsAsync<KlarnaApiException>(() => impatient.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 1000 }, key));
        await WaitUntilAsync(() => _fixture.State.InFlight == 0);
        var replayed = await NoRetries().RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 1000 }, key);

        // Assert
        var attempts = _fixture.State.Requests.Where(r => r.IdempotencyKey == key).ToList();
        var order = _fixture.State.GetOrder(orderId);
        Assert.Multiple(() =>
        {
            Assert.That((conflict.StatusCode, conflict.ErrorCode), Is.EqualTo((409, "CONFLICT")), "the retry found the first attempt still in flight");
            Assert.That(attempts.Select(r => (r.Fault, r.Status, r.Replayed)), Is.EqualTo(new (string, int, bool)[] { ("slow", 201, false), (null, 409, false), (null, 201, true) }));
            Assert.That(attempts[0].ClientGaveUp, Is.True, "the client gave up on the first attempt before Klarna answered it");
            Assert.That(attempts[1].ReceivedAt, Is.LessThan(attempts[0].CompletedAt), "the retry arrived while the first attempt was processed");
            Assert.That(order.Refunds, Has.Count.EqualTo(1), "executed once");
            Assert.That(order.RefundedAmount, Is.EqualTo(1000));
            Assert.That(replayed, Is.EqualTo(attempts[0].ResultId), "the key's replay answers the first attempt's refund");
        });
    }

    [Test]
    public async Task A_commit_then_drop_with_a_processing_time_holds_its_key_meanwhile_then_does_the_write_and_drops_the_answer()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "commit_then_drop", delay_ms = 400, times = 1 });
        var client = NoRetries();

        // Act
        var first = client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1200 }, key);
        await WaitUntilAsync(() => _fixture.State.InFlight > 0 && _fixture.State.Requests.Any(r => r.Fault == "commit_then_drop"));
        var conflict = Assert.ThrowsAsync<KlarnaApiException>(() => client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1200 }, key));
        var lost = Assert.ThrowsAsync<KlarnaApiException>(() => first);
        var replayed = await client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1200 }, key);

        // Assert
        var committed = _fixture.State.Requests.Single(r => r.Fault == "commit_then_drop");
        Assert.Multiple(() =>
        {
            Assert.That((conflict.StatusCode, conflict.ErrorCode), Is.EqualTo((409, "CONFLICT")), "the key is taken while the write is processed");
            Assert.That(lost.StatusCode, Is.EqualTo(0), "the answer was dropped");
            Assert.That(committed.Outcome, Is.EqualTo("committed_then_dropped"));
            Assert.That(committed.CompletedAt - committed.ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350)), "processed for its delay first");
            Assert.That(replayed, Is.EqualTo(committed.ResultId), "the replay answers the committed capture");
            Assert.That(_fixture.State.GetOrder(orderId).Captures, Has.Count.EqualTo(1));
            Assert.That(_fixture.State.GetOrder(orderId).CapturedAmount, Is.EqualTo(1200));
        });
    }

    [Test]
    public async Task Set_to_wait_an_in_flight_duplicate_waits_for_the_first_and_gets_its_answer()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();
        (await _fixture.PostControlAsync("_sandbox/idempotency", "{\"in_flight\":\"wait\"}")).EnsureSuccessStatusCode();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "slow", delay_ms = 300, times = 1 });
        var client = NoRetries();

        // Act
        var first = client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 700 }, key);
        await WaitUntilAsync(() => _fixture.State.InFlight > 0 && _fixture.State.Requests.Any(r => r.Fault == "slow"));
        var second = await client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 700 }, key);

        // Assert
        Assert.That(second, Is.EqualTo(await first));
        Assert.That(_fixture.State.GetOrder(orderId).Captures, Has.Count.EqualTo(1));
        Assert.That(_fixture.State.Requests.Count(r => r.Replayed), Is.EqualTo(1));
    }

    [Test]
    public async Task The_idempotency_mode_is_conflict_by_default_and_refuses_unknown_modes()
    {
        // Act
        var bad = await _fixture.PostControlAsync("_sandbox/idempotency", "{\"in_flight\":\"sometimes\"}");
        var set = await _fixture.PostControlAsync("_sandbox/idempotency", "{\"in_flight\":\"conflict\"}");

        // Assert
        Assert.That(new SandboxOptions().InFlightDuplicates, Is.EqualTo(SandboxOptions.InFlightConflict));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_fixture.State.InFlightDuplicates, Is.EqualTo(SandboxOptions.InFlightConflict));
    }

    [Test]
    public async Task With_read_lag_a_read_right_after_a_write_shows_the_order_as_it_was_and_a_later_read_the_write()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        (await _fixture.PostControlAsync("_sandbox/read-lag", "{\"ms\":400}")).EnsureSuccessStatusCode();
        await _client.GetOrderAsync(_credentials, orderId);

        // Act
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1500 }, Guid.NewGuid().ToString());
        var stale = await _client.GetOrderAsync(_credentials, orderId);
        await Task.Delay(500);
        var fresh = await _client.GetOrderAsync(_credentials, orderId);

        // Assert
        Assert.That(stale.CapturedAmount, Is.EqualTo(0), "the read within the lag shows the order before the capture");
        Assert.That(stale.Status, Is.EqualTo("AUTHORIZED"));
        Assert.That(fresh.CapturedAmount, Is.EqualTo(1500), "once the lag has passed the read shows the capture");
        Assert.That(fresh.Captures, Has.Count.EqualTo(1));
        Assert.That(_fixture.State.ReadLagMs, Is.EqualTo(400));
    }

    [Test]
    public async Task With_read_lag_a_portal_change_and_an_expiry_show_after_the_lag()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        _fixture.State.ReadLagMs = 300;
        await _client.GetOrderAsync(_credentials, orderId);

        // Act
        (await _fixture.PostControlAsync($"_sandbox/orders/{orderId}/portal/capture", "{\"captured_amount\":100}")).EnsureSuccessStatusCode();
        (await _fixture.PostControlAsync($"_sandbox/orders/{orderId}/expire", "{}")).EnsureSuccessStatusCode();
        var stale = await _client.GetOrderAsync(_credentials, orderId);
        await Task.Delay(400);
        var fresh = await _client.GetOrderAsync(_credentials, orderId);

        // Assert
        Assert.That(stale.Status, Is.EqualTo("AUTHORIZED"));
        Assert.That(fresh.Status, Is.EqualTo("CLOSED"));
        Assert.That(fresh.CapturedAmount, Is.EqualTo(100));
    }

    [Test]
    public async Task Recorded_writes_carry_the_id_they_created_their_completion_and_the_in_flight_count_returns_to_zero()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        var captureId = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 2000 }, Guid.NewGuid().ToString());
        var refundId = await _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 500 }, Guid.NewGuid().ToString());

        // Assert
        var writes = _fixture.State.Requests.Where(r => r.Method == "POST").ToList();
        Assert.That(writes.Select(r => r.ResultId), Is.EqualTo(new[] { captureId, refundId }));
        Assert.That(writes.Select(r => r.CompletedAt >= r.ReceivedAt), Has.All.True, "each write records when it was completed");
        Assert.That(_fixture.State.InFlight, Is.EqualTo(0));
    }

    [Test]
    public async Task A_delayed_request_the_client_gave_up_on_is_recorded_as_abandoned_and_one_it_waited_for_is_not()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var impatient = _fixture.CreateClient(options =>
        {
            options.MaxRetries = 0;
            options.Timeout = TimeSpan.FromMilliseconds(150);
        });
        await _fixture.AddFaultAsync(new { method = "GET", path_pattern = "/ordermanagement/v1/orders/*", kind = "delay", delay_ms = 600, times = 1 });
        await _fixture.AddFaultAsync(new { method = "GET", path_pattern = "/ordermanagement/v1/orders/*", kind = "delay", delay_ms = 100, times = 1 });

        // Act
        var timedOut = Assert.ThrowsAsync<KlarnaApiException>(() => impatient.GetOrderAsync(_credentials, orderId));
        await WaitUntilAsync(() => _fixture.State.InFlight == 0);
        var patient = await NoRetries().GetOrderAsync(_credentials, orderId);

        // Assert
        var delayed = _fixture.State.Requests.Where(r => r.Fault == "delay").ToList();
        Assert.That(timedOut.ErrorCode, Is.EqualTo("TIMEOUT"));
        Assert.That(patient.OrderId, Is.EqualTo(orderId));
        Assert.That(delayed.Select(r => r.ClientGaveUp), Is.EqualTo(new[] { true, false }), "the first was abandoned at the client's timeout, the second answered");
        Assert.That(delayed.Select(r => r.Outcome), Has.All.EqualTo("answered"), "the sandbox processed both");
    }

    [Test]
    public async Task Klarna_stops_resending_after_its_last_attempt()
    {
        // Arrange
        await using var sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions
        {
            Username = SandboxFixture.Username,
            Password = SandboxFixture.Password,
            NotificationRetryDelays = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)]
        });
        using var control = sandbox.CreateControlClient();
        var port = LocalPorts.Free();
        var cart = JObject.FromObject(SandboxFixture.Cart(), Newtonsoft.Json.JsonSerializer.Create(new Newtonsoft.Json.JsonSerializerSettings { NullValueHandling = Newtonsoft.Json.NullValueHandling.Ignore }));
        cart["merchant_urls"] = new JObject { ["notification"] = $"http://127.0.0.1:{port}/nobody-listens" };
        var created = await control.PostAsync("_sandbox/orders", new StringContent(cart.ToString(), Encoding.UTF8, "application/json"));
        var orderId = JObject.Parse(await created.Content.ReadAsStringAsync()).Value<string>("order_id");

        // Act
        await control.PostAsync($"_sandbox/orders/{orderId}/fraud-decision", new StringContent("{\"fraud_status\":\"STOPPED\",\"notify\":true}", Encoding.UTF8, "application/json"));
        await WaitUntilAsync(() => sandbox.State.Notifier.Deliveries.Count(n => n.OrderId == orderId) >= 3);
        await Task.Delay(200);

        // Assert
        Assert.That(sandbox.State.Notifier.Deliveries.Count(n => n.OrderId == orderId), Is.EqualTo(3), "the first attempt and one resend per delay");
        Assert.That(sandbox.State.Notifier.Deliveries.Where(n => n.OrderId == orderId).Select(n => n.Status), Has.All.Null, "nobody answered");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
                Assert.Fail("the sandbox did not reach the expected state within 10 s");
            await Task.Delay(5);
        }
    }
}
