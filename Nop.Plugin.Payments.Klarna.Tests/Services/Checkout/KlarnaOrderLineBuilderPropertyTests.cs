using CsCheck;
using Klarna.Sandbox;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Services.Checkout;
using Nop.Plugin.Payments.Klarna.Tests.Support;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.Checkout;

[TestFixture]
public class KlarnaOrderLineBuilderPropertyTests
{
    private static string Describe(KlarnaOrderLines lines) => string.Join(Environment.NewLine,
        lines.Lines.Select(l => $"{l.Type} {l.Reference} q{l.Quantity} u{l.UnitPrice} d{l.TotalDiscountAmount} t{l.TotalAmount} r{l.TaxRate} tax{l.TotalTaxAmount}"));

    [Test]
    public void Build_yields_lines_that_satisfy_every_klarna_rule_and_sum_to_nopcommerces_total_for_random_orders()
    {
        RandomOrders.Order.Sample(source =>
        {
            var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);

            var violation = KlarnaLineRules.Validate(lines);
            if (violation is not null)
                throw new Exception($"{violation}{Environment.NewLine}{Describe(lines)}");

            // the order amount is nopCommerce's own total in the customer's currency, in minor units
            var expectedAmount = KlarnaAmount.ToMinor(source.OrderTotal * source.CurrencyRate, source.CurrencyCode);
            if (lines.OrderAmount != expectedAmount || lines.Lines.Sum(l => l.TotalAmount) != expectedAmount)
                throw new Exception($"amount {lines.OrderAmount} != {expectedAmount}");

            // the rounding adjustment only absorbs rounding: per line, the conversion (≤ 1 minor unit) and nopCommerce's own
            // rounding to cents in the primary currency (≤ 0.01 × rate)
            var bound = lines.Lines.Count * (1 + KlarnaAmount.ToMinor(0.01m * source.CurrencyRate, source.CurrencyCode));
            if (Math.Abs(lines.RoundingAdjustment) > bound)
                throw new Exception($"rounding adjustment {lines.RoundingAdjustment} exceeds {bound}{Environment.NewLine}{Describe(lines)}");

            // one line per product, unique references
            if (lines.Lines.Count(l => l.Type is KlarnaOrderLineType.Physical or KlarnaOrderLineType.Digital) != source.Items.Count)
                throw new Exception("product lines missing");
        }, iter: 5000);
    }

    [Test]
    public void Build_yields_only_tax_free_lines_and_one_sales_tax_line_in_the_united_states()
    {
        RandomOrders.UnitedStates.Sample(source =>
        {
            var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);
            if (lines.Lines.Any(l => l.Type != KlarnaOrderLineType.SalesTax && l.TaxRate != 0))
                throw new Exception("taxed line in the United States");
            if (lines.Lines.Count(l => l.Type == KlarnaOrderLineType.SalesTax) > 1)
                throw new Exception("more than one sales tax line");
            if (lines.OrderTaxAmount != KlarnaAmount.ToMinor(source.OrderTax * source.CurrencyRate, source.CurrencyCode))
                throw new Exception("order tax is not nopCommerce's tax");
        }, iter: 1000);
    }

    [Test]
    public async Task Sandbox_accepts_a_sample_of_random_orders_as_sessions()
    {
        // Arrange
        await using var sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions());
        var client = KlarnaTestClients.Create();
        var credentials = KlarnaTestClients.Credentials(sandbox);
        var sources = RandomOrders.KlarnaMarketOrder.Where(s => s.OrderTotal > 0).Array[150].Single();

        // Act / Assert
        foreach (var source in sources)
        {
            var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);
            var request = new KlarnaSessionRequest
            {
                PurchaseCountry = source.PurchaseCountry,
                PurchaseCurrency = source.CurrencyCode,
                Locale = KlarnaCheckoutRegions.GetLocale("en-US", source.PurchaseCountry),
                OrderAmount = lines.OrderAmount,
                OrderTaxAmount = lines.OrderTaxAmount,
                OrderLines = lines.Lines,
                Intent = "buy"
            };

            try
            {
                var session = await client.CreateSessionAsync(credentials, request);
                Assert.That(session.SessionId, Is.Not.Empty);
            }
            catch (KlarnaApiException exception)
            {
                Assert.Fail($"{exception.Message}{Environment.NewLine}{Describe(lines)}");
            }
        }
    }

    [Test]
    public async Task Sandbox_creates_orders_from_authorized_sessions_of_random_orders()
    {
        // Arrange
        await using var sandbox = await KlarnaSandboxHost.StartAsync(new SandboxOptions());
        var client = KlarnaTestClients.Create();
        var credentials = KlarnaTestClients.Credentials(sandbox);
        var sources = RandomOrders.KlarnaMarketOrder.Where(s => s.OrderTotal > 0).Array[40].Single();

        foreach (var source in sources)
        {
            var lines = KlarnaOrderLineBuilder.Build(source, EnglishResources.LineNames);
            var request = new KlarnaSessionRequest
            {
                PurchaseCountry = source.PurchaseCountry,
                PurchaseCurrency = source.CurrencyCode,
                Locale = KlarnaCheckoutRegions.GetLocale("en-GB", source.PurchaseCountry),
                OrderAmount = lines.OrderAmount,
                OrderTaxAmount = lines.OrderTaxAmount,
                OrderLines = lines.Lines,
                Intent = "buy"
            };

            // Act
            var session = await client.CreateSessionAsync(credentials, request);
            var (_, approved, token, _) = sandbox.State.AuthorizeSession(session.SessionId);
            request.MerchantReference1 = Guid.NewGuid().ToString();
            var order = await client.CreateOrderAsync(credentials, token, request);

            // Assert
            Assert.That(approved, Is.True);
            var klarnaOrder = await client.GetOrderAsync(credentials, order.OrderId);
            Assert.That(klarnaOrder.OrderAmount, Is.EqualTo(lines.OrderAmount), Describe(lines));
            Assert.That(klarnaOrder.OrderLines.Sum(l => l.TotalAmount), Is.EqualTo(lines.OrderAmount));
        }
    }
}
