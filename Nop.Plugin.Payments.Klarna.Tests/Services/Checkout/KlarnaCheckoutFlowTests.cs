using Nop.Plugin.Payments.Klarna.Localization;
using Klarna.Sandbox.Models;
using Klarna.Sandbox;
using Moq;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Infrastructure;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Orders;
using Nop.Services.Payments;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

/// <summary>
/// The whole checkout against the Klarna sandbox: session -> authorization (sandbox test control) -> Klarna order ->
/// records -> fraud notifications
/// </summary>
[TestFixture]
public class KlarnaCheckoutFlowTests
{
    private KlarnaSandboxHost _sandbox;
    private IKlarnaApiClient _client;
    private CheckoutHarness _harness;

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions());
        _client = KlarnaTestClients.Create();
        _harness = new CheckoutHarness { Credentials = KlarnaTestClients.Credentials(_sandbox) };
    }

    [TearDown]
    public async Task TearDown()
    {
        await _sandbox.DisposeAsync();
    }

    private static ProcessPaymentRequest PaymentRequest(string token, string sessionId) => new()
    {
        CustomerId = 5,
        StoreId = 1,
        OrderGuid = Guid.NewGuid(),
        OrderTotal = 624m,
        PaymentMethodSystemName = KlarnaDefaults.SystemName,
        CustomValues = new CustomValues
        {
            new(KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, token) { Name = KlarnaDefaults.Checkout.AuthorizationTokenCustomValue, Value = token },
            new(KlarnaDefaults.Checkout.SessionIdCustomValue, sessionId) { Name = KlarnaDefaults.Checkout.SessionIdCustomValue, Value = sessionId }
        }
    };

    private async Task<(KlarnaCheckoutSession Session, string Token)> AuthorizeAsync(string fraudStatus = "ACCEPTED")
    {
        var session = await _harness.SessionService(_client).PrepareSessionAsync();
        Assert.That(session.Error, Is.Null);
        var (found, approved, token, _) = _sandbox.State.AuthorizeSession(session.SessionId, true, fraudStatus, KlarnaTestClients.BrowserData(session.Customer));
        Assert.That(found && approved, Is.True);
        return (session, token);
    }

    [Test]
    public async Task PrepareSessionAsync_creates_a_session_for_the_cart_then_updates_the_same_session()
    {
        // Act
        var first = await _harness.SessionService(_client).PrepareSessionAsync();
        _harness.Source.OrderTotal = 625m; // the cart changed: one more cent rounds into the adjustment line
        var second = await _harness.SessionService(_client).PrepareSessionAsync();

        // Assert
        Assert.That(first.Error, Is.Null);
        Assert.That(first.ClientToken, Is.Not.Empty);
        Assert.That(first.Categories, Is.Not.Empty);
        Assert.That(first.Request.PurchaseCountry, Is.EqualTo("DE"));
        Assert.That(first.Request.PurchaseCurrency, Is.EqualTo("EUR"));
        Assert.That(first.Request.Locale, Is.EqualTo("de-DE"));
        Assert.That(first.Request.OrderAmount, Is.EqualTo(62400));
        Assert.That(second.SessionId, Is.EqualTo(first.SessionId));
        Assert.That(_harness.Attributes[KlarnaDefaults.Checkout.SessionIdAttribute], Is.EqualTo(first.SessionId));
        Assert.That(_sandbox.State.GetSession(first.SessionId).Cart.OrderAmount, Is.EqualTo(62500));
        Assert.That(_sandbox.State.CountRequests("POST", "/payments/v1/sessions"), Is.EqualTo(1));
    }

    [TestCase("de-DE", "NL", "EUR", "nl-NL")]
    [TestCase("en-US", "DE", "EUR", "en-DE")]
    [TestCase("fr-FR", "CH", "CHF", "fr-CH")]
    [TestCase("de-DE", "SE", "SEK", "sv-SE")]
    public async Task PrepareSessionAsync_sends_a_locale_klarna_supports_for_the_purchase_country(string culture, string country, string currency,
        string locale)
    {
        // Arrange: a German shop selling to the Netherlands must not send de-NL
        _harness.WorkContext.Setup(w => w.GetWorkingLanguageAsync()).ReturnsAsync(new Nop.Core.Domain.Localization.Language { LanguageCulture = culture });
        _harness.CountryCode = country;
        _harness.Source.PurchaseCountry = country;
        _harness.Source.CurrencyCode = currency;

        // Act
        var session = await _harness.SessionService(_client).PrepareSessionAsync();

        // Assert
        Assert.That(session.Error, Is.Null);
        Assert.That(_sandbox.State.GetSession(session.SessionId).Cart.Locale, Is.EqualTo(locale));
    }

    [Test]
    public async Task The_session_carries_no_personal_data_and_create_order_sends_the_addresses_the_browser_authorized_with()
    {
        // Arrange: the browser passes the session's customer data to authorize (Klarna's GDPR advice: none in the session)
        var session = await _harness.SessionService(_client).PrepareSessionAsync();
        var token = _sandbox.State.AuthorizeSession(session.SessionId, data: KlarnaTestClients.BrowserData(session.Customer)).Token;

        // Act
        var result = await _harness.CheckoutService(_client).ProcessPaymentAsync(PaymentRequest(token, session.SessionId));

        // Assert
        Assert.That(result.Errors, Is.Empty);
        var sessionBody = _sandbox.State.Requests.Single(r => r.Method == "POST" && r.Path == "/payments/v1/sessions").Body;
        Assert.That(sessionBody, Does.Not.Contain("address").And.Not.Contain("Erika").And.Not.Contain("@example.com"));
        var orderBody = Newtonsoft.Json.Linq.JObject.Parse(_sandbox.State.Requests.Single(r => r.Path.EndsWith("/order")).Body);
        Assert.That(orderBody["billing_address"]!.ToString(Newtonsoft.Json.Formatting.None),
            Is.EqualTo(Newtonsoft.Json.Linq.JObject.FromObject(session.Customer.BillingAddress,
                Newtonsoft.Json.JsonSerializer.Create(new Newtonsoft.Json.JsonSerializerSettings { NullValueHandling = Newtonsoft.Json.NullValueHandling.Ignore })).ToString(Newtonsoft.Json.Formatting.None)));
        Assert.That(orderBody["shipping_address"]!.Value<string>("given_name"), Is.EqualTo("Max"));
        var order = _sandbox.State.GetOrder(result.AuthorizationTransactionId);
        Assert.That((order.BillingAddress.GivenName, order.BillingAddress.Email, order.ShippingAddress.OrganizationName), Is.EqualTo(("Erika", "erika@example.com", "Muster GmbH")));
    }

    [Test]
    public async Task Checkout_creates_the_klarna_order_records_it_and_sets_the_custom_order_number()
    {
        // Arrange
        var (session, token) = await AuthorizeAsync();
        var service = _harness.CheckoutService(_client);
        var request = PaymentRequest(token, session.SessionId);

        // Act
        var result = await service.ProcessPaymentAsync(request);
        var order = _harness.PlaceOrder(request, result);
        await new EventConsumer(service, new Mock<IKlarnaOperationExecutor>().Object, _harness.Logger.Object, _harness.OrderService.Object,
            _harness.SettingService.Object).HandleEventAsync(new Nop.Core.Domain.Orders.OrderPlacedEvent(order));
        await service.PostProcessPaymentAsync(new PostProcessPaymentRequest { Order = order });

        // Assert
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Authorized));
        Assert.That(result.AuthorizationTransactionResult, Is.EqualTo("ACCEPTED"));
        var klarnaOrder = _sandbox.State.GetOrder(result.AuthorizationTransactionId);
        Assert.That(klarnaOrder, Is.Not.Null);
        Assert.That(klarnaOrder.OrderAmount, Is.EqualTo(62400));
        Assert.That(klarnaOrder.MerchantReference1, Is.EqualTo(order.CustomOrderNumber));
        Assert.That(klarnaOrder.MerchantReference2, Is.EqualTo(order.OrderGuid.ToString()));
        Assert.That(klarnaOrder.MerchantUrls.Notification, Is.EqualTo("http://shop.test/Plugins/Klarna/Notification/s3cret"));

        var record = _harness.Records.Records.Single();
        Assert.That(record.KlarnaOrderId, Is.EqualTo(klarnaOrder.OrderId));
        Assert.That(record.KlarnaReference, Is.EqualTo(klarnaOrder.KlarnaReference));
        Assert.That(record.SessionId, Is.EqualTo(session.SessionId));
        Assert.That(record.OrderAmountMinor, Is.EqualTo(62400));
        Assert.That(record.CurrencyCode, Is.EqualTo("EUR"));
        Assert.That(record.FraudStatus, Is.EqualTo("ACCEPTED"));
        Assert.That(record.ExpiresAtUtc, Is.Not.Null);
        var operation = _harness.Records.Operations.Single();
        Assert.That(operation.Kind, Is.EqualTo(KlarnaOperationKind.Authorize));
        Assert.That(operation.Status, Is.EqualTo(KlarnaOperationStatus.Succeeded));
        Assert.That(operation.Initiator, Is.EqualTo(KlarnaInitiator.Checkout));
        Assert.That(_harness.Notes, Has.Count.EqualTo(1));
        Assert.That(_harness.Notes[0].Note, Does.Contain(klarnaOrder.OrderId));
        var attempt = _harness.Attempts.Rows.Single();
        Assert.That((attempt.Status, attempt.OrderId, attempt.SessionId), Is.EqualTo((KlarnaCheckoutAttemptStatus.Placed, (int?)order.Id, session.SessionId)));
        _harness.StatusService.Verify(s => s.ApplyEventAsync(order, KlarnaStatusEvent.Authorized), Times.Once);
        Assert.That(_sandbox.State.CountRequests("PATCH", "/ordermanagement/v1/orders/*/merchant-references"), Is.EqualTo(1));
    }

    [Test]
    public async Task Fraud_pending_keeps_the_order_pending_and_applies_the_fraud_pending_status()
    {
        // Arrange
        var (session, token) = await AuthorizeAsync("PENDING");
        var service = _harness.CheckoutService(_client);
        var request = PaymentRequest(token, session.SessionId);

        // Act
        var result = await service.ProcessPaymentAsync(request);
        var order = _harness.PlaceOrder(request, result);
        await service.PostProcessPaymentAsync(new PostProcessPaymentRequest { Order = order });

        // Assert (the notifications that follow: KlarnaCheckoutOrderManagementTests, through the order engine)
        Assert.That(result.NewPaymentStatus, Is.EqualTo(PaymentStatus.Pending));
        Assert.That(result.AuthorizationTransactionResult, Is.EqualTo("PENDING"));
        _harness.StatusService.Verify(s => s.ApplyEventAsync(order, KlarnaStatusEvent.FraudPending), Times.Once);
    }

    [Test]
    public async Task ProcessPaymentAsync_fails_with_a_clear_message_and_cancels_the_klarna_order_when_klarna_rejects_it()
    {
        // Arrange
        var (session, token) = await AuthorizeAsync("REJECTED");

        // Act
        var result = await _harness.CheckoutService(_client).ProcessPaymentAsync(PaymentRequest(token, session.SessionId));

        // Assert
        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(result.Errors[0], Does.Contain("declined"));
        Assert.That(result.AuthorizationTransactionId, Is.Null);
        Assert.That(_sandbox.State.GetOrders().Single().Status, Is.EqualTo("CANCELLED"));
        Assert.That(_harness.Attempts.Rows.Single().Status, Is.EqualTo(KlarnaCheckoutAttemptStatus.Cancelled));
    }

    [Test]
    public async Task ProcessPaymentAsync_fails_without_calling_klarna_when_the_token_is_missing()
    {
        // Act
        var result = await _harness.CheckoutService(_client).ProcessPaymentAsync(PaymentRequest(null, null));

        // Assert
        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(_sandbox.State.Requests, Is.Empty);
    }

    [Test]
    public async Task ProcessPaymentAsync_cancels_the_authorization_when_the_order_data_differs_from_the_authorized_session()
    {
        // Arrange: the cart changed after the authorization
        var (session, token) = await AuthorizeAsync();
        _harness.Source.Items[0].Quantity = 2;
        _harness.Source.Items[0].TotalInclTax = 1190m;

        // Act
        var request = PaymentRequest(token, session.SessionId);
        request.OrderTotal = 1219m;
        var result = await _harness.CheckoutService(_client).ProcessPaymentAsync(request);

        // Assert
        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(_sandbox.State.CountRequests("DELETE", "/payments/v1/authorizations/*"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_klarna_order_whose_nopcommerce_order_was_never_saved_is_left_alone_while_young_then_cancelled()
    {
        // Arrange: ProcessPayment succeeded, then nopCommerce failed to save the order (no PlaceOrder)
        var (session, token) = await AuthorizeAsync();
        var result = await _harness.CheckoutService(_client).ProcessPaymentAsync(PaymentRequest(token, session.SessionId));
        Assert.That(result.Errors, Is.Empty);

        // Act: the customer comes back at once (another tab may still be saving it), then after the young time
        await _harness.Settler(_client).SettleCustomerAsync(_harness.Customer.Id);
        var whileYoung = _sandbox.State.GetOrder(result.AuthorizationTransactionId).Status;
        _harness.YoungTime = TimeSpan.Zero;
        await _harness.Settler(_client).SettleCustomerAsync(_harness.Customer.Id);

        // Assert
        Assert.That(whileYoung, Is.EqualTo("AUTHORIZED"));
        Assert.That(_sandbox.State.GetOrder(result.AuthorizationTransactionId).Status, Is.EqualTo("CANCELLED"));
        Assert.That(_harness.Attempts.Rows.Single().Status, Is.EqualTo(KlarnaCheckoutAttemptStatus.Cancelled));
        Assert.That(_harness.Records.Records, Is.Empty);
    }

    [Test]
    public async Task A_klarna_order_saved_by_nopcommerce_after_all_is_recorded_not_cancelled()
    {
        // Arrange: the order was saved but the OrderPlacedEvent / PostProcessPayment never reached the plugin
        var (session, token) = await AuthorizeAsync();
        var request = PaymentRequest(token, session.SessionId);
        var result = await _harness.CheckoutService(_client).ProcessPaymentAsync(request);
        var order = _harness.PlaceOrder(request, result);
        _harness.YoungTime = TimeSpan.Zero;

        // Act
        await _harness.Settler(_client).SettleCustomerAsync(_harness.Customer.Id);

        // Assert
        Assert.That(_sandbox.State.GetOrder(result.AuthorizationTransactionId).Status, Is.EqualTo("AUTHORIZED"));
        Assert.That(_harness.Records.Records.Single().OrderId, Is.EqualTo(order.Id));
        Assert.That(_harness.Attempts.Rows.Single().Status, Is.EqualTo(KlarnaCheckoutAttemptStatus.Placed));
    }

    [Test]
    public async Task A_second_checkout_of_the_customer_while_the_first_is_saved_neither_cancels_nor_takes_its_klarna_order()
    {
        // Arrange: tab A placed its Klarna order and nopCommerce is saving it; tab B authorized on its own
        var (sessionA, tokenA) = await AuthorizeAsync();
        var requestA = PaymentRequest(tokenA, sessionA.SessionId);
        var resultA = await _harness.CheckoutService(_client).ProcessPaymentAsync(requestA);
        _harness.Attributes.Remove(KlarnaDefaults.Checkout.SessionIdAttribute);
        var (sessionB, tokenB) = await AuthorizeAsync();

        // Act: tab B confirms; tab A's confirm is submitted a second time (double click)
        var resultB = await _harness.CheckoutService(_client).ProcessPaymentAsync(PaymentRequest(tokenB, sessionB.SessionId));
        var doubleSubmit = await _harness.CheckoutService(_client).ProcessPaymentAsync(requestA);

        // Assert
        Assert.That((resultA.Errors, resultB.Errors), Is.EqualTo((new List<string>(), new List<string>())));
        Assert.That(resultB.AuthorizationTransactionId, Is.Not.EqualTo(resultA.AuthorizationTransactionId));
        Assert.That(_sandbox.State.GetOrder(resultA.AuthorizationTransactionId).Status, Is.EqualTo("AUTHORIZED"));
        Assert.That(doubleSubmit.AuthorizationTransactionId, Is.Null);
        Assert.That(doubleSubmit.Errors.Single(), Does.Contain("being placed"));
        Assert.That(_sandbox.State.GetOrders(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Simultaneous_checkouts_of_one_customer_run_one_at_a_time()
    {
        // Arrange: the customer's checkout lock is held (another request is creating its Klarna order)
        var (session, token) = await AuthorizeAsync();
        _harness.Locker.Hold(Nop.Plugin.Payments.Klarna.Services.Checkout.KlarnaCheckoutAttemptSettler.LockKey(_harness.Customer.Id));

        // Act
        var result = await _harness.CheckoutService(_client).ProcessPaymentAsync(PaymentRequest(token, session.SessionId));

        // Assert
        Assert.That(result.Errors.Single(), Does.Contain("being placed"));
        Assert.That(_sandbox.State.CountRequests("POST", "/payments/v1/authorizations/*/order"), Is.Zero);
        Assert.That(_harness.Attempts.Rows, Is.Empty);
    }

    [Test]
    public async Task A_lost_create_order_answer_is_settled_by_repeating_it_with_the_same_token()
    {
        // Arrange: Klarna creates the order, the answer never arrives
        var (session, token) = await AuthorizeAsync();
        _sandbox.State.AddFault(new SandboxFault { Kind = "commit_then_drop", Method = "POST", PathPattern = "/payments/v1/authorizations/*/order" });

        // Act
        var result = await _harness.CheckoutService(_client).ProcessPaymentAsync(PaymentRequest(token, session.SessionId));

        // Assert: one order, found again by the repeat
        Assert.That(result.Errors, Is.Empty);
        Assert.That(_sandbox.State.GetOrders().Single().OrderId, Is.EqualTo(result.AuthorizationTransactionId));
        Assert.That(_sandbox.State.CountRequests("POST", "/payments/v1/authorizations/*/order"), Is.EqualTo(2));
        var attempt = _harness.Attempts.Rows.Single();
        Assert.That((attempt.Status, attempt.KlarnaOrderId), Is.EqualTo((KlarnaCheckoutAttemptStatus.Created, result.AuthorizationTransactionId)));
    }

    [Test]
    public async Task A_create_order_whose_answers_all_stay_lost_fails_without_cancelling_and_the_customers_retry_gets_the_same_order()
    {
        // Arrange: the order is created, then neither the answer nor the repeats' answers arrive
        var (session, token) = await AuthorizeAsync();
        _sandbox.State.AddFault(new SandboxFault { Kind = "commit_then_drop", Method = "POST", PathPattern = "/payments/v1/authorizations/*/order", Times = 3 });
        var request = PaymentRequest(token, session.SessionId);

        // Act
        var first = await _harness.CheckoutService(_client).ProcessPaymentAsync(request);
        var pending = _harness.Attempts.Rows.Single();
        var retry = await _harness.CheckoutService(_client).ProcessPaymentAsync(request);

        // Assert
        Assert.That(first.Errors.Single(), Does.Contain("not confirmed"));
        Assert.That((pending.Status, pending.SessionId, pending.OrderGuid, pending.AmountMinor), Is.EqualTo((KlarnaCheckoutAttemptStatus.Pending, session.SessionId, request.OrderGuid, 62400L)));
        Assert.That(pending.RequestJson, Is.Not.Null);
        Assert.That(_sandbox.State.CountRequests("DELETE", "/payments/v1/authorizations/*"), Is.Zero);
        Assert.That(retry.Errors, Is.Empty);
        Assert.That(_sandbox.State.GetOrders().Single().OrderId, Is.EqualTo(retry.AuthorizationTransactionId));
    }

    [Test]
    public async Task A_lost_answer_of_a_customer_who_never_comes_back_is_settled_by_the_sync_task_run()
    {
        // Arrange
        var (session, token) = await AuthorizeAsync();
        _sandbox.State.AddFault(new SandboxFault { Kind = "commit_then_drop", Method = "POST", PathPattern = "/payments/v1/authorizations/*/order", Times = 3 });
        await _harness.CheckoutService(_client).ProcessPaymentAsync(PaymentRequest(token, session.SessionId));
        _harness.YoungTime = TimeSpan.Zero;

        // Act
        var looked = await _harness.Settler(_client).SettleAllAsync();

        // Assert: learned by the repeat, then cancelled as a Klarna order without nopCommerce order
        Assert.That(looked, Is.EqualTo(1));
        Assert.That(_sandbox.State.GetOrders().Single().Status, Is.EqualTo("CANCELLED"));
        Assert.That(_harness.Attempts.Rows.Single().Status, Is.EqualTo(KlarnaCheckoutAttemptStatus.Cancelled));
    }

    [Test]
    public async Task A_lost_answer_that_cannot_be_settled_before_the_authorization_expires_is_shown_to_the_admin()
    {
        // Arrange: the answers stay lost and the authorization expires (Klarna no longer knows the token)
        var (session, token) = await AuthorizeAsync();
        _sandbox.State.AddFault(new SandboxFault { Kind = "commit_then_drop", Method = "POST", PathPattern = "/payments/v1/authorizations/*/order", Times = 3 });
        var request = PaymentRequest(token, session.SessionId);
        await _harness.CheckoutService(_client).ProcessPaymentAsync(request);
        _sandbox.State.AdvanceClock(TimeSpan.FromMinutes(61));
        _harness.Localization.Setup(l => l.GetResourceAsync("Plugins.Payments.Klarna.Checkout.AttemptNeedsAttention"))
            .ReturnsAsync("Klarna: Antwort verloren. Händlerreferenz {0}, Klarna-Sitzung {1}, {2} {3}, im Merchant Portal prüfen.");

        // Act
        await _harness.Settler(_client).SettleAllAsync();

        // Assert: a warning in the shop's language with the Klarna session and the reference, nothing cancelled blindly
        var attempt = _harness.Attempts.Rows.Single();
        Assert.That(attempt.Status, Is.EqualTo(KlarnaCheckoutAttemptStatus.NeedsAttention));
        Assert.That(attempt.RequestJson, Is.Null);
        _harness.Logger.Verify(l => l.WarningAsync(It.Is<string>(m => m.StartsWith("Klarna: Antwort verloren") && m.Contains(session.SessionId)
            && m.Contains(request.OrderGuid.ToString())), It.IsAny<Exception>(), It.IsAny<Nop.Core.Domain.Customers.Customer>()), Times.Once);
        Assert.That(KlarnaLocaleResources.GetAll(), Does.ContainKey("Plugins.Payments.Klarna.Checkout.AttemptNeedsAttention"));
        Assert.That(_sandbox.State.GetOrders().Single().Status, Is.EqualTo("AUTHORIZED"));
    }
}
