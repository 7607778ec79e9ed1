using Klarna.Sandbox;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Orders;
using Nop.Services.Payments;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

/// <summary>
/// An order placed through the checkout is what order management works on: the checkout's records with the real
/// record, credentials and status services of order management, against the sandbox
/// </summary>
[TestFixture]
public class KlarnaCheckoutOrderManagementTests
{
    private KlarnaSandboxHost _sandbox;
    private IKlarnaApiClient _client;
    private CheckoutHarness _checkout;
    private OrderManagementHarness _om;

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions());
        _client = KlarnaTestClients.Create();
        _checkout = new CheckoutHarness { Credentials = KlarnaTestClients.Credentials(_sandbox) };
        _om = new OrderManagementHarness(_client);
        _om.Settings.EuropePlaygroundUsername = "sandbox_user";
        _om.Settings.EuropePlaygroundPassword = "sandbox_password";
        _om.Settings.ApiUrlOverride = _sandbox.BaseUri.ToString();
        _om.Settings.NotificationSecret = "s3cret";
    }

    [TearDown]
    public async Task TearDown()
    {
        _om.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static string Notification(Order order, string eventType) =>
        $"{{\"order_id\":\"{order.AuthorizationTransactionId}\",\"event_type\":\"{eventType}\"}}";

    private KlarnaCheckoutService CheckoutService() =>
        _checkout.CheckoutService(_client, _om.CredentialsProvider, _om.RecordService, _om.StatusService, _om.OrderService.Object, _om.SettingService.Object);

    private async Task<Order> PlaceAsync(string fraudStatus)
    {
        var session = await _checkout.SessionService(_client).PrepareSessionAsync();
        var token = _sandbox.State.AuthorizeSession(session.SessionId, true, fraudStatus, KlarnaTestClients.BrowserData(session.Customer)).Token;
        var service = CheckoutService();
        var request = new ProcessPaymentRequest
        {
            CustomerId = 5, StoreId = 1, OrderGuid = Guid.NewGuid(), OrderTotal = 624m, PaymentMethodSystemName = KlarnaDefaults.SystemName,
            CustomValues = new CustomValuesFactory().With(KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, token)
        };
        var result = await service.ProcessPaymentAsync(request);
        Assert.That(result.Errors, Is.Empty);

        // what nopCommerce does: save the order (Authorized -> Processing, fraud pending stays Pending), then PostProcessPayment
        var order = _checkout.PlaceOrder(request, result);
        order.OrderStatusId = result.NewPaymentStatus == PaymentStatus.Authorized ? (int)OrderStatus.Processing : (int)OrderStatus.Pending;
        _om.Orders[order.Id] = order;
        await service.PostProcessPaymentAsync(new PostProcessPaymentRequest { Order = order });
        return order;
    }

    [Test]
    public async Task An_order_placed_through_the_checkout_can_be_captured_by_order_management()
    {
        // Arrange
        var order = await PlaceAsync("ACCEPTED");

        // Act
        var capture = await _om.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin" });

        // Assert
        Assert.That(capture.Success, Is.True, _om.TextOf(capture));
        var klarnaOrder = _sandbox.State.GetOrder(order.AuthorizationTransactionId);
        Assert.That(klarnaOrder.Status, Is.EqualTo("CAPTURED"));
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(62400));
        Assert.That(klarnaOrder.MerchantReference1, Is.EqualTo(order.CustomOrderNumber));
        var record = await _om.RecordService.GetByOrderIdAsync(order.Id);
        Assert.That(record.AppliedStatusEvents, Does.Contain(nameof(KlarnaStatusEvent.Authorized)));
    }

    [Test]
    public async Task A_fraud_pending_order_gets_the_mapped_pending_status_then_the_accepted_notification_moves_it_on()
    {
        // Arrange
        _om.Settings.OrderStatusFraudPendingId = (int)OrderStatus.Pending;
        _om.Settings.OrderStatusAfterAuthorizeId = (int)OrderStatus.Processing;
        var order = await PlaceAsync("PENDING");
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Pending));
        Assert.That((await _om.RecordService.GetByOrderIdAsync(order.Id)).AppliedStatusEvents, Does.Contain(nameof(KlarnaStatusEvent.FraudPending)));

        // Act
        _sandbox.State.SetFraudStatus(order.AuthorizationTransactionId, "ACCEPTED");
        var first = await _om.NotificationService.HandleAsync("s3cret", Notification(order, "FRAUD_RISK_ACCEPTED"));
        var second = await _om.NotificationService.HandleAsync("s3cret", Notification(order, "FRAUD_RISK_ACCEPTED"));

        // Assert: Klarna delivers it twice; the second changes nothing
        Assert.That(first.StatusCode, Is.EqualTo(200));
        Assert.That(second.StatusCode, Is.EqualTo(200));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Authorized));
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Processing));
        Assert.That((await _om.RecordService.GetByOrderIdAsync(order.Id)).FraudStatus, Is.EqualTo("ACCEPTED"));
        Assert.That(_om.NotesOf(order).Count(n => n.Contains("fraud status changed from PENDING to ACCEPTED")), Is.EqualTo(1));
        var capture = await _om.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin, InitiatedBy = "admin" });
        Assert.That(capture.Success, Is.True, _om.TextOf(capture));
    }

    [Test]
    public async Task A_fraud_pending_order_rejected_after_review_is_cancelled_at_klarna_through_the_engine_and_voided_once()
    {
        // Arrange
        var order = await PlaceAsync("PENDING");
        _sandbox.State.SetFraudStatus(order.AuthorizationTransactionId, "REJECTED");

        // Act: Klarna delivers the notification twice
        var first = await _om.NotificationService.HandleAsync("s3cret", Notification(order, "FRAUD_RISK_REJECTED"));
        var second = await _om.NotificationService.HandleAsync("s3cret", Notification(order, "FRAUD_RISK_REJECTED"));

        // Assert
        var klarnaOrder = _sandbox.State.GetOrder(order.AuthorizationTransactionId);
        var cancel = _om.OperationsOf(order).Single(op => op.Kind == KlarnaOperationKind.Cancel);
        Assert.That(first.StatusCode, Is.EqualTo(200));
        Assert.That(second.StatusCode, Is.EqualTo(200));
        Assert.That(klarnaOrder.Status, Is.EqualTo("CANCELLED"));
        Assert.That(_sandbox.State.CountRequests("POST", "/ordermanagement/v1/orders/*/cancel"), Is.EqualTo(1));
        Assert.That(cancel.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(cancel.Initiator, Is.EqualTo(KlarnaInitiator.Notification));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Voided));
        Assert.That(order.OrderStatusId, Is.EqualTo((int)OrderStatus.Cancelled));
        Assert.That(_om.NotesOf(order).Count(n => n.Contains("rejected this order")), Is.EqualTo(1));
    }
}
