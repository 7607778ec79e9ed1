using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Orders;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Moq;
using Nop.Core.Domain.Orders;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Responses;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaCheckoutServiceTests
{
    private CheckoutHarness _harness;
    private Mock<IKlarnaApiClient> _client;

    [SetUp]
    public void SetUp()
    {
        _client = new Mock<IKlarnaApiClient>();
        _harness = new CheckoutHarness { Credentials = new KlarnaCredentials { Username = "u", Password = "p", Region = KlarnaRegion.Europe } };
    }

    private static IFormCollection Form(params (string Key, string Value)[] values) =>
        new FormCollection(values.ToDictionary(v => v.Key, v => new StringValues(v.Value)));

    [TestCase(KlarnaRegion.Europe, "DE", "EUR", false)]
    [TestCase(KlarnaRegion.Europe, "SE", "SEK", false)]
    [TestCase(KlarnaRegion.Europe, "GB", "GBP", false)]
    [TestCase(KlarnaRegion.Europe, "CH", "CHF", false)]
    [TestCase(KlarnaRegion.Europe, "DE", "SEK", true)]
    [TestCase(KlarnaRegion.Europe, "US", "USD", true)]
    [TestCase(KlarnaRegion.NorthAmerica, "US", "USD", false)]
    [TestCase(KlarnaRegion.NorthAmerica, "CA", "CAD", false)]
    [TestCase(KlarnaRegion.NorthAmerica, "MX", "MXN", false)]
    [TestCase(KlarnaRegion.NorthAmerica, "CA", "USD", true)]
    [TestCase(KlarnaRegion.NorthAmerica, "DE", "EUR", true)]
    [TestCase(KlarnaRegion.Oceania, "AU", "AUD", false)]
    [TestCase(KlarnaRegion.Oceania, "NZ", "NZD", false)]
    [TestCase(KlarnaRegion.Oceania, "AU", "NZD", true)]
    [TestCase(KlarnaRegion.Europe, null, "EUR", true)]
    public async Task HidePaymentMethodAsync_hides_the_method_when_the_region_does_not_serve_the_country_and_currency(KlarnaRegion region,
        string country, string currency, bool hidden)
    {
        // Arrange
        _harness.Credentials = new KlarnaCredentials { Username = "u", Password = "p", Region = region };
        _harness.CountryCode = country;
        _harness.CurrencyCode = currency;

        // Act
        var result = await _harness.CheckoutService(_client.Object).HidePaymentMethodAsync(new List<ShoppingCartItem>());

        // Assert
        Assert.That(result, Is.EqualTo(hidden));
    }

    [Test]
    public async Task HidePaymentMethodAsync_hides_the_method_when_credentials_are_missing()
    {
        // Arrange
        _harness.Credentials = null;

        // Act
        var result = await _harness.CheckoutService(_client.Object).HidePaymentMethodAsync(new List<ShoppingCartItem>());

        // Assert
        Assert.That(result, Is.True);
    }

    [Test]
    public async Task ValidatePaymentFormAsync_requires_the_authorization_token()
    {
        // Act
        var missing = await _harness.CheckoutService(_client.Object).ValidatePaymentFormAsync(Form());
        var present = await _harness.CheckoutService(_client.Object).ValidatePaymentFormAsync(Form((KlarnaDefaults.Checkout.AuthorizationTokenField, "token-1")));

        // Assert
        Assert.That(missing, Has.Count.EqualTo(1));
        Assert.That(present, Is.Empty);
    }

    [Test]
    public async Task GetPaymentInfoAsync_puts_token_session_and_category_into_hidden_custom_values()
    {
        // Act
        var request = await _harness.CheckoutService(_client.Object).GetPaymentInfoAsync(Form(
            (KlarnaDefaults.Checkout.AuthorizationTokenField, "token-1"),
            (KlarnaDefaults.Checkout.SessionIdField, "session-1"),
            (KlarnaDefaults.Checkout.CategoryField, "pay_later")));

        // Assert
        Assert.That(request.CustomValues.Select(v => (v.Name, v.Value)), Is.EquivalentTo(new[]
        {
            (KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, "token-1"),
            (KlarnaDefaults.Checkout.SessionIdCustomValue, "session-1"),
            (KlarnaDefaults.Checkout.CategoryCustomValue, "pay_later")
        }));
        Assert.That(request.CustomValues.All(v => !v.DisplayToCustomer), Is.True);
    }

    [Test]
    public async Task RecordPlacedOrderAsync_ignores_other_payment_methods_and_records_once()
    {
        // Arrange
        var other = new Order { Id = 1, PaymentMethodSystemName = "Payments.Manual", AuthorizationTransactionId = "x" };
        var klarna = new Order { Id = 2, PaymentMethodSystemName = KlarnaDefaults.SystemName, AuthorizationTransactionId = "k-2", CustomOrderNumber = "2", CurrencyRate = 1m, CustomerCurrencyCode = "EUR", OrderTotal = 10m };
        _client.Setup(c => c.GetOrderAsync(It.IsAny<KlarnaCredentials>(), "k-2", default))
            .ReturnsAsync(new KlarnaOrder { OrderId = "k-2", FraudStatus = "ACCEPTED", Status = "AUTHORIZED", OrderAmount = 1000, RemainingAuthorizedAmount = 1000, PurchaseCurrency = "eur", KlarnaReference = "K2" });
        var service = _harness.CheckoutService(_client.Object);

        // Act
        var none = await service.RecordPlacedOrderAsync(other);
        var first = await service.RecordPlacedOrderAsync(klarna);
        var second = await service.RecordPlacedOrderAsync(klarna);

        // Assert
        Assert.That(none, Is.Null);
        Assert.That(second, Is.SameAs(first));
        Assert.That(_harness.Records.Records, Has.Count.EqualTo(1));
        Assert.That(first.CurrencyCode, Is.EqualTo("EUR"));
        Assert.That(first.KlarnaReference, Is.EqualTo("K2"));
        _client.Verify(c => c.UpdateMerchantReferencesAsync(It.IsAny<KlarnaCredentials>(), "k-2", "2", It.IsAny<string>(), "merchant-references-k-2-2", default), Times.Once);
    }

    [Test]
    public async Task RecordPlacedOrderAsync_still_records_when_klarna_cannot_be_read_and_asks_for_a_sync()
    {
        // Arrange
        var order = new Order { Id = 3, PaymentMethodSystemName = KlarnaDefaults.SystemName, AuthorizationTransactionId = "k-3", AuthorizationTransactionResult = "ACCEPTED", CurrencyRate = 1.5m, CustomerCurrencyCode = "SEK", OrderTotal = 10m };
        _client.Setup(c => c.GetOrderAsync(It.IsAny<KlarnaCredentials>(), "k-3", default)).ThrowsAsync(new HttpRequestException("down"));

        // Act
        var record = await _harness.CheckoutService(_client.Object).RecordPlacedOrderAsync(order);

        // Assert
        Assert.That(record.SyncRequested, Is.True);
        Assert.That(record.OrderAmountMinor, Is.EqualTo(1500));
        Assert.That(record.FraudStatus, Is.EqualTo("ACCEPTED"));
        Assert.That(_harness.Notes.Single().Note, Does.Contain("could not be read"));
    }

    [Test]
    public async Task ProcessPaymentAsync_reports_an_expired_authorization_clearly()
    {
        // Arrange
        _client.Setup(c => c.CreateOrderAsync(It.IsAny<KlarnaCredentials>(), "t", It.IsAny<KlarnaSessionRequest>(), default))
            .ThrowsAsync(new KlarnaApiException(404, "NOT_FOUND", new[] { "Invalid authorization token" }, "c"));
        var request = new Nop.Services.Payments.ProcessPaymentRequest
        {
            CustomerId = 5, StoreId = 1, OrderTotal = 624m, OrderGuid = Guid.NewGuid(),
            CustomValues = new CustomValuesFactory().With(KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, "t")
        };

        // Act
        var result = await _harness.CheckoutService(_client.Object).ProcessPaymentAsync(request);

        // Assert
        Assert.That(result.Errors.Single(), Does.Contain("expired"));
        _client.Verify(c => c.CancelAuthorizationAsync(It.IsAny<KlarnaCredentials>(), It.IsAny<string>(), default), Times.Never);
    }

    [Test]
    public async Task ProcessPaymentAsync_sends_the_final_lines_the_order_guid_and_the_merchant_urls()
    {
        // Arrange
        KlarnaSessionRequest sent = null;
        _client.Setup(c => c.CreateOrderAsync(It.IsAny<KlarnaCredentials>(), "t", It.IsAny<KlarnaSessionRequest>(), default))
            .Callback((KlarnaCredentials _, string _, KlarnaSessionRequest body, CancellationToken _) => sent = body)
            .ReturnsAsync(new KlarnaCreateOrderResponse { OrderId = "k-9", FraudStatus = "ACCEPTED" });
        var guid = Guid.NewGuid();
        var request = new Nop.Services.Payments.ProcessPaymentRequest
        {
            CustomerId = 5, StoreId = 1, OrderTotal = 624m, OrderGuid = guid,
            CustomValues = new CustomValuesFactory().With(KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, "t")
        };

        // Act
        var result = await _harness.CheckoutService(_client.Object).ProcessPaymentAsync(request);

        // Assert
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.AuthorizationTransactionId, Is.EqualTo("k-9"));
        Assert.That(sent.MerchantReference1, Is.EqualTo(guid.ToString()));
        Assert.That(sent.OrderAmount, Is.EqualTo(62400));
        Assert.That(sent.OrderTaxAmount, Is.EqualTo(10400));
        Assert.That(sent.AutoCapture, Is.False);
        Assert.That(sent.MerchantUrls.Notification, Is.EqualTo("http://shop.test/Plugins/Klarna/Notification/s3cret"));
        Assert.That(_harness.Attributes[KlarnaDefaults.Checkout.PendingOrderAttribute], Is.EqualTo($"k-9|{guid}"));
    }
}

/// <summary>
/// Builds CustomValues the way nopCommerce would (the reference's constructor sets nothing)
/// </summary>
public class CustomValuesFactory
{
    public CustomValues With(string name, string value) =>
        new() { new CustomValue(name, value) { Name = name, Value = value, DisplayToCustomer = false } };
}
