using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Klarna.Sandbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Newtonsoft.Json.Linq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Payments;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

/// <summary>
/// A checkout per market against the Klarna sandbox, through nopCommerce's entry points of the whole plugin (its own DI
/// registrations, MarketShop): the payment step's session, the customer's authorize (and finalize for a pay-now category),
/// the payment info form, create order with the customer's addresses, then the order engine: a capture of part of a line by
/// the admin, nopCommerce's Capture of the rest, a refund of part of a line by the admin, nopCommerce's partial Refund and its
/// Refund of the rest. No request may be refused by the sandbox, which knows Klarna's markets, locales, line and address
/// rules (the ±1 minor unit tax of every part of a line, the US sales_tax convention).
/// </summary>
[TestFixture]
public class KlarnaMarketCheckoutTests
{
    private KlarnaSandboxHost _sandbox;

    private static readonly KlarnaMarket[] _markets =
    {
        new("US, sales tax", "US", "USD", "en-US", KlarnaRegion.NorthAmerica, "Beverly Hills", "90210", "CA",
            new[] { ("SHOE-1", 2, 49.99m, 9.5m), ("HAT-2", 1, 15.00m, 9.5m) }, 7.95m, 0m),
        new("GB", "GB", "GBP", "en-GB", KlarnaRegion.Europe, "London", "SW1A 1AA", null,
            new[] { ("TEA-1", 3, 4.16m, 20m), ("BOOK-2", 1, 12.99m, 0m) }, 3.33m, 20m),
        new("DE with an English shop", "DE", "EUR", "en-US", KlarnaRegion.Europe, "Berlin", "10117", null,
            new[] { ("BIKE-1", 1, 499.99m, 19m), ("BELL-2", 4, 3.35m, 19m) }, 4.95m, 19m),
        new("NL with a German shop", "NL", "EUR", "de-DE", KlarnaRegion.Europe, "Amsterdam", "1012 AB", null,
            new[] { ("LAMP-1", 2, 24.79m, 21m), ("BULB-2", 6, 1.65m, 21m), ("BOOK-3", 1, 18.87m, 9m) }, 4.13m, 21m),
        new("SE, pay now (finalize)", "SE", "SEK", "sv-SE", KlarnaRegion.Europe, "Stockholm", "111 22", null,
            new[] { ("CHAIR-1", 2, 796.00m, 25m), ("FOOD-2", 5, 17.86m, 12m) }, 39.20m, 25m),
        new("AT", "AT", "EUR", "de-AT", KlarnaRegion.Europe, "Wien", "1010", null,
            new[] { ("SKI-1", 1, 333.33m, 20m), ("WAX-2", 3, 8.25m, 20m) }, 5.83m, 20m),
        new("CH French", "CH", "CHF", "fr-CH", KlarnaRegion.Europe, "Genève", "1201", null,
            new[] { ("WATCH-1", 1, 1199.00m, 8.1m), ("BAND-2", 2, 27.75m, 8.1m) }, 9.25m, 8.1m),
        new("AU", "AU", "AUD", "en-AU", KlarnaRegion.Oceania, "Sydney", "2000", "NSW",
            new[] { ("BOARD-1", 1, 545.45m, 10m), ("FIN-2", 3, 22.73m, 10m) }, 13.64m, 10m),
        new("FI Swedish", "FI", "EUR", "sv-SE", KlarnaRegion.Europe, "Helsingfors", "00100", null,
            new[] { ("SAUNA-1", 1, 1612.90m, 25.5m) }, 23.90m, 25.5m),
        new("NO", "NO", "NOK", "nb-NO", KlarnaRegion.Europe, "Oslo", "0150", null,
            new[] { ("JACKET-1", 1, 1999.20m, 25m), ("CAP-2", 2, 159.20m, 25m) }, 79.20m, 25m)
    };

    private static readonly Dictionary<string, string> _expectedLocales = new()
    {
        ["US, sales tax"] = "en-US", ["GB"] = "en-GB", ["DE with an English shop"] = "en-DE", ["NL with a German shop"] = "nl-NL",
        ["SE, pay now (finalize)"] = "sv-SE", ["AT"] = "de-AT", ["CH French"] = "fr-CH", ["AU"] = "en-AU", ["FI Swedish"] = "sv-FI", ["NO"] = "nb-NO"
    };

    [OneTimeSetUp]
    public async Task StartSandboxAsync()
    {
        _sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions());
    }

    [OneTimeTearDown]
    public async Task StopSandboxAsync()
    {
        await _sandbox.DisposeAsync();
    }

    private static IFormCollection Form(params (string Key, string Value)[] values) =>
        new FormCollection(values.ToDictionary(v => v.Key, v => new StringValues(v.Value)));

    [TestCaseSource(nameof(_markets))]
    public async Task A_checkout_goes_through_session_authorization_order_capture_and_refunds_with_no_refusal(KlarnaMarket market)
    {
        // Arrange
        await using var shop = new MarketShop(_sandbox, market);
        var paymentMethod = shop.Get<IPaymentMethod>();
        var checkout = shop.Get<IKlarnaCheckoutService>();
        var firstRequest = _sandbox.State.Requests.Count;
        var payNow = market.Name.Contains("pay now", StringComparison.Ordinal);
        var category = payNow ? "pay_now" : "pay_later";

        // Act 1: nopCommerce offers Klarna, the payment step prepares the session
        var hidden = await paymentMethod.HidePaymentMethodAsync(new List<ShoppingCartItem>());
        var session = await shop.Get<IKlarnaCheckoutSessionService>().PrepareSessionAsync();
        Assert.That((hidden, session.Error), Is.EqualTo((false, (string)null)));

        // Act 2: the customer authorizes in the widget (auto_finalize:false, the session's customer data), the form is posted
        var authorized = _sandbox.State.AuthorizeSession(session.SessionId, data: KlarnaTestClients.BrowserData(session.Customer),
            autoFinalize: false, category: category);
        Assert.That((authorized.Approved, authorized.FinalizeRequired), Is.EqualTo((true, payNow)));
        var form = Form((KlarnaDefaults.Checkout.AuthorizationTokenField, authorized.Token ?? ""), (KlarnaDefaults.Checkout.SessionIdField, session.SessionId),
            (KlarnaDefaults.Checkout.CategoryField, category), (KlarnaDefaults.Checkout.FinalizeRequiredField, authorized.FinalizeRequired ? "true" : ""));
        Assert.That(await paymentMethod.ValidatePaymentFormAsync(form), Is.Empty);
        var request = await paymentMethod.GetPaymentInfoAsync(form);
        request.CustomerId = shop.Customer.Id;
        request.StoreId = 1;
        request.OrderGuid = Guid.NewGuid();
        request.OrderTotal = shop.OrderTotal;
        request.PaymentMethodSystemName = KlarnaDefaults.SystemName;
        shop.PaymentRequest = request;

        // Act 3 (pay now): the confirm step updates the session, the customer finalizes, the token reaches the payment request
        if (payNow)
        {
            var finalization = await checkout.GetFinalizationAsync();
            var confirmSession = await shop.Get<IKlarnaCheckoutSessionService>().PrepareSessionAsync();
            var finalized = _sandbox.State.FinalizeSession(finalization.SessionId, KlarnaTestClients.BrowserData(confirmSession.Customer));
            Assert.That(await checkout.SaveFinalizedTokenAsync(finalization.SessionId, finalized.Token), Is.True);
        }

        // Act 4: nopCommerce places the order: create order, then the saved order is recorded
        var result = await paymentMethod.ProcessPaymentAsync(shop.PaymentRequest);
        Assert.That(result.Errors ?? new List<string>(), Is.Empty); // the reference's results leave Errors null
        var order = new Order
        {
            Id = 500, OrderGuid = request.OrderGuid, CustomOrderNumber = "500", StoreId = 1, CustomerId = shop.Customer.Id, OrderTotal = shop.OrderTotal,
            CurrencyRate = 1m, CustomerCurrencyCode = market.Currency, PaymentMethodSystemName = KlarnaDefaults.SystemName,
            AuthorizationTransactionId = result.AuthorizationTransactionId, AuthorizationTransactionResult = result.AuthorizationTransactionResult,
            PaymentStatusId = (int)result.NewPaymentStatus, OrderStatusId = (int)OrderStatus.Pending
        };
        shop.Orders.Add(order);
        await paymentMethod.PostProcessPaymentAsync(new PostProcessPaymentRequest { Order = order });

        // Act 5: the admin captures one unit of the item line with the most units (a part of a line) through the order
        // engine and nopCommerce's Capture takes the rest (the rest of that line with it); the admin refunds one unit of it
        // by lines, then nopCommerce's partial Refund and its Refund of the rest
        var executor = shop.Get<IKlarnaOperationExecutor>();
        var split = _sandbox.State.GetOrder(result.AuthorizationTransactionId).OrderLines
            .Where(l => l.Type == KlarnaOrderLineType.Physical).OrderByDescending(l => l.Quantity).First();
        var oneUnit = new List<KlarnaLineSelection> { new() { Reference = split.Reference, Quantity = 1 } };
        var partCapture = await executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Lines = oneUnit, InitiatedBy = "admin" });
        var capture = await paymentMethod.CaptureAsync(new CapturePaymentRequest { Order = order });
        order.PaymentStatusId = (int)PaymentStatus.Paid;
        var partRefund = await executor.ExecuteAsync(new KlarnaRefundCommand { OrderId = order.Id, Lines = oneUnit, InitiatedBy = "admin" });
        var partial = await paymentMethod.RefundAsync(new RefundPaymentRequest { Order = order, AmountToRefund = 10m, IsPartialRefund = true });
        order.PaymentStatusId = (int)PaymentStatus.PartiallyRefunded;
        var left = _sandbox.State.GetOrder(result.AuthorizationTransactionId);
        var rest = await paymentMethod.RefundAsync(new RefundPaymentRequest
        {
            Order = order, AmountToRefund = KlarnaAmount.FromMinor(left.CapturedAmount - left.RefundedAmount, market.Currency), IsPartialRefund = false
        });

        // Assert: nothing refused, Klarna's order as nopCommerce's
        Assert.That((partCapture.Success, partRefund.Success), Is.EqualTo((true, true)), $"{partCapture.Refusal?.Code} {partRefund.Refusal?.Code} {partCapture.ErrorCode} {partRefund.ErrorCode}");
        Assert.That(capture.Errors ?? new List<string>(), Is.Empty);
        Assert.That(partial.Errors ?? new List<string>(), Is.Empty);
        Assert.That(rest.Errors ?? new List<string>(), Is.Empty);
        var requests = _sandbox.State.Requests.Skip(firstRequest).ToList();
        Assert.That(requests.Where(r => r.Status >= 400).Select(r => $"{r.Method} {r.Path} {r.Status}"), Is.Empty);

        var klarnaOrder = _sandbox.State.GetOrder(result.AuthorizationTransactionId);
        var amount = KlarnaAmount.ToMinor(shop.OrderTotal, market.Currency);
        Assert.That((klarnaOrder.OrderAmount, klarnaOrder.CapturedAmount, klarnaOrder.RefundedAmount), Is.EqualTo((amount, amount, amount)));
        Assert.That((klarnaOrder.PurchaseCountry, klarnaOrder.PurchaseCurrency, klarnaOrder.Locale), Is.EqualTo((market.Country, market.Currency, _expectedLocales[market.Name])));
        Assert.That((klarnaOrder.BillingAddress.GivenName, klarnaOrder.BillingAddress.Email, klarnaOrder.BillingAddress.Country, klarnaOrder.BillingAddress.Region),
            Is.EqualTo(("Anna", "anna@example.com", market.Country, market.State)));
        Assert.That((klarnaOrder.ShippingAddress.GivenName, klarnaOrder.ShippingAddress.OrganizationName), Is.EqualTo(("Erik", "Lind & Co")));
        Assert.That(klarnaOrder.MerchantReference1, Is.EqualTo("500"));
        Assert.That((klarnaOrder.Captures.Count, klarnaOrder.Refunds.Count), Is.EqualTo((2, 3)));
        Assert.That(klarnaOrder.Captures.SelectMany(c => c.OrderLines).Where(l => l.Reference == split.Reference).Sum(l => l.TotalAmount ?? 0),
            Is.EqualTo(split.TotalAmount ?? 0), "the parts of the split line add up to it");

        // the session carried no personal data; US orders carry their tax as one sales_tax line
        var sessionBody = requests.First(r => r.Path == "/payments/v1/sessions").Body;
        Assert.That(sessionBody, Does.Not.Contain("address").And.Not.Contain("anna@example.com"));
        var salesTax = klarnaOrder.OrderLines.Where(l => l.Type == KlarnaOrderLineType.SalesTax).ToList();
        Assert.That(salesTax, market.Country == "US" ? Has.Count.EqualTo(1) : Is.Empty);
        if (market.Country == "US")
            Assert.That(klarnaOrder.OrderLines.Where(l => l.Type != KlarnaOrderLineType.SalesTax).Select(l => l.TaxRate), Is.All.EqualTo(0));
        Assert.That(requests.Count(r => r.Path.EndsWith("/order", StringComparison.Ordinal)), Is.EqualTo(1));
        TestContext.Out.WriteLine($"{market.Name}: {requests.Count} Klarna requests: " + string.Join(", ", requests.Select(r => $"{r.Method} {r.Path.Split('?')[0]} {r.Status}")));
    }
}
