using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// Order Management rules and error codes (API.md §8, §9, §10.2): the sandbox answers like Klarna and the client surfaces
/// KlarnaApiException with Klarna's status, code and correlation id
/// </summary>
[TestFixture]
public class SandboxOrderManagementTests : SandboxOrderManagementTestBase
{
    private async Task<string> CancelledOrderAsync()
    {
        var orderId = await _fixture.CreateOrderAsync();
        await _client.CancelOrderAsync(_credentials, orderId, Key());
        return orderId;
    }

    private async Task<string> ExpiredOrderAsync()
    {
        var orderId = await _fixture.CreateOrderAsync();
        (await _fixture.PostControlAsync($"_sandbox/orders/{orderId}/expire", "{}")).EnsureSuccessStatusCode();
        return orderId;
    }

    [Test]
    public async Task Capture_above_the_remaining_amount_is_403_CAPTURE_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(60000);

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 2401 }, Key()),
            403, "CAPTURE_NOT_ALLOWED", "higher than the remaining authorized amount");
        Assert.That(_fixture.State.GetOrder(orderId).CapturedAmount, Is.EqualTo(60000));
    }

    [Test]
    public async Task Capture_on_a_fully_captured_order_is_403_CAPTURE_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(62400);

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1 }, Key()), 403, "CAPTURE_NOT_ALLOWED");
    }

    [Test]
    public async Task Capture_on_a_cancelled_order_is_403_CAPTURE_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CancelledOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, Key()), 403, "CAPTURE_NOT_ALLOWED", "cancelled");
    }

    [Test]
    public async Task Capture_on_an_expired_order_is_403_CAPTURE_NOT_ALLOWED_and_the_order_is_EXPIRED()
    {
        // Arrange
        var orderId = await ExpiredOrderAsync();

        // Act
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, Key()), 403, "CAPTURE_NOT_ALLOWED", "is expired. Capture not possible.");
        var order = await _client.GetOrderAsync(_credentials, orderId);

        // Assert
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Expired));
        Assert.That(order.RemainingAuthorizedAmount, Is.Zero);
    }

    [Test]
    public async Task Capture_on_a_closed_order_is_403_CAPTURE_NOT_ALLOWED_but_refunds_stay_possible()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(1000);
        (await _fixture.PostControlAsync($"_sandbox/orders/{orderId}/expire", "{}")).EnsureSuccessStatusCode();

        // Act
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, Key()), 403, "CAPTURE_NOT_ALLOWED", "closed");
        await _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 1000 }, Key());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Closed));
        Assert.That(order.RefundedAmount, Is.EqualTo(1000));
    }

    [TestCase(0L)]
    [TestCase(-5L)]
    [TestCase(200_000_001L)]
    public async Task Capture_with_an_invalid_amount_is_400_BAD_VALUE(long amount)
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = amount }, Key()), 400, "BAD_VALUE", "Bad value: captured_amount");
    }

    [Test]
    public async Task Capture_lines_that_do_not_add_up_to_the_captured_amount_are_400_BAD_VALUE()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var lines = new List<KlarnaOrderLine> { SandboxFixture.Line("Shoes", 1, 59500, 2000) };

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 62400, OrderLines = lines }, Key()),
            400, "BAD_VALUE", "Bad value: captured_amount");
        Assert.That(_fixture.State.GetOrder(orderId).Captures, Is.Empty);
    }

    [Test]
    public async Task Capture_line_with_a_wrong_total_is_400_BAD_VALUE_naming_the_line()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var line = SandboxFixture.Line("Shoes", 2, 1000, 2000);
        line.TotalAmount = 1999;
        line.TotalTaxAmount = 333;

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1999, OrderLines = [line] }, Key()),
            400, "BAD_VALUE", "Bad value: order_lines[0].total_amount");
    }

    [Test]
    public async Task Refund_lines_are_allocated_to_the_captures_that_hold_their_reference()
    {
        // Arrange: the shoes were captured first, the shipping later; then the shipping is refunded
        var orderId = await _fixture.CreateOrderAsync();
        var shoes = SandboxFixture.Cart().OrderLines[0];
        var shipping = SandboxFixture.Cart().OrderLines[1];
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = shoes.TotalAmount, OrderLines = [shoes] }, Key());
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = shipping.TotalAmount, OrderLines = [shipping] }, Key());

        // Act
        await _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = shipping.TotalAmount, OrderLines = [shipping] }, Key());

        // Assert
        var captures = (await _client.GetOrderAsync(_credentials, orderId)).Captures;
        Assert.That(captures.Select(c => c.RefundedAmount), Is.EqualTo(new[] { 0L, shipping.TotalAmount }));
    }

    [Test]
    public async Task A_refund_without_lines_is_allocated_to_the_oldest_captures_first()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1000 }, Key());
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 2000 }, Key());

        // Act
        await _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 1500 }, Key());

        // Assert
        var captures = (await _client.GetOrderAsync(_credentials, orderId)).Captures;
        Assert.That(captures.Select(c => c.RefundedAmount), Is.EqualTo(new[] { 1000L, 500L }));
    }

    [Test]
    public async Task Refund_line_with_a_wrong_tax_is_400_BAD_VALUE_naming_the_line()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(10000);
        var good = SandboxFixture.Line("A", 1, 1000, 2500);
        var bad = SandboxFixture.Line("B", 1, 1000, 2500);
        bad.TotalTaxAmount += 2;

        // Act & Assert
        AssertKlarnaError(() => _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 2000, OrderLines = [good, bad] }, Key()),
            400, "BAD_VALUE", "Bad value: order_lines[1].total_tax_amount");
    }

    [Test]
    public async Task Capture_line_whose_tax_is_more_than_one_minor_unit_from_the_exact_tax_of_its_total_is_400_BAD_VALUE()
    {
        // Arrange: a part of a line, 101 at 25 %: the exact tax is 20.2, so 22 is 1.8 away
        var orderId = await _fixture.CreateOrderAsync();
        var part = SandboxFixture.Line("Shoes", 1, 101, 2500);
        part.TotalTaxAmount = 22;

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 101, OrderLines = [part] }, Key()),
            400, "BAD_VALUE", "Bad value: order_lines[0].total_tax_amount");
        Assert.That(_fixture.State.GetOrder(orderId).Captures, Is.Empty);
    }

    [Test]
    public async Task Request_body_larger_than_1_MB_is_413_REQUEST_TOO_LARGE()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100, Description = new string('x', 1_100_000) }, Key()),
            413, "REQUEST_TOO_LARGE");
    }

    [Test]
    public async Task Cancel_after_a_capture_is_403_CANCEL_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(100);

        // Act & Assert
        AssertKlarnaError(() => _client.CancelOrderAsync(_credentials, orderId, Key()), 403, "CANCEL_NOT_ALLOWED", "Order has previous captures. Cancel not possible");
        Assert.That(_fixture.State.GetOrder(orderId).Status, Is.EqualTo(KlarnaOrderStatus.PartCaptured));
    }

    [Test]
    public async Task Cancel_of_a_cancelled_or_expired_order_is_403_CANCEL_NOT_ALLOWED()
    {
        // Arrange
        var cancelled = await CancelledOrderAsync();
        var expired = await ExpiredOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.CancelOrderAsync(_credentials, cancelled, Key()), 403, "CANCEL_NOT_ALLOWED");
        AssertKlarnaError(() => _client.CancelOrderAsync(_credentials, expired, Key()), 403, "CANCEL_NOT_ALLOWED");
    }

    [Test]
    public async Task Refund_without_captures_is_403_REFUND_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 100 }, Key()),
            403, "REFUND_NOT_ALLOWED", "Order has no captures. Refund not possible");
    }

    [Test]
    public async Task Refund_above_captured_minus_refunded_is_403_REFUND_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(5000);
        await _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 3000 }, Key());

        // Act & Assert
        AssertKlarnaError(() => _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 2001 }, Key()), 403, "REFUND_NOT_ALLOWED");
        await _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 2000 }, Key());
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.RefundedAmount, Is.EqualTo(5000));
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.PartCaptured), "refunds never change the status");
    }

    [Test]
    public async Task Refunds_on_a_captured_order_keep_status_CAPTURED()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(62400);

        // Act
        await _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 62400 }, Key());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
        Assert.That(order.RefundedAmount, Is.EqualTo(order.CapturedAmount));
    }

    [TestCase("authorized", "no captures")]
    [TestCase("captured", "fully captured")]
    [TestCase("cancelled", "cancelled")]
    [TestCase("expired", "expired")]
    public async Task Release_remaining_authorization_is_403_NOT_ALLOWED_unless_part_captured(string state, string messagePart)
    {
        // Arrange
        var orderId = state switch
        {
            "captured" => await CapturedOrderAsync(62400),
            "cancelled" => await CancelledOrderAsync(),
            "expired" => await ExpiredOrderAsync(),
            _ => await _fixture.CreateOrderAsync()
        };

        // Act & Assert
        AssertKlarnaError(() => _client.ReleaseRemainingAuthorizationAsync(_credentials, orderId, Key()), 403, "NOT_ALLOWED", messagePart);
    }

    [TestCase("cancelled")]
    [TestCase("expired")]
    [TestCase("captured")]
    public async Task Extend_authorization_time_is_403_NOT_ALLOWED_for_finished_orders(string state)
    {
        // Arrange
        var orderId = state switch
        {
            "captured" => await CapturedOrderAsync(62400),
            "cancelled" => await CancelledOrderAsync(),
            _ => await ExpiredOrderAsync()
        };

        // Act & Assert
        AssertKlarnaError(() => _client.ExtendAuthorizationTimeAsync(_credentials, orderId, Key()), 403, "NOT_ALLOWED");
    }

    [Test]
    public async Task Update_authorization_below_the_captured_amount_is_403_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(8000);

        // Act & Assert
        AssertKlarnaError(() => _client.UpdateAuthorizationAsync(_credentials, orderId, new KlarnaUpdateAuthorizationRequest { OrderAmount = 7000 }, Key()),
            403, "NOT_ALLOWED", "Resulting authorization amount 7000 cannot be less than the captured amount 8000");
    }

    [Test]
    public async Task Update_authorization_of_a_captured_order_is_403_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(62400);

        // Act & Assert
        AssertKlarnaError(() => _client.UpdateAuthorizationAsync(_credentials, orderId, new KlarnaUpdateAuthorizationRequest { OrderAmount = 70000 }, Key()), 403, "NOT_ALLOWED");
    }

    [Test]
    public async Task Update_authorization_with_lines_that_do_not_add_up_is_400_BAD_VALUE()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.UpdateAuthorizationAsync(_credentials, orderId,
            new KlarnaUpdateAuthorizationRequest { OrderAmount = 5000, OrderLines = [SandboxFixture.Line("A", 1, 4000)] }, Key()), 400, "BAD_VALUE", "Bad value: order_amount");
    }

    [Test]
    public async Task Update_authorization_on_a_part_captured_order_keeps_remaining_consistent()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(2900);

        // Act
        await _client.UpdateAuthorizationAsync(_credentials, orderId, new KlarnaUpdateAuthorizationRequest
        {
            OrderAmount = 2900,
            OrderLines = [SandboxFixture.Line("Shipping", 1, 2900, 2000, type: KlarnaOrderLineType.ShippingFee)]
        }, Key());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.RemainingAuthorizedAmount, Is.Zero);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
    }

    [Test]
    public async Task Merchant_references_on_a_cancelled_order_are_403_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CancelledOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.UpdateMerchantReferencesAsync(_credentials, orderId, "1", null, Key()), 403, "NOT_ALLOWED");
    }

    [Test]
    public async Task Merchant_reference_longer_than_255_characters_is_422_UNPROCESSABLE_ENTITY()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.UpdateMerchantReferencesAsync(_credentials, orderId, new string('r', 256), null, Key()), 422, "UNPROCESSABLE_ENTITY", "merchant_reference1");
    }

    [Test]
    public async Task Acknowledge_of_a_cancelled_order_is_403_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await CancelledOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.AcknowledgeAsync(_credentials, orderId, Key()), 403, "NOT_ALLOWED");
    }

    [Test]
    public async Task Unknown_capture_is_404_NO_SUCH_CAPTURE()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.GetCaptureAsync(_credentials, orderId, "missing"), 404, "NO_SUCH_CAPTURE");
    }

    [Test]
    public async Task Unknown_refund_is_404_NOT_FOUND()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.GetRefundAsync(_credentials, orderId, "missing"), 404, "NOT_FOUND");
    }

    [Test]
    public void Unknown_order_is_404_NO_SUCH_ORDER_and_404_NOT_FOUND_on_refund_endpoints()
    {
        // Act & Assert
        AssertKlarnaError(() => _client.GetOrderAsync(_credentials, "no-such-order"), 404, "NO_SUCH_ORDER", "Order no-such-order cannot be found");
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, "no-such-order", new KlarnaCaptureRequest { CapturedAmount = 1 }, Key()), 404, "NO_SUCH_ORDER");
        AssertKlarnaError(() => _client.ListCapturesAsync(_credentials, "no-such-order"), 404, "NO_SUCH_ORDER");
        AssertKlarnaError(() => _client.CancelOrderAsync(_credentials, "no-such-order", Key()), 404, "NO_SUCH_ORDER");
        AssertKlarnaError(() => _client.RefundAsync(_credentials, "no-such-order", new KlarnaRefundRequest { RefundedAmount = 1 }, Key()), 404, "NOT_FOUND");
        AssertKlarnaError(() => _client.GetRefundAsync(_credentials, "no-such-order", "r"), 404, "NOT_FOUND");
    }

    [Test]
    public void Wrong_credentials_are_401_with_klarna_singular_error_message()
    {
        // Arrange
        var wrong = new KlarnaCredentials { Username = "someone", Password = "else", BaseUrlOverride = _fixture.Sandbox.BaseUri.ToString() };

        // Act & Assert
        AssertKlarnaError(() => _client.GetOrderAsync(wrong, "x"), 401, "PERMISSION_DENIED", "Authentication failed or permission not granted");
    }

    [Test]
    public async Task Injected_409_surfaces_as_CONFLICT()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "status", status = 409, times = 1 });

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 1 }, Key()), 409, "CONFLICT");
        Assert.That(_fixture.State.GetOrder(orderId).Captures, Is.Empty);
    }

    [Test]
    public async Task Injected_403_PAYMENT_METHOD_FAILED_on_capture_surfaces_and_captures_nothing()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/ordermanagement/v1/orders/*/captures", kind = "status", status = 403, error_code = "PAYMENT_METHOD_FAILED", message = "Charge failed" });

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, Key()), 403, "PAYMENT_METHOD_FAILED", "Charge failed");
        Assert.That(_fixture.State.GetOrder(orderId).Captures, Is.Empty);
        Assert.That(_fixture.State.CountRequests("POST", "/ordermanagement/v1/orders/*/captures"), Is.EqualTo(1));
    }

    [Test]
    public async Task Extend_authorization_beyond_180_days_after_purchase_is_403_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync(expiresInDays: 200);
        (await _fixture.PostControlAsync("_sandbox/clock", "{\"advance_minutes\":" + (160 * 24 * 60) + "}")).EnsureSuccessStatusCode();

        // Act & Assert
        AssertKlarnaError(() => _client.ExtendAuthorizationTimeAsync(_credentials, orderId, Key()), 403, "NOT_ALLOWED", "180 days");
    }
}
