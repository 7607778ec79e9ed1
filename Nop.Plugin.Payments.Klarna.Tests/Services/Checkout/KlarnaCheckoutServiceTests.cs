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

    [TestCase("SE", "EUR", "Klarna takes only SEK in SE, the cart is in EUR")]
    [TestCase("JP", "JPY", "Klarna Payments does not serve JP")]
    [TestCase("US", "USD", "US is not served by the configured region Europe")]
    public async Task HidePaymentMethodAsync_does_not_offer_klarna_outside_its_markets_and_logs_why_at_debug_level(string country,
        string currency, string reason)
    {
        // Arrange
        _harness.Settings.LogDebug = true;
        _harness.CountryCode = country;
        _harness.CurrencyCode = currency;

        // Act
        var hidden = await _harness.CheckoutService(_client.Object).HidePaymentMethodAsync(new List<ShoppingCartItem>());

        // Assert
        Assert.That(hidden, Is.True);
        _harness.Logger.Verify(l => l.InsertLogAsync(Nop.Core.Domain.Logging.LogLevel.Debug, It.Is<string>(m => m.Contains(reason)),
            It.IsAny<string>(), _harness.Customer), Times.Once);
        _client.VerifyNoOtherCalls();
    }

    [Test]
    public async Task HidePaymentMethodAsync_logs_nothing_when_debug_logging_is_off()
    {
        // Arrange
        _harness.CountryCode = "SE";
        _harness.CurrencyCode = "EUR";

        // Act
        var hidden = await _harness.CheckoutService(_client.Object).HidePaymentMethodAsync(new List<ShoppingCartItem>());

        // Assert
        Assert.That(hidden, Is.True);
        _harness.Logger.Verify(l => l.InsertLogAsync(It.IsAny<Nop.Core.Domain.Logging.LogLevel>(), It.IsAny<string>(), It.IsAny<string>(),
            It.IsAny<Nop.Core.Domain.Customers.Customer>()), Times.Never);
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
        var attempt = _harness.Attempts.Rows.Single();
        Assert.That((attempt.Status, attempt.KlarnaOrderId, attempt.OrderGuid, attempt.AuthorizationToken, attempt.AmountMinor, attempt.CurrencyCode),
            Is.EqualTo((Nop.Plugin.Payments.Klarna.Domain.KlarnaCheckoutAttemptStatus.Created, "k-9", guid, "t", 62400L, "EUR")));
        Assert.That(attempt.RequestJson, Is.Null, "the body (with the addresses) is kept only while the outcome is open");
    }

    private static Nop.Services.Payments.ProcessPaymentRequest FinalizeRequest(string token = "") => new()
    {
        CustomerId = 5, StoreId = 1, OrderTotal = 624m, OrderGuid = Guid.NewGuid(), PaymentMethodSystemName = KlarnaDefaults.SystemName,
        CustomValues = new CustomValuesFactory()
            .With(KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, token)
            .And(KlarnaDefaults.Checkout.SessionIdCustomValue, "session-1")
            .And(KlarnaDefaults.Checkout.CategoryCustomValue, "pay_now")
            .And(KlarnaDefaults.Checkout.FinalizeRequiredCustomValue, "true")
    };

    [Test]
    public async Task The_payment_form_is_complete_with_finalize_required_instead_of_a_token_and_keeps_the_flag()
    {
        // Arrange
        var form = Form((KlarnaDefaults.Checkout.AuthorizationTokenField, ""), (KlarnaDefaults.Checkout.FinalizeRequiredField, "true"),
            (KlarnaDefaults.Checkout.SessionIdField, "session-1"), (KlarnaDefaults.Checkout.CategoryField, "pay_now"));
        var service = _harness.CheckoutService(_client.Object);

        // Act
        var warnings = await service.ValidatePaymentFormAsync(form);
        var request = await service.GetPaymentInfoAsync(form);

        // Assert
        Assert.That(warnings, Is.Empty);
        Assert.That(request.CustomValues.Single(v => v.Name == KlarnaDefaults.Checkout.FinalizeRequiredCustomValue).Value, Is.EqualTo("true"));
    }

    [Test]
    public async Task ValidatePaymentFormAsync_refuses_a_token_longer_than_the_attempts_keep()
    {
        // Act
        var warnings = await _harness.CheckoutService(_client.Object).ValidatePaymentFormAsync(
            Form((KlarnaDefaults.Checkout.AuthorizationTokenField, new string('t', KlarnaDefaults.Checkout.MaxAuthorizationTokenLength + 1))));

        // Assert
        Assert.That(warnings.Single(), Does.Contain("not valid"));
    }

    [Test]
    public async Task GetFinalizationAsync_names_the_session_and_category_only_while_the_payment_waits_for_finalize()
    {
        // Arrange
        var service = _harness.CheckoutService(_client.Object);

        // Act
        _harness.PaymentRequest = FinalizeRequest();
        var waiting = await service.GetFinalizationAsync();
        _harness.PaymentRequest = FinalizeRequest("token-after-finalize");
        var finalized = await service.GetFinalizationAsync();
        _harness.PaymentRequest = null;
        var none = await service.GetFinalizationAsync();

        // Assert
        Assert.That((waiting.SessionId, waiting.Category), Is.EqualTo(("session-1", "pay_now")));
        Assert.That(finalized, Is.Null);
        Assert.That(none, Is.Null);
    }

    [Test]
    public async Task SaveFinalizedTokenAsync_puts_the_token_into_the_payment_request_of_its_session_only()
    {
        // Arrange
        var service = _harness.CheckoutService(_client.Object);
        _harness.PaymentRequest = FinalizeRequest();

        // Act
        var otherSession = await service.SaveFinalizedTokenAsync("session-2", "t-1");
        var tooLong = await service.SaveFinalizedTokenAsync("session-1", new string('t', 300));
        var saved = await service.SaveFinalizedTokenAsync("session-1", "t-1");

        // Assert
        Assert.That((otherSession, tooLong, saved), Is.EqualTo((false, false, true)));
        Assert.That(_harness.PaymentRequest.CustomValues.Where(v => v.Name == KlarnaDefaults.Checkout.AuthorizationTokenCustomValue).Select(v => v.Value),
            Is.EqualTo(new[] { "t-1" }));
    }

    [Test]
    public async Task ProcessPaymentAsync_asks_to_confirm_with_klarna_when_the_authorization_was_never_finalized()
    {
        // Act
        var result = await _harness.CheckoutService(_client.Object).ProcessPaymentAsync(FinalizeRequest());

        // Assert
        Assert.That(result.Errors.Single(), Does.Contain("confirm the payment with Klarna"));
        _client.VerifyNoOtherCalls();
        Assert.That(_harness.Attempts.Rows, Is.Empty);
    }
}

/// <summary>
/// Builds CustomValues the way nopCommerce would (the reference's constructor sets nothing)
/// </summary>
public class CustomValuesFactory
{
    private readonly CustomValues _values = new();

    public CustomValuesFactory With(string name, string value) => And(name, value);

    public CustomValuesFactory And(string name, string value)
    {
        _values.Add(new CustomValue(name, value) { Name = name, Value = value, DisplayToCustomer = false });
        return this;
    }

    public static implicit operator CustomValues(CustomValuesFactory factory) => factory._values;
}
