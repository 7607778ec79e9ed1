using Moq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaCheckoutNotificationServiceTests
{
    private CheckoutHarness _harness;
    private Mock<IKlarnaApiClient> _client;
    private Order _order;

    [SetUp]
    public void SetUp()
    {
        _harness = new CheckoutHarness { Credentials = new KlarnaCredentials { Username = "u", Password = "p" } };
        _client = new Mock<IKlarnaApiClient>();
        _order = new Order { Id = 42, StoreId = 1, PaymentStatusId = (int)PaymentStatus.Pending, PaymentMethodSystemName = KlarnaDefaults.SystemName };
        _harness.Orders.Add(_order);
        _harness.Records.Records.Add(new KlarnaOrderRecord { Id = 1, OrderId = 42, StoreId = 1, KlarnaOrderId = "k-1", FraudStatus = "PENDING" });
    }

    private void AssertNothingChanged()
    {
        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Pending));
        Assert.That(_harness.Records.Updates, Is.Zero);
        Assert.That(_harness.Notes, Is.Empty);
        _harness.StatusService.Verify(s => s.ApplyEventAsync(It.IsAny<Order>(), It.IsAny<KlarnaStatusEvent>()), Times.Never);
    }

    [TestCase("wrong", 403)]
    [TestCase("", 401)]
    [TestCase(null, 401)]
    public async Task HandleAsync_refuses_a_wrong_or_missing_secret_and_changes_nothing(string secret, int expected)
    {
        // Act
        var outcome = await _harness.NotificationService(_client.Object).HandleAsync(secret, "{\"order_id\":\"k-1\",\"event_type\":\"FRAUD_RISK_ACCEPTED\"}");

        // Assert
        Assert.That(outcome.StatusCode, Is.EqualTo(expected));
        AssertNothingChanged();
        _client.VerifyNoOtherCalls();
    }

    [TestCase("not json")]
    [TestCase("{\"order_id\":")]
    [TestCase("[1,2]")]
    [TestCase("{\"event_type\":\"FRAUD_RISK_ACCEPTED\"}")]
    [TestCase("{\"order_id\":{\"a\":1}}")]
    [TestCase("")]
    public async Task HandleAsync_answers_400_to_a_malformed_body_and_changes_nothing(string body)
    {
        // Act
        var outcome = await _harness.NotificationService(_client.Object).HandleAsync("s3cret", body);

        // Assert
        Assert.That(outcome.StatusCode, Is.EqualTo(400));
        AssertNothingChanged();
        _client.VerifyNoOtherCalls();
    }

    [Test]
    public async Task HandleAsync_answers_400_to_an_oversized_body()
    {
        // Act
        var body = "{\"order_id\":\"k-1\",\"x\":\"" + new string('a', KlarnaDefaults.Checkout.MaxNotificationBytes) + "\"}";
        var outcome = await _harness.NotificationService(_client.Object).HandleAsync("s3cret", body);

        // Assert
        Assert.That(outcome.StatusCode, Is.EqualTo(400));
        AssertNothingChanged();
    }

    [Test]
    public async Task HandleAsync_answers_404_to_an_unknown_order()
    {
        // Act
        var outcome = await _harness.NotificationService(_client.Object).HandleAsync("s3cret", "{\"order_id\":\"unknown\",\"event_type\":\"FRAUD_RISK_ACCEPTED\"}");

        // Assert
        Assert.That(outcome.StatusCode, Is.EqualTo(404));
        AssertNothingChanged();
        _client.VerifyNoOtherCalls();
    }

    [Test]
    public async Task HandleAsync_never_trusts_the_body_and_keeps_the_order_pending_while_klarna_still_says_pending()
    {
        // Arrange: the body claims ACCEPTED, Klarna still says PENDING
        _client.Setup(c => c.GetOrderAsync(It.IsAny<KlarnaCredentials>(), "k-1", default))
            .ReturnsAsync(new KlarnaOrder { OrderId = "k-1", FraudStatus = "PENDING", Status = "AUTHORIZED" });

        // Act
        var outcome = await _harness.NotificationService(_client.Object).HandleAsync("s3cret", "{\"order_id\":\"k-1\",\"event_type\":\"FRAUD_RISK_ACCEPTED\"}");

        // Assert
        Assert.That(outcome.StatusCode, Is.EqualTo(200));
        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Pending));
        _harness.StatusService.Verify(s => s.ApplyEventAsync(It.IsAny<Order>(), It.IsAny<KlarnaStatusEvent>()), Times.Never);
    }

    [Test]
    public async Task HandleAsync_answers_503_and_changes_nothing_when_klarna_cannot_be_read()
    {
        // Arrange
        _client.Setup(c => c.GetOrderAsync(It.IsAny<KlarnaCredentials>(), "k-1", default)).ThrowsAsync(new KlarnaApiException(503, "TEMPORARILY_UNAVAILABLE", new[] { "down" }, "c"));

        // Act
        var outcome = await _harness.NotificationService(_client.Object).HandleAsync("s3cret", "{\"order_id\":\"k-1\",\"event_type\":\"FRAUD_RISK_ACCEPTED\"}");

        // Assert
        Assert.That(outcome.StatusCode, Is.EqualTo(503));
        AssertNothingChanged();
    }

    [Test]
    public async Task HandleAsync_stopped_order_is_cancelled_at_klarna_and_voided()
    {
        // Arrange
        _order.PaymentStatusId = (int)PaymentStatus.Authorized;
        _client.Setup(c => c.GetOrderAsync(It.IsAny<KlarnaCredentials>(), "k-1", default))
            .ReturnsAsync(new KlarnaOrder { OrderId = "k-1", FraudStatus = "STOPPED", Status = "AUTHORIZED", OrderAmount = 1000, RemainingAuthorizedAmount = 1000 });

        // Act
        var outcome = await _harness.NotificationService(_client.Object).HandleAsync("s3cret", "{\"order_id\":\"k-1\",\"event_type\":\"FRAUD_RISK_STOPPED\"}");

        // Assert
        Assert.That(outcome.StatusCode, Is.EqualTo(200));
        Assert.That((PaymentStatus)_order.PaymentStatusId, Is.EqualTo(PaymentStatus.Voided));
        _client.Verify(c => c.CancelOrderAsync(It.IsAny<KlarnaCredentials>(), "k-1", "fraud-cancel-k-1", default), Times.Once);
        _harness.StatusService.Verify(s => s.ApplyEventAsync(_order, KlarnaStatusEvent.Cancelled), Times.Once);
        Assert.That(_harness.Records.Records[0].KlarnaStatus, Is.EqualTo(KlarnaOrderStatus.Cancelled));
    }
}
