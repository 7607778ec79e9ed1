using Newtonsoft.Json.Linq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

/// <summary>
/// Every shipping_info the order engine sends goes through <see cref="KlarnaShippingInfoBuilder"/> (finding 7 of issue 15):
/// the carrier as shipping_company (never nopCommerce's shipping method name such as "Ground") and one of Klarna's
/// shipping_method values, on the three paths that send it (a capture with the order's shipments, a shipment's capture upon
/// fulfillment, a tracking number added to a capture later), against the sandbox, which refuses a shipping_method outside
/// Klarna's list
/// </summary>
[TestFixture]
public class KlarnaEngineShippingInfoSandboxTests : SandboxFixtureTestBase
{
    private OrderManagementHarness _harness;

    [SetUp]
    public void SetUpHarness()
    {
        _harness = new OrderManagementHarness(_fixture.Client);
        _harness.Settings.EuropePlaygroundUsername = SandboxFixture.Username;
        _harness.Settings.EuropePlaygroundPassword = SandboxFixture.Password;
        _harness.Settings.ApiUrlOverride = _fixture.Sandbox.BaseUri.ToString();
    }

    [TearDown]
    public void DisposeHarness() => _harness.Dispose();

    /// <summary>
    /// An order of the default sandbox cart (shoes, SKU SHOE-1, and shipping) shipped with the given rate computation method
    /// and shipping method, its item in one shipment
    /// </summary>
    private async Task<(Order Order, Shipment Shipment, string KlarnaOrderId)> ShippedOrderAsync(string rateComputationMethod, string shippingMethod,
        string trackingNumber, bool pickupInStore = false)
    {
        var cart = SandboxFixture.Cart();
        var klarnaOrderId = await _fixture.CreateOrderAsync(cart);
        var order = _harness.CreateOrderFor(klarnaOrderId, cart.OrderAmount);
        order.ShippingRateComputationMethodSystemName = rateComputationMethod;
        order.ShippingMethod = shippingMethod;
        order.PickupInStore = pickupInStore;
        order.ShippingStatus = ShippingStatus.Shipped;
        var item = _harness.AddOrderItem(order, Guid.NewGuid(), 1, productId: 7, sku: "SHOE-1");
        var shipment = _harness.AddShipment(order, trackingNumber, true, (item, 1));
        return (order, shipment, klarnaOrderId);
    }

    /// <summary>
    /// The shipping_info entries of the engine's requests to the sandbox (captures and shipping info added to captures)
    /// </summary>
    private IList<(string Company, string Method, string Tracking)> SentShippingInfo() => _fixture.State.Requests
        .Where(r => r.Method == "POST" && (r.Path.EndsWith("/captures", StringComparison.Ordinal) || r.Path.EndsWith("/shipping-info", StringComparison.Ordinal)))
        .SelectMany(r => (JArray)JObject.Parse(r.Body)["shipping_info"] ?? new JArray())
        .Select(info => (info.Value<string>("shipping_company"), info.Value<string>("shipping_method"), info.Value<string>("tracking_number")))
        .ToList();

    private void AssertNothingRefused() =>
        Assert.That(_fixture.State.Requests.Where(r => r.Status >= 400).Select(r => $"{r.Method} {r.Path} {r.Status}"), Is.Empty);

    [Test]
    public async Task A_capture_names_the_carrier_of_the_rate_computation_method_and_home_delivery_not_the_shipping_method_name()
    {
        // Arrange: nopCommerce's UPS plugin, shipping method "Ground"
        var (order, _, _) = await ShippedOrderAsync("Shipping.UPS", "Ground", "1Z999AA10123456784");

        // Act
        var result = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });

        // Assert
        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        AssertNothingRefused();
        Assert.That(SentShippingInfo(), Is.EqualTo(new[] { ("UPS", "Home", "1Z999AA10123456784") }));
    }

    [Test]
    public async Task A_shipments_capture_upon_fulfillment_sends_the_merchants_carrier_and_klarna_method_from_the_settings_table()
    {
        // Arrange: a shipping method nopCommerce cannot tell the carrier of, mapped by the merchant
        _harness.Settings.ShippingCarrierMappings = "Ground = Posti; PickUpPoint";
        var (order, shipment, klarnaOrderId) = await ShippedOrderAsync("Shipping.FixedByWeightByTotal", "Ground", "JJFI6434");

        // Act
        var result = await _harness.Executor.ExecuteAsync(new KlarnaShipmentCaptureCommand
        {
            OrderId = order.Id, ShipmentId = shipment.Id, Initiator = KlarnaInitiator.CaptureUponFulfillment
        });

        // Assert
        Assert.That(result.Success, Is.True, _harness.TextOf(result));
        AssertNothingRefused();
        Assert.That(SentShippingInfo(), Is.EqualTo(new[] { ("Posti", "PickUpPoint", "JJFI6434") }));
        var capture = _fixture.State.GetOrder(klarnaOrderId).Captures.Single();
        Assert.That(capture.OrderLines.Select(l => l.Reference), Is.EquivalentTo(new[] { "SHOE-1", "SHIP" }), "the shipment's item and the shipping fee");
    }

    [Test]
    public async Task A_tracking_number_added_later_names_the_carrier_and_the_pickup_in_store()
    {
        // Arrange: captured before the tracking number was known; the customer picks the order up in the shop
        var (order, shipment, klarnaOrderId) = await ShippedOrderAsync("Pickup.PickupInStore", "Pickup at Main street", null, pickupInStore: true);
        var capture = await _harness.Executor.ExecuteAsync(new KlarnaCaptureCommand { OrderId = order.Id, Initiator = KlarnaInitiator.Admin });
        shipment.TrackingNumber = "PICK-42";

        // Act
        var result = await _harness.Executor.ExecuteAsync(new KlarnaShippingInfoCommand { OrderId = order.Id, ShipmentId = shipment.Id });

        // Assert
        Assert.That((capture.Success, result.Success), Is.EqualTo((true, true)), _harness.TextOf(result));
        AssertNothingRefused();
        Assert.That(SentShippingInfo(), Is.EqualTo(new (string, string, string)[] { (null, "PickUpStore", null), (null, "PickUpStore", "PICK-42") }));
        var klarnaCapture = _fixture.State.GetOrder(klarnaOrderId).Captures.Single();
        Assert.That(klarnaCapture.ShippingInfo.Select(s => s.ShippingMethod), Is.All.EqualTo("PickUpStore"));
        Assert.That(_harness.OperationsOf(order).Single(op => op.Kind == KlarnaOperationKind.ShippingInfo).ShippingInfoJson, Does.Contain("PickUpStore"));
    }
}
