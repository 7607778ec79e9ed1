using System.Net;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

/// <summary>
/// Timeouts and retries: transient failures are retried only for reads and keyed writes (asserted on the sandbox request log)
/// </summary>
[TestFixture]
public class KlarnaApiClientResilienceTests : SandboxFixtureTestBase
{
    private string OrderPath(string orderId, string suffix = "") => $"/ordermanagement/v1/orders/{orderId}{suffix}";

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(504)]
    [TestCase(408)]
    public async Task GetOrderAsync_retries_transient_statuses_and_returns_the_order(int status)
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", path_pattern = "/ordermanagement/v1/orders/*", kind = "status", status, times = 2 });

        // Act
        var order = await _client.GetOrderAsync(_credentials, orderId);

        // Assert
        Assert.That(order.OrderId, Is.EqualTo(orderId));
        Assert.That(_fixture.State.CountRequests("GET", OrderPath(orderId)), Is.EqualTo(3));
    }

    [Test]
    public async Task GetOrderAsync_retries_a_dropped_connection()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { path_pattern = "/ordermanagement/v1/orders/*", kind = "drop", times = 1 });

        // Act
        var order = await _client.GetOrderAsync(_credentials, orderId);

        // Assert
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Authorized));
        Assert.That(_fixture.State.Requests.Select(r => r.Outcome), Is.EqualTo(new[] { "dropped", "answered" }));
    }

    [Test]
    public async Task GetOrderAsync_retries_after_a_timeout()
    {
        // Arrange
        var client = _fixture.CreateClient(options => options.Timeout = TimeSpan.FromMilliseconds(300));
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", path_pattern = "/ordermanagement/v1/orders/*", kind = "delay", delay_ms = 1500, times = 1 });

        // Act
        var order = await client.GetOrderAsync(_credentials, orderId);

        // Assert
        Assert.That(order.OrderId, Is.EqualTo(orderId));
        Assert.That(_fixture.State.CountRequests("GET", OrderPath(orderId)), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task The_timeout_carried_by_the_credentials_replaces_the_default_for_each_attempt()
    {
        // Arrange: a generous default, but the shop's setting (carried by the credentials) allows 300 ms per attempt
        var client = _fixture.CreateClient(options => { options.Timeout = TimeSpan.FromSeconds(30); options.MaxRetries = 0; });
        var credentials = new KlarnaCredentials
        {
            Username = _credentials.Username,
            Password = _credentials.Password,
            BaseUrlOverride = _credentials.BaseUrlOverride,
            Timeout = TimeSpan.FromMilliseconds(300)
        };
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", path_pattern = "/ordermanagement/v1/orders/*", kind = "delay", delay_ms = 3000, times = 1 });

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => client.GetOrderAsync(credentials, orderId));

        // Assert
        Assert.That(exception.StatusCode, Is.Zero);
        Assert.That(exception.ErrorCode, Is.EqualTo("TIMEOUT"));
        Assert.That(exception.IsTransient, Is.True);
    }

    [Test]
    public async Task GetOrderAsync_honours_retry_after_on_429()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", path_pattern = "/ordermanagement/v1/orders/*", kind = "rate_limit", retry_after_seconds = 1, times = 1 });

        // Act
        var order = await _client.GetOrderAsync(_credentials, orderId);

        // Assert
        Assert.That(order.OrderId, Is.EqualTo(orderId));
        var requests = _fixture.State.Requests;
        Assert.That(requests.Select(r => r.Status), Is.EqualTo(new[] { 429, 200 }));
        Assert.That(requests[1].ReceivedAt - requests[0].ReceivedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)));
    }

    [Test]
    public async Task GetOrderAsync_does_not_retry_when_retry_after_is_longer_than_MaxDelay()
    {
        // Arrange
        var client = _fixture.CreateClient(options => options.MaxDelay = TimeSpan.FromSeconds(5));
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", path_pattern = "/ordermanagement/v1/orders/*", kind = "rate_limit", retry_after_seconds = 3600, times = 1 });

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => client.GetOrderAsync(_credentials, orderId));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(429));
        Assert.That(exception.ErrorCode, Is.EqualTo("TOO_MANY_REQUESTS"));
        Assert.That(exception.IsTransient, Is.True);
        Assert.That(_fixture.State.CountRequests("GET", OrderPath(orderId)), Is.EqualTo(1));
    }

    [Test]
    public async Task CaptureAsync_retries_503_with_the_same_key_and_captures_once()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "status", status = 503, times = 1 });
        var key = Guid.NewGuid().ToString();

        // Act
        var captureId = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, key);

        // Assert
        var posts = _fixture.State.Requests.Where(r => r.Method == "POST").ToList();
        Assert.That(posts.Select(r => r.Status), Is.EqualTo(new[] { 503, 201 }));
        Assert.That(posts.Select(r => r.IdempotencyKey), Is.All.EqualTo(key));
        Assert.That(_fixture.State.GetOrder(orderId).Captures.Single().CaptureId, Is.EqualTo(captureId));
    }

    [Test]
    public async Task CaptureAsync_after_commit_then_drop_retries_with_the_same_key_and_gets_the_first_capture()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "commit_then_drop", times = 1 });

        // Act
        var captureId = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, Guid.NewGuid().ToString());

        // Assert
        var order = _fixture.State.GetOrder(orderId);
        Assert.That(order.Captures, Has.Count.EqualTo(1));
        Assert.That(order.CapturedAmount, Is.EqualTo(1000));
        Assert.That(captureId, Is.EqualTo(order.Captures[0].CaptureId));
        var posts = _fixture.State.Requests.Where(r => r.Method == "POST").ToList();
        Assert.That(posts.Select(r => r.Outcome), Is.EqualTo(new[] { "committed_then_dropped", "answered" }));
        Assert.That(posts[1].Replayed, Is.True);
    }

    [Test]
    public async Task RefundAsync_after_a_timeout_retries_with_the_same_key_and_refunds_once()
    {
        // Arrange
        var client = _fixture.CreateClient(options => options.Timeout = TimeSpan.FromMilliseconds(300));
        var (orderId, _) = await _fixture.CreateCapturedOrderAsync(5000);
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/refunds", kind = "delay", delay_ms = 600, times = 1 });

        // Act
        var refundId = await client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 1000 }, Guid.NewGuid().ToString());

        // Assert
        await Task.Delay(500);
        var order = _fixture.State.GetOrder(orderId);
        Assert.That(order.Refunds, Has.Count.EqualTo(1));
        Assert.That(order.RefundedAmount, Is.EqualTo(1000));
        Assert.That(refundId, Is.EqualTo(order.Refunds[0].RefundId));
        Assert.That(_fixture.State.CountRequests("POST", OrderPath(orderId, "/refunds")), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task CancelOrderAsync_retries_429_with_the_same_key()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/cancel", kind = "rate_limit", retry_after_seconds = 0, times = 1 });

        // Act
        await _client.CancelOrderAsync(_credentials, orderId, Guid.NewGuid().ToString());

        // Assert
        Assert.That(_fixture.State.GetOrder(orderId).Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
        Assert.That(_fixture.State.CountRequests("POST", OrderPath(orderId, "/cancel")), Is.EqualTo(2));
    }

    [Test]
    public async Task CreateSessionAsync_is_never_retried_on_503()
    {
        // Arrange
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/payments/v1/sessions", kind = "status", status = 503, times = 1 });

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateSessionAsync(_credentials, SandboxFixture.Cart()));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(503));
        Assert.That(exception.ErrorCode, Is.EqualTo("TEMPORARILY_UNAVAILABLE"));
        Assert.That(exception.IsTransient, Is.True);
        Assert.That(_fixture.State.CountRequests("POST", "/payments/v1/sessions"), Is.EqualTo(1));
        await Task.CompletedTask;
    }

    [Test]
    public async Task CreateOrderAsync_is_never_retried_after_commit_then_drop()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        var session = await _client.CreateSessionAsync(_credentials, cart);
        var token = await _fixture.AuthorizeAsync(session.SessionId);
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/payments/v1/authorizations/*/order", kind = "commit_then_drop", times = 1 });

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, cart));

        // Assert
        Assert.That(exception.StatusCode, Is.Zero);
        Assert.That(exception.ErrorCode, Is.EqualTo("TRANSPORT_ERROR"));
        Assert.That(exception.IsTransient, Is.True);
        Assert.That(_fixture.State.CountRequests("POST", "/payments/v1/authorizations/*/order"), Is.EqualTo(1));
        Assert.That(_fixture.State.GetOrders(), Has.Count.EqualTo(1), "the order exists although the caller saw a failure");
    }

    [Test]
    public async Task UpdateSessionAsync_is_never_retried_after_a_timeout()
    {
        // Arrange
        var client = _fixture.CreateClient(options => options.Timeout = TimeSpan.FromMilliseconds(200));
        var session = await _client.CreateSessionAsync(_credentials, SandboxFixture.Cart());
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/payments/v1/sessions/*", kind = "delay", delay_ms = 800, times = 1 });

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => client.UpdateSessionAsync(_credentials, session.SessionId, SandboxFixture.Cart()));

        // Assert
        Assert.That(exception.StatusCode, Is.Zero);
        Assert.That(exception.ErrorCode, Is.EqualTo("TIMEOUT"));
        Assert.That(_fixture.State.CountRequests("POST", "/payments/v1/sessions/*"), Is.EqualTo(1));
    }

    [Test]
    public async Task CaptureAsync_is_not_retried_on_a_403()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() =>
            _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 999999 }, Guid.NewGuid().ToString()));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(403));
        Assert.That(exception.IsTransient, Is.False);
        Assert.That(_fixture.State.CountRequests("POST", OrderPath(orderId, "/captures")), Is.EqualTo(1));
    }

    [Test]
    public async Task GetOrderAsync_gives_up_after_MaxRetries_with_the_last_status()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", kind = "status", status = 500, times = -1 });

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.GetOrderAsync(_credentials, orderId));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(500));
        Assert.That(exception.ErrorCode, Is.EqualTo("INTERNAL_SERVER_ERROR"));
        Assert.That(exception.IsTransient, Is.True);
        Assert.That(_fixture.State.CountRequests("GET", OrderPath(orderId)), Is.EqualTo(4));
    }

    [Test]
    public async Task GetOrderAsync_reports_TIMEOUT_with_status_zero_when_no_attempt_answers()
    {
        // Arrange
        var client = _fixture.CreateClient(options =>
        {
            options.Timeout = TimeSpan.FromMilliseconds(200);
            options.MaxRetries = 1;
        });
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", kind = "delay", delay_ms = 700, times = -1 });

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => client.GetOrderAsync(_credentials, orderId));

        // Assert
        Assert.That(exception.StatusCode, Is.Zero);
        Assert.That(exception.ErrorCode, Is.EqualTo("TIMEOUT"));
        Assert.That(exception.IsTransient, Is.True);
        Assert.That(_fixture.State.CountRequests("GET", OrderPath(orderId)), Is.EqualTo(2));
    }

    [Test]
    public void GetOrderAsync_reports_TRANSPORT_ERROR_when_nothing_listens()
    {
        // Arrange
        var port = LocalPorts.Free();
        var client = _fixture.CreateClient(options => options.MaxRetries = 1);
        var credentials = new KlarnaCredentials { Username = "u", Password = "p", BaseUrlOverride = $"http://127.0.0.1:{port}/" };

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => client.GetOrderAsync(credentials, "order-1"));

        // Assert
        Assert.That(exception.StatusCode, Is.Zero);
        Assert.That(exception.ErrorCode, Is.EqualTo("TRANSPORT_ERROR"));
        Assert.That(exception.CorrelationId, Is.Null);
    }

    [Test]
    public async Task Caller_cancellation_surfaces_as_OperationCanceledException_without_retries()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "GET", kind = "delay", delay_ms = 1000, times = 1 });
        using var cancellation = new CancellationTokenSource();

        // Act
        var call = _client.GetOrderAsync(_credentials, orderId, cancellation.Token);
        while (_fixture.State.CountRequests("GET", OrderPath(orderId)) == 0)
            await Task.Delay(10);
        cancellation.Cancel();

        // Assert
        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_fixture.State.CountRequests("GET", OrderPath(orderId)), Is.EqualTo(1));
    }

    [Test]
    public void IsSafeToRepeat_accepts_reads_and_keyed_writes_only()
    {
        // Arrange
        var get = new HttpRequestMessage(HttpMethod.Get, "http://x/");
        var keyed = new HttpRequestMessage(HttpMethod.Post, "http://x/");
        keyed.Headers.Add("Klarna-Idempotency-Key", "k");
        var unkeyed = new HttpRequestMessage(HttpMethod.Post, "http://x/");
        var delete = new HttpRequestMessage(HttpMethod.Delete, "http://x/");

        // Act & Assert
        Assert.That(KlarnaApiServiceCollectionExtensions.IsSafeToRepeat(get), Is.True);
        Assert.That(KlarnaApiServiceCollectionExtensions.IsSafeToRepeat(keyed), Is.True);
        Assert.That(KlarnaApiServiceCollectionExtensions.IsSafeToRepeat(unkeyed), Is.False);
        Assert.That(KlarnaApiServiceCollectionExtensions.IsSafeToRepeat(delete), Is.False);
    }
}
