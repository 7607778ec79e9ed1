using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// Klarna Payments rules (API.md §6.3, §7, §10.3): line arithmetic, order sums, authorization tokens, 409 on mismatching data
/// </summary>
[TestFixture]
public class SandboxPaymentsTests : SandboxFixtureTestBase
{
    private KlarnaApiException AssertBadValue(KlarnaSessionRequest cart, string field)
    {
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateSessionAsync(_credentials, cart));
        Assert.That(exception.StatusCode, Is.EqualTo(400));
        Assert.That(exception.ErrorCode, Is.EqualTo("BAD_VALUE"));
        Assert.That(exception.ErrorMessages, Is.EqualTo(new[] { $"Bad value: {field}" }));
        Assert.That(exception.CorrelationId, Is.EqualTo(_fixture.State.Requests.Last().CorrelationId));
        return exception;
    }

    private async Task<(KlarnaSessionRequest Cart, string Token)> AuthorizedSessionAsync()
    {
        var cart = SandboxFixture.Cart();
        var session = await _client.CreateSessionAsync(_credentials, cart);
        return (cart, await _fixture.AuthorizeAsync(session.SessionId));
    }

    [Test]
    public async Task Session_with_klarna_worked_example_is_accepted()
    {
        // Act
        var session = await _client.CreateSessionAsync(_credentials, SandboxFixture.Cart());

        // Assert
        Assert.That(_fixture.State.GetSession(session.SessionId).Cart.OrderAmount, Is.EqualTo(62400));
    }

    [Test]
    public void Line_total_other_than_quantity_times_price_minus_discount_is_BAD_VALUE()
    {
        // Arrange
        var line = SandboxFixture.Line("Shoes", 2, 1000, 2500, discount: 100);
        line.TotalAmount = 2000;
        line.TotalTaxAmount = 400;
        var cart = SandboxFixture.Cart(SandboxFixture.Line("Hat", 1, 500), line);

        // Act & Assert
        AssertBadValue(cart, "order_lines[1].total_amount");
    }

    [TestCase(1, true)]
    [TestCase(-1, true)]
    [TestCase(2, false)]
    [TestCase(-2, false)]
    public async Task Line_tax_is_accepted_within_one_minor_unit_of_the_rate(int offset, bool accepted)
    {
        // Arrange: 60000 at 20 % holds exactly 10000 of tax
        var line = SandboxFixture.Line("Shoes", 1, 60000, 2000);
        line.TotalTaxAmount += offset;
        var cart = SandboxFixture.Cart(line);

        // Act & Assert
        if (accepted)
            Assert.That((await _client.CreateSessionAsync(_credentials, cart)).SessionId, Is.Not.Empty);
        else
            AssertBadValue(cart, "order_lines[0].total_tax_amount");
    }

    [TestCase(101, 21, true)]
    [TestCase(101, 22, false)]
    [TestCase(-101, -21, true)]
    [TestCase(-101, -22, false)]
    [TestCase(1, 1, true)]
    [TestCase(1, -1, false)]
    public async Task Line_tax_is_checked_against_the_exact_tax_of_the_line_total(long total, long tax, bool accepted)
    {
        // Arrange: at 25 % the exact tax of 101 is 20.2 (an integer formula that truncates the net amount would allow 22)
        var line = SandboxFixture.Line("Hat", 1, total, 2500, type: total < 0 ? KlarnaOrderLineType.Discount : KlarnaOrderLineType.Physical);
        line.TotalTaxAmount = tax;
        var cart = SandboxFixture.Cart(SandboxFixture.Line("Shoes", 1, 1000, 2500), line);

        // Act & Assert
        if (accepted)
            Assert.That((await _client.CreateSessionAsync(_credentials, cart)).SessionId, Is.Not.Empty);
        else
            AssertBadValue(cart, "order_lines[1].total_tax_amount");
    }

    [TestCase("NL", "EUR", "de-NL", "locale")]
    [TestCase("DE", "EUR", "de-AT", "locale")]
    [TestCase("GB", "GBP", "de-GB", "locale")]
    [TestCase("SE", "EUR", "sv-SE", "purchase_currency")]
    [TestCase("CH", "EUR", "de-CH", "purchase_currency")]
    [TestCase("US", "CAD", "en-US", "purchase_currency")]
    [TestCase("JP", "JPY", "ja-JP", "purchase_country")]
    [TestCase("EE", "EUR", "et-EE", "purchase_country")]
    public void Session_outside_klarnas_countries_currencies_and_locales_is_BAD_VALUE(string country, string currency, string locale, string field)
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        (cart.PurchaseCountry, cart.PurchaseCurrency, cart.Locale) = (country, currency, locale);

        // Act & Assert
        AssertBadValue(cart, field);
    }

    [TestCase("NL", "EUR", "nl-NL")]
    [TestCase("NL", "EUR", "en-NL")]
    [TestCase("DE", "EUR", "en-DE")]
    [TestCase("CH", "CHF", "fr-CH")]
    [TestCase("FI", "EUR", "sv-FI")]
    [TestCase("NO", "NOK", "nb-NO")]
    [TestCase("US", "USD", "es-US")]
    [TestCase("AU", "AUD", "en-AU")]
    [TestCase("se", "sek", "sv-se")]
    public async Task Session_in_a_locale_klarna_lists_for_the_country_and_its_currency_is_accepted(string country, string currency, string locale)
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        (cart.PurchaseCountry, cart.PurchaseCurrency, cart.Locale) = (country, currency, locale);

        // Act
        var session = await _client.CreateSessionAsync(_credentials, cart);

        // Assert
        Assert.That(session.SessionId, Is.Not.Empty);
    }

    [Test]
    public async Task Session_update_and_create_order_check_the_locale_too()
    {
        // Arrange
        var session = await _client.CreateSessionAsync(_credentials, SandboxFixture.Cart());
        var token = await _fixture.AuthorizeAsync(session.SessionId);
        var wrong = SandboxFixture.Cart();
        wrong.Locale = "fr-DE";

        // Act
        var update = Assert.ThrowsAsync<KlarnaApiException>(() => _client.UpdateSessionAsync(_credentials, session.SessionId, wrong));
        var create = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, wrong));

        // Assert
        Assert.That((update.StatusCode, update.ErrorMessages), Is.EqualTo((400, new[] { "Bad value: locale" })));
        Assert.That((create.StatusCode, create.ErrorMessages), Is.EqualTo((400, new[] { "Bad value: locale" })));
        Assert.That(_fixture.State.GetOrders(), Is.Empty);
    }

    [Test]
    public void Order_amount_other_than_the_sum_of_lines_is_BAD_VALUE()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        cart.OrderAmount += 1;

        // Act & Assert
        AssertBadValue(cart, "order_amount");
    }

    [TestCase(2, true)]
    [TestCase(-2, true)]
    [TestCase(3, false)]
    public async Task Order_tax_is_accepted_within_the_number_of_lines(int offset, bool accepted)
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        cart.OrderTaxAmount += offset;

        // Act & Assert
        if (accepted)
            Assert.That((await _client.CreateSessionAsync(_credentials, cart)).SessionId, Is.Not.Empty);
        else
            AssertBadValue(cart, "order_tax_amount");
    }

    [Test]
    public async Task Discounts_as_negative_lines_and_as_line_discounts_are_accepted()
    {
        // Arrange
        var cart = SandboxFixture.Cart(
            SandboxFixture.Line("Shoes", 3, 1999, 1900, discount: 500),
            SandboxFixture.Line("Voucher", 1, -1000, 1900, type: KlarnaOrderLineType.Discount),
            SandboxFixture.Line("Shipping", 1, 490, 1900, type: KlarnaOrderLineType.ShippingFee));

        // Act
        var session = await _client.CreateSessionAsync(_credentials, cart);

        // Assert
        Assert.That(cart.OrderLines[1].TotalTaxAmount, Is.Negative);
        Assert.That(_fixture.State.GetSession(session.SessionId).Cart.OrderAmount, Is.EqualTo(3 * 1999 - 500 - 1000 + 490));
    }

    [Test]
    public async Task Us_style_sales_tax_line_is_accepted()
    {
        // Arrange
        var cart = SandboxFixture.Cart(
            SandboxFixture.Line("Shoes", 1, 10000, 0),
            new KlarnaOrderLine { Type = KlarnaOrderLineType.SalesTax, Name = "Sales Tax", Quantity = 1, UnitPrice = 888, TotalAmount = 888 });
        cart.PurchaseCountry = "US";
        cart.PurchaseCurrency = "USD";
        cart.Locale = "en-US";
        cart.OrderTaxAmount = 888;

        // Act
        var session = await _client.CreateSessionAsync(_credentials, cart);

        // Assert
        Assert.That(session.SessionId, Is.Not.Empty);
    }

    [Test]
    public void Missing_purchase_currency_and_empty_lines_are_BAD_VALUE()
    {
        // Arrange
        var noCurrency = SandboxFixture.Cart();
        noCurrency.PurchaseCurrency = null;
        var noLines = SandboxFixture.Cart();
        noLines.OrderLines = new List<KlarnaOrderLine>();
        var noName = SandboxFixture.Cart(SandboxFixture.Line("x", 1, 100));
        noName.OrderLines[0].Name = null;

        // Act & Assert
        AssertBadValue(noCurrency, "purchase_currency");
        AssertBadValue(noLines, "order_lines");
        AssertBadValue(noName, "order_lines[0].name");
    }

    [Test]
    public async Task Session_update_is_validated_like_create()
    {
        // Arrange
        var session = await _client.CreateSessionAsync(_credentials, SandboxFixture.Cart());
        var cart = SandboxFixture.Cart();
        cart.OrderTaxAmount = 0;

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.UpdateSessionAsync(_credentials, session.SessionId, cart));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(400));
        Assert.That(exception.ErrorMessages, Is.EqualTo(new[] { "Bad value: order_tax_amount" }));
    }

    [Test]
    public void Unknown_session_is_404_NOT_FOUND()
    {
        // Act
        var read = Assert.ThrowsAsync<KlarnaApiException>(() => _client.GetSessionAsync(_credentials, "missing"));
        var update = Assert.ThrowsAsync<KlarnaApiException>(() => _client.UpdateSessionAsync(_credentials, "missing", SandboxFixture.Cart()));

        // Assert
        Assert.That(new[] { read.StatusCode, update.StatusCode }, Is.All.EqualTo(404));
        Assert.That(read.ErrorCode, Is.EqualTo("NOT_FOUND"));
        Assert.That(read.ErrorMessages, Is.EqualTo(new[] { "Invalid session id" }));
    }

    [Test]
    public async Task Create_order_with_a_different_amount_than_authorized_is_409_BAD_VALUE()
    {
        // Arrange
        var (_, token) = await AuthorizedSessionAsync();
        var changed = SandboxFixture.Cart(SandboxFixture.Line("Shoes", 1, 59500, 2000, reference: "SHOE-1"), SandboxFixture.Line("Shipping", 1, 3900, 2000, reference: "SHIP"));

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, changed));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(409));
        Assert.That(exception.ErrorCode, Is.EqualTo("BAD_VALUE"));
        Assert.That(exception.ErrorMessages[0], Does.StartWith("Not matching fields: [").And.Contain("order_amount"));
        Assert.That(_fixture.State.GetOrders(), Is.Empty);
    }

    [Test]
    public async Task Create_order_with_a_different_number_of_lines_is_409_with_klarna_message()
    {
        // Arrange
        var (cart, token) = await AuthorizedSessionAsync();
        var more = SandboxFixture.Cart(cart.OrderLines.Append(SandboxFixture.Line("Socks", 1, 500)).ToArray());

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, more));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(409));
        Assert.That(exception.ErrorMessages, Has.Some.EqualTo("Incorrect number of items in the cart. Expected: 2, Actual: 3"));
    }

    [Test]
    public async Task Create_order_with_invalid_lines_is_400_BAD_VALUE()
    {
        // Arrange
        var (cart, token) = await AuthorizedSessionAsync();
        cart.OrderLines[0].TotalTaxAmount = 0;

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, cart));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(400));
        Assert.That(exception.ErrorMessages, Is.EqualTo(new[] { "Bad value: order_lines[0].total_tax_amount" }));
    }

    [Test]
    public async Task Create_order_repeated_with_the_same_token_answers_with_the_same_order_and_creates_no_second()
    {
        // Arrange: Klarna's create order is idempotent per authorization token (a lost answer is recovered by repeating it)
        var (cart, token) = await AuthorizedSessionAsync();
        var first = await _client.CreateOrderAsync(_credentials, token, cart);

        // Act
        var repeated = await _client.CreateOrderAsync(_credentials, token, cart);

        // Assert
        Assert.That(repeated.OrderId, Is.EqualTo(first.OrderId));
        Assert.That(repeated.FraudStatus, Is.EqualTo(first.FraudStatus));
        Assert.That(_fixture.State.GetOrders(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Create_order_repeated_after_a_refusal_answers_with_the_same_refusal()
    {
        // Arrange
        var (cart, token) = await AuthorizedSessionAsync();
        var changed = SandboxFixture.Cart();
        changed.OrderAmount += 100;
        changed.OrderLines[0].UnitPrice += 100;
        changed.OrderLines[0].TotalAmount += 100;
        changed.OrderLines[0].TotalTaxAmount = SandboxFixture.Line("x", 1, changed.OrderLines[0].TotalAmount, 2000).TotalTaxAmount;
        changed.OrderTaxAmount = changed.OrderLines.Sum(l => l.TotalTaxAmount);
        var first = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, changed));

        // Act
        var repeated = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, cart));

        // Assert
        Assert.That((repeated.StatusCode, repeated.ErrorCode), Is.EqualTo((first.StatusCode, first.ErrorCode)));
        Assert.That(_fixture.State.GetOrders(), Is.Empty);
    }

    [Test]
    public async Task Create_order_with_addresses_other_than_the_authorized_ones_is_409_naming_them()
    {
        // Arrange: the customer's browser authorized with these addresses
        var cart = SandboxFixture.Cart();
        var session = await _client.CreateSessionAsync(_credentials, cart);
        var token = await _fixture.AuthorizeAsync(session.SessionId, billingAddress: SandboxFixture.Address("Erika"), shippingAddress: SandboxFixture.Address("Max"));
        var order = SandboxFixture.Cart();
        order.BillingAddress = SandboxFixture.Address("Erika");
        order.ShippingAddress = SandboxFixture.Address("Max");
        order.ShippingAddress.PostalCode = "10115";

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, order));

        // Assert
        Assert.That((exception.StatusCode, exception.ErrorCode), Is.EqualTo((409, "BAD_VALUE")));
        Assert.That(exception.ErrorMessages[0], Is.EqualTo("Not matching fields: [shipping_address.postal_code]"));
        Assert.That(_fixture.State.GetOrders(), Is.Empty);
    }

    [Test]
    public async Task Create_order_with_addresses_the_authorization_did_not_have_is_409()
    {
        // Arrange
        var (_, token) = await AuthorizedSessionAsync();
        var order = SandboxFixture.Cart();
        order.BillingAddress = SandboxFixture.Address("Erika");

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, order));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(409));
        Assert.That(exception.ErrorMessages[0], Is.EqualTo("Not matching fields: [billing_address]"));
    }

    [Test]
    public async Task Create_order_with_the_authorized_addresses_keeps_them_on_the_order()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        var session = await _client.CreateSessionAsync(_credentials, cart);
        var token = await _fixture.AuthorizeAsync(session.SessionId, billingAddress: SandboxFixture.Address("Erika"), shippingAddress: SandboxFixture.Address("Max"));
        cart.BillingAddress = SandboxFixture.Address("Erika");
        cart.ShippingAddress = SandboxFixture.Address("Max");

        // Act
        var created = await _client.CreateOrderAsync(_credentials, token, cart);

        // Assert
        var order = await _client.GetOrderAsync(_credentials, created.OrderId);
        Assert.That((order.BillingAddress.GivenName, order.ShippingAddress.GivenName), Is.EqualTo(("Erika", "Max")));
        Assert.That(order.BillingAddress.Email, Is.EqualTo("erika@example.com"));
    }

    [Test]
    public async Task Create_order_without_addresses_takes_the_authorized_ones()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        var session = await _client.CreateSessionAsync(_credentials, cart);
        var token = await _fixture.AuthorizeAsync(session.SessionId, billingAddress: SandboxFixture.Address("Erika"));

        // Act
        var created = await _client.CreateOrderAsync(_credentials, token, cart);

        // Assert: Klarna copies the billing address when there is no shipping address
        var order = await _client.GetOrderAsync(_credentials, created.OrderId);
        Assert.That((order.BillingAddress.GivenName, order.ShippingAddress.GivenName), Is.EqualTo(("Erika", "Erika")));
    }

    [Test]
    public async Task Authorization_token_expires_after_60_minutes()
    {
        // Arrange
        var (cart, token) = await AuthorizedSessionAsync();
        (await _fixture.PostControlAsync("_sandbox/clock", "{\"advance_minutes\":61}")).EnsureSuccessStatusCode();

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, token, cart));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(404));
        Assert.That(exception.ErrorCode, Is.EqualTo("NOT_FOUND"));
    }

    [Test]
    public void Unknown_authorization_token_is_404_on_create_order_and_cancel()
    {
        // Act
        var create = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateOrderAsync(_credentials, "nope", SandboxFixture.Cart()));
        var cancel = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CancelAuthorizationAsync(_credentials, "nope"));

        // Assert
        Assert.That(new[] { create.ErrorCode, cancel.ErrorCode }, Is.All.EqualTo("NOT_FOUND"));
        Assert.That(new[] { create.StatusCode, cancel.StatusCode }, Is.All.EqualTo(404));
    }

    [Test]
    public async Task Auto_capture_captures_the_whole_order_at_creation()
    {
        // Arrange
        var (cart, token) = await AuthorizedSessionAsync();
        cart.AutoCapture = true;

        // Act
        var created = await _client.CreateOrderAsync(_credentials, token, cart);

        // Assert
        var order = await _client.GetOrderAsync(_credentials, created.OrderId);
        Assert.That(order.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
        Assert.That(order.CapturedAmount, Is.EqualTo(62400));
    }

    [Test]
    public async Task Update_of_a_session_that_became_an_order_is_404_SESSION_COMPLETED()
    {
        // Arrange
        var cart = SandboxFixture.Cart();
        var session = await _client.CreateSessionAsync(_credentials, cart);
        var token = await _fixture.AuthorizeAsync(session.SessionId);
        await _client.CreateOrderAsync(_credentials, token, cart);

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.UpdateSessionAsync(_credentials, session.SessionId, cart));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(404));
        Assert.That(exception.ErrorCode, Is.EqualTo("SESSION_COMPLETED"));
    }

    [TestCase(403, "MERCHANT_INACTIVE")]
    [TestCase(403, "REJECTED")]
    [TestCase(403, "INVALID_OPERATION")]
    [TestCase(500, "INTERNAL_SERVER_ERROR")]
    public async Task Injected_klarna_payments_errors_surface_with_their_code(int status, string errorCode)
    {
        // Arrange
        await _fixture.AddFaultAsync(new { method = "POST", path_pattern = "/payments/v1/sessions", kind = "status", status, error_code = errorCode });

        // Act
        var exception = Assert.ThrowsAsync<KlarnaApiException>(() => _client.CreateSessionAsync(_credentials, SandboxFixture.Cart()));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(status));
        Assert.That(exception.ErrorCode, Is.EqualTo(errorCode));
        Assert.That(exception.CorrelationId, Is.EqualTo(_fixture.State.Requests.Single().CorrelationId));
    }
}
