using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// Klarna-Idempotency-Key (API.md §4): a repeat returns the first result and changes nothing, also concurrently (set to wait
/// for an attempt in flight; by default such a duplicate gets 409 CONFLICT, see SandboxHostileModesTests)
/// </summary>
[TestFixture]
public class SandboxIdempotencyTests : SandboxFixtureTestBase
{
    [Test]
    public async Task Repeated_capture_with_the_same_key_returns_the_first_capture_id_and_captures_once()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();

        // Act
        var first = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, key);
        var second = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, key);

        // Assert
        Assert.That(second, Is.EqualTo(first));
        var order = _fixture.State.GetOrder(orderId);
        Assert.That(order.Captures, Has.Count.EqualTo(1));
        Assert.That(order.CapturedAmount, Is.EqualTo(1000));
        Assert.That(_fixture.State.Requests.Last().Replayed, Is.True);
    }

    [Test]
    public async Task Repeat_with_the_same_key_and_a_different_body_ignores_the_new_body()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();
        var first = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, key);

        // Act
        var second = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 5000 }, key);

        // Assert
        Assert.That(second, Is.EqualTo(first));
        Assert.That(_fixture.State.GetOrder(orderId).CapturedAmount, Is.EqualTo(1000));
    }

    [Test]
    public async Task Two_captures_with_different_keys_capture_twice()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        var first = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, Guid.NewGuid().ToString());
        var second = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, Guid.NewGuid().ToString());

        // Assert
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(_fixture.State.GetOrder(orderId).CapturedAmount, Is.EqualTo(2000));
    }

    [Test]
    public async Task Concurrent_duplicates_with_one_key_capture_once_and_all_get_the_same_capture_id()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();
        //a duplicate that finds the first still processed waits for it (by default it gets 409 CONFLICT: SandboxHostileModesTests)
        _fixture.State.InFlightDuplicates = global::Klarna.Sandbox.SandboxOptions.InFlightWait;
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "delay", delay_ms = 50, times = 3 });

        // Act
        var ids = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Task.Run(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 700 }, key))));

        // Assert
        Assert.That(ids.Distinct().Count(), Is.EqualTo(1));
        var order = _fixture.State.GetOrder(orderId);
        Assert.That(order.Captures, Has.Count.EqualTo(1));
        Assert.That(order.CapturedAmount, Is.EqualTo(700));
        Assert.That(_fixture.State.Requests.Count(r => r.Method == "POST" && !r.Replayed), Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_refunds_with_one_key_refund_once()
    {
        // Arrange
        var (orderId, _) = await _fixture.CreateCapturedOrderAsync(10000);
        var key = Guid.NewGuid().ToString();
        _fixture.State.InFlightDuplicates = global::Klarna.Sandbox.SandboxOptions.InFlightWait;

        // Act
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 4000 }, key))));

        // Assert
        Assert.That(ids.Distinct().Count(), Is.EqualTo(1));
        Assert.That(_fixture.State.GetOrder(orderId).RefundedAmount, Is.EqualTo(4000));
    }

    [Test]
    public async Task Repeated_cancel_with_the_same_key_returns_the_first_204_and_a_new_key_gets_403()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();
        await _client.CancelOrderAsync(_credentials, orderId, key);

        // Act
        await _client.CancelOrderAsync(_credentials, orderId, key);
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CancelOrderAsync(_credentials, orderId, Guid.NewGuid().ToString()));

        // Assert
        Assert.That(exception.ErrorCode, Is.EqualTo("CANCEL_NOT_ALLOWED"));
    }

    [Test]
    public async Task A_stored_rejection_is_replayed_for_the_same_key()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();
        Assert.ThrowsAsync<KlarnaApiException>(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 99_999_999 }, key));

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, key));

        // Assert
        Assert.That(exception.ErrorCode, Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That(_fixture.State.GetOrder(orderId).Captures, Is.Empty);
    }

    [Test]
    public async Task Key_is_forgotten_after_24_hours_of_sandbox_time()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = Guid.NewGuid().ToString();
        var first = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, key);
        (await _fixture.PostControlAsync("_sandbox/clock", "{\"advance_minutes\":1441}")).EnsureSuccessStatusCode();

        // Act
        var second = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, key);

        // Assert
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(_fixture.State.GetOrder(orderId).CapturedAmount, Is.EqualTo(200));
    }
}
