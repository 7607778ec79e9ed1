using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Api;

/// <summary>
/// Every client operation against the sandbox over real HTTP on 127.0.0.1
/// </summary>
[TestFixture]
public class KlarnaApiClientTests : SandboxFixtureTestBase
{
    private static string NewKey() => Guid.NewGuid().ToString();

    [Test]
    public async Task CreateSessionAsync_returns_session_id_client_token_and_categories()
    {
        // Arrange
        var cart = SandboxFixture.Cart();

        // Act
        var session = await _client.CreateSessionAsync(_credentials, cart);

        // Assert
        Assert.That(session.SessionId, Is.Not.Empty);
        Assert.That(session.ClientToken.Split('.'), Has.Length.EqualTo(3));
        Assert.That(session.PaymentMethodCategories.Select(c => c.Identifier), Does.Contain("klarna"));
        Assert.That(session.PaymentMethodCategories[0].AssetUrls.Standard, Does.StartWith(_fixture.Sandbox.BaseUri.ToString()));
    }

    [Test]
    public async Task CreateSessionAsync_sends_accept_user_agent_and_snake_case_minor_unit_json()
    {
        // Arrange
        var cart = SandboxFixture.Cart();

        // Act
        await _client.CreateSessionAsync(_credentials, cart);

        // Assert
        var request = _fixture.State.Requests.Single();
        Assert.That(request.Method, Is.EqualTo("POST"));
        Assert.That(request.Path, Is.EqualTo("/payments/v1/sessions"));
        Assert.That(request.Headers["Accept"], Is.EqualTo("application/json"));
        Assert.That(request.Headers["Content-Type"], Does.StartWith("application/json"));
        Assert.That(request.Headers["User-Agent"], Does.Match(@"^Platform/nopCommerce_4\.90 Module/Nop\.Plugin\.Payments\.Klarna_\d+\.\d+\.\d+\.\d+ Language/\.NET_\d+\.\d+\.\d+ OS/\S+$"));
        Assert.That(request.Headers["Authorization"], Is.EqualTo("Basic ***"));
        Assert.That(request.Headers.ContainsKey("Klarna-Idempotency-Key"), Is.False);
        var body = JObject.Parse(request.Body);
        Assert.That(body.Value<long>("order_amount"), Is.EqualTo(62400));
        Assert.That(body.Value<long>("order_tax_amount"), Is.EqualTo(10400));
        Assert.That(body["order_lines"]![0]!.Value<int>("tax_rate"), Is.EqualTo(2000));
        Assert.That(body["order_lines"]![0]!.Value<long>("total_tax_amount"), Is.EqualTo(9917));
        Assert.That(body.Property("merchant_urls"), Is.Null, "nulls are not sent");
    }

    [Test]
    public async Task UpdateSessionAsync_replaces_the_cart_and_GetSessionAsync_reads_it()
    {
        // Arrange
        var session = await _client.CreateSessionAsync(_credentials, SandboxFixture.Cart());
        var updated = SandboxFixture.Cart(SandboxFixture.Line("Hat", 2, 1000, 2500));

        // Act
        await _client.UpdateSessionAsync(_credentials, session.SessionId, updated);
        var read = await _client.GetSessionAsync(_credentials, session.SessionId);

        // Assert
        Assert.That(read.SessionId, Is.EqualTo(session.SessionId));
        Assert.That(read.Status, Is.EqualTo("incomplete"));
        Assert.That(read.OrderAmount, Is.EqualTo(2000));
        Assert.That(read.OrderLines.Single().Name, Is.EqualTo("Hat"));
        Assert.That(read.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow.AddHours(47)));
        Assert.That(_fixture.State.Requests.Select(r => r.Method + " " + r.Path), Does.Contain($"POST /payments/v1/sessions/{session.SessionId}"));
    }

    [Test]
    public async Task CreateOrderAsync_turns_an_authorized_session_into_an_authorized_order()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        cart.MerchantUrls = new KlarnaMerchantUrls { Confirmation = "https://shop.example/klarna/confirm?order={order.id}" };
        var session = await _client.CreateSessionAsync(_credentials, cart);
        var token = await _fixture.AuthorizeAsync(session.SessionId);

        // Act
        var created = await _client.CreateOrderAsync(_credentials, token, cart);

        // Assert
        Assert.That(created.OrderId, Is.Not.Empty);
        Assert.That(created.FraudStatus, Is.EqualTo(KlarnaFraudStatus.Accepted));
        Assert.That(created.RedirectUrl, Is.Not.Empty);
        Assert.That(created.AuthorizedPaymentMethod.Type, Is.EqualTo("invoice"));
        var order = await _client.GetOrderAsync(_credentials, created.OrderId);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Authorized));
        Assert.That(order.RemainingAuthorizedAmount, Is.EqualTo(62400));
        var read = await _client.GetSessionAsync(_credentials, session.SessionId);
        Assert.That(read.Status, Is.EqualTo("complete"));
        Assert.That(read.AuthorizationToken, Is.EqualTo(token));
    }

    [Test]
    public async Task CreateOrderAsync_returns_pending_fraud_status_when_the_authorization_is_pending()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        var session = await _client.CreateSessionAsync(_credentials, cart);
        var token = await _fixture.AuthorizeAsync(session.SessionId, KlarnaFraudStatus.Pending);

        // Act
        var created = await _client.CreateOrderAsync(_credentials, token, cart);

        // Assert
        Assert.That(created.FraudStatus, Is.EqualTo(KlarnaFraudStatus.Pending));
        Assert.That(created.RedirectUrl, Is.Null);
    }

    [Test]
    public async Task CancelAuthorizationAsync_makes_the_token_unusable()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        var session = await _client.CreateSessionAsync(_credentials, cart);
        var token = await _fixture.AuthorizeAsync(session.SessionId);

        // Act
        await _client.CancelAuthorizationAsync(_credentials, token);

        // Assert
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, cart));
        Assert.That(exception.StatusCode, Is.EqualTo(404));
        Assert.That(exception.ErrorCode, Is.EqualTo("NOT_FOUND"));
        Assert.That(_fixture.State.Requests.Any(r => r.Method == "DELETE" && r.Path == $"/payments/v1/authorizations/{token}"), Is.True);
    }

    [Test]
    public async Task GetOrderAsync_returns_amounts_status_lines_and_expiry()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        var order = await _client.GetOrderAsync(_credentials, orderId);

        // Assert
        Assert.That(order.OrderId, Is.EqualTo(orderId));
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Authorized));
        Assert.That(order.FraudStatus, Is.EqualTo(KlarnaFraudStatus.Accepted));
        Assert.That(order.OrderAmount, Is.EqualTo(62400));
        Assert.That(order.OriginalOrderAmount, Is.EqualTo(62400));
        Assert.That(order.CapturedAmount, Is.Zero);
        Assert.That(order.RemainingAuthorizedAmount, Is.EqualTo(62400));
        Assert.That(order.PurchaseCurrency, Is.EqualTo("EUR"));
        Assert.That(order.MerchantReference1, Is.EqualTo("1001"));
        Assert.That(order.KlarnaReference, Does.Match("^[A-Z0-9]{7}$"));
        Assert.That(order.OrderLines, Has.Count.EqualTo(2));
        Assert.That(order.InitialPaymentMethod.Type, Is.EqualTo("INVOICE"));
        Assert.That(order.ExpiresAt!.Value - order.CreatedAt!.Value, Is.EqualTo(TimeSpan.FromDays(28)));
    }

    [Test]
    public async Task CaptureAsync_sends_idempotency_key_and_returns_capture_id()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var key = NewKey();

        // Act
        var captureId = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 2900, Description = "Shipment 1" }, key);

        // Assert
        var request = _fixture.State.Requests.Single(r => r.Method == "POST");
        Assert.That(request.Path, Is.EqualTo($"/ordermanagement/v1/orders/{orderId}/captures"));
        Assert.That(request.IdempotencyKey, Is.EqualTo(key));
        Assert.That(JObject.Parse(request.Body).Value<long>("captured_amount"), Is.EqualTo(2900));
        var order = _fixture.State.GetOrder(orderId);
        Assert.That(captureId, Is.EqualTo(order.Captures.Single().CaptureId));
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.PartCaptured));
        Assert.That(order.CapturedAmount, Is.EqualTo(2900));
        Assert.That(order.RemainingAuthorizedAmount, Is.EqualTo(59500));
    }

    [Test]
    public async Task CaptureAsync_of_the_remaining_amount_sets_status_captured()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 2900 }, NewKey());

        // Act
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 59500 }, NewKey());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
        Assert.That(order.CapturedAmount, Is.EqualTo(62400));
        Assert.That(order.RemainingAuthorizedAmount, Is.Zero);
        Assert.That(order.Captures.Select(c => c.KlarnaReference), Is.EqualTo(new[] { order.KlarnaReference + "-1", order.KlarnaReference + "-2" }));
    }

    [Test]
    public async Task CaptureAsync_with_lines_and_shipping_info_is_readable_through_GetCaptureAsync_and_ListCapturesAsync()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var order = await _client.GetOrderAsync(_credentials, orderId);
        var request = new KlarnaCaptureRequest
        {
            CapturedAmount = 59500,
            Reference = "SHIP-1",
            OrderLines = [order.OrderLines[0]],
            ShippingInfo = [new KlarnaShippingInfo { ShippingCompany = "DHL DE", ShippingMethod = "Home", TrackingNumber = "00340434" }]
        };

        // Act
        var captureId = await _client.CaptureAsync(_credentials, orderId, request, NewKey());
        var capture = await _client.GetCaptureAsync(_credentials, orderId, captureId);
        var captures = await _client.ListCapturesAsync(_credentials, orderId);

        // Assert
        Assert.That(capture.CaptureId, Is.EqualTo(captureId));
        Assert.That(capture.CapturedAmount, Is.EqualTo(59500));
        Assert.That(capture.Reference, Is.EqualTo("SHIP-1"));
        Assert.That(capture.CapturedAt, Is.Not.Null);
        Assert.That(capture.OrderLines.Single().Reference, Is.EqualTo("SHOE-1"));
        Assert.That(capture.ShippingInfo.Single().TrackingNumber, Is.EqualTo("00340434"));
        Assert.That(captures.Select(c => c.CaptureId), Is.EqualTo(new[] { captureId }));
    }

    [Test]
    public async Task AddShippingInfoAsync_appends_to_the_capture()
    {
        // Arrange
        var (orderId, captureId) = await _fixture.CreateCapturedOrderAsync(1000);
        var key = NewKey();

        // Act
        await _client.AddShippingInfoAsync(_credentials, orderId, captureId, [new KlarnaShippingInfo { ShippingCompany = "UPS", TrackingNumber = "1Z999" }], key);
        await _client.AddShippingInfoAsync(_credentials, orderId, captureId, [new KlarnaShippingInfo { ShippingCompany = "DHL", TrackingNumber = "JJD01" }], NewKey());

        // Assert
        var capture = await _client.GetCaptureAsync(_credentials, orderId, captureId);
        Assert.That(capture.ShippingInfo.Select(s => s.TrackingNumber), Is.EqualTo(new[] { "1Z999", "JJD01" }));
        var request = _fixture.State.Requests.First(r => r.Path.EndsWith("/shipping-info"));
        Assert.That(request.IdempotencyKey, Is.EqualTo(key));
        Assert.That(JObject.Parse(request.Body)["shipping_info"]![0]!.Value<string>("shipping_company"), Is.EqualTo("UPS"));
    }

    [Test]
    public async Task RefundAsync_returns_refund_id_and_leaves_status_unchanged()
    {
        // Arrange
        var (orderId, _) = await _fixture.CreateCapturedOrderAsync(2900);
        var lines = new List<KlarnaOrderLine> { SandboxFixture.Line("Shipping", 1, 1000, 2000, reference: "SHIP", type: KlarnaOrderLineType.ShippingFee) };

        // Act
        var refundId = await _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 1000, Description = "Goodwill", Reference = "R-1", OrderLines = lines }, NewKey());
        var refund = await _client.GetRefundAsync(_credentials, orderId, refundId);

        // Assert
        Assert.That(refund.RefundId, Is.EqualTo(refundId));
        Assert.That(refund.RefundedAmount, Is.EqualTo(1000));
        Assert.That(refund.Description, Is.EqualTo("Goodwill"));
        Assert.That(refund.OrderLines.Single().Reference, Is.EqualTo("SHIP"));
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.PartCaptured));
        Assert.That(order.RefundedAmount, Is.EqualTo(1000));
        Assert.That(order.Captures.Single().RefundedAmount, Is.EqualTo(1000));
        Assert.That(order.Refunds.Single().RefundId, Is.EqualTo(refundId));
    }

    [Test]
    public async Task CancelOrderAsync_cancels_an_uncaptured_order()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        await _client.CancelOrderAsync(_credentials, orderId, NewKey());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
        Assert.That(order.RemainingAuthorizedAmount, Is.Zero);
    }

    [Test]
    public async Task ReleaseRemainingAuthorizationAsync_sets_status_captured_and_remaining_zero()
    {
        // Arrange
        var (orderId, _) = await _fixture.CreateCapturedOrderAsync(2900);

        // Act
        await _client.ReleaseRemainingAuthorizationAsync(_credentials, orderId, NewKey());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
        Assert.That(order.RemainingAuthorizedAmount, Is.Zero);
        Assert.That(order.CapturedAmount, Is.EqualTo(2900));
    }

    [Test]
    public async Task ExtendAuthorizationTimeAsync_moves_expires_at_to_the_authorization_period_from_today()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync(expiresInDays: 2);

        // Act
        await _client.ExtendAuthorizationTimeAsync(_credentials, orderId, NewKey());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(27)));
        Assert.That(order.ExpiresAt, Is.LessThanOrEqualTo(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(29), TimeSpan.Zero)));
    }

    [Test]
    public async Task UpdateAuthorizationAsync_replaces_amount_and_lines()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var line = SandboxFixture.Line("Shoes", 1, 50000, 2000, reference: "SHOE-1");

        // Act
        await _client.UpdateAuthorizationAsync(_credentials, orderId, new KlarnaUpdateAuthorizationRequest { OrderAmount = 50000, Description = "Price reduced", OrderLines = [line] }, NewKey());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.OrderAmount, Is.EqualTo(50000));
        Assert.That(order.OriginalOrderAmount, Is.EqualTo(62400));
        Assert.That(order.RemainingAuthorizedAmount, Is.EqualTo(50000));
        Assert.That(order.OrderLines.Single().TotalAmount, Is.EqualTo(50000));
        Assert.That(_fixture.State.Requests.Single(r => r.Method == "PATCH").Path, Is.EqualTo($"/ordermanagement/v1/orders/{orderId}/authorization"));
    }

    [Test]
    public async Task UpdateMerchantReferencesAsync_overwrites_only_the_references_sent()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        await _client.UpdateMerchantReferencesAsync(_credentials, orderId, null, "INTERNAL-7", NewKey());

        // Assert
        var order = await _client.GetOrderAsync(_credentials, orderId);
        Assert.That(order.MerchantReference1, Is.EqualTo("1001"));
        Assert.That(order.MerchantReference2, Is.EqualTo("INTERNAL-7"));
        var body = JObject.Parse(_fixture.State.Requests.Single(r => r.Method == "PATCH").Body);
        Assert.That(body.Property("merchant_reference1"), Is.Null);
    }

    [Test]
    public async Task AcknowledgeAsync_acknowledges_the_order()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        await _client.AcknowledgeAsync(_credentials, orderId, NewKey());

        // Assert
        Assert.That(_fixture.State.GetOrder(orderId).Acknowledged, Is.True);
        Assert.That(_fixture.State.Requests.Single(r => r.Method == "POST").Path, Is.EqualTo($"/ordermanagement/v1/orders/{orderId}/acknowledge"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public async Task Order_management_writes_refuse_to_run_without_an_idempotency_key(string key)
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        Assert.ThrowsAsync<ArgumentException>(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, key));
        Assert.ThrowsAsync<ArgumentException>(() => _client.CancelOrderAsync(_credentials, orderId, key));
        Assert.ThrowsAsync<ArgumentException>(() => _client.RefundAsync(_credentials, orderId, new KlarnaRefundRequest { RefundedAmount = 100 }, key));
        Assert.That(_fixture.State.Requests, Is.Empty);
    }

    [Test]
    public async Task Order_ids_are_escaped_in_the_path()
    {
        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.GetOrderAsync(_credentials, "a b/c"));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(404));
        Assert.That(_fixture.State.Requests.Single().Path, Is.EqualTo("/ordermanagement/v1/orders/a%20b%2Fc"));
        await Task.CompletedTask;
    }

    [Test]
    public void CreateOrderResponse_reads_authorized_payment_method_as_object_or_string_and_tolerates_unknown_fields()
    {
        // Arrange
        const string asObject = "{\"order_id\":\"1\",\"fraud_status\":\"ACCEPTED\",\"authorized_payment_method\":{\"type\":\"fixed_amount\",\"number_of_installments\":3},\"new_field\":{\"x\":1}}";
        const string asString = "{\"order_id\":\"2\",\"authorized_payment_method\":\"invoice\"}";

        // Act
        var fromObject = JsonConvert.DeserializeObject<KlarnaCreateOrderResponse>(asObject);
        var fromString = JsonConvert.DeserializeObject<KlarnaCreateOrderResponse>(asString);

        // Assert
        Assert.That(fromObject.AuthorizedPaymentMethod.Type, Is.EqualTo("fixed_amount"));
        Assert.That(fromObject.AuthorizedPaymentMethod.NumberOfInstallments, Is.EqualTo(3));
        Assert.That(fromString.AuthorizedPaymentMethod.Type, Is.EqualTo("invoice"));
        Assert.That(fromString.AuthorizedPaymentMethod.NumberOfDays, Is.Null);
    }
}
