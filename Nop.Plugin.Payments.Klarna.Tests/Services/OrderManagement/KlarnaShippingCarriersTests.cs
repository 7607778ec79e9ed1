using Klarna.Sandbox;
using Moq;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Shipping;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Services.Configuration;
using Nop.Services.Shipping;
using Nop.Services.Shipping.Tracking;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Services.OrderManagement;

[TestFixture]
public class KlarnaShippingCarriersTests
{
    private const string Table = """
        # the merchant's own carriers
        Ground = DHL; Home
        Shipping.FixedByWeightByTotal = PostNord; Postal
        Next day = ; Own
        Collect at the depot = DB Schenker; PickUpWarehouse
        """;

    [TestCase("Shipping.UPS", "Ground", false, true, null, "UPS", "Home", TestName = "A carrier plugin names the carrier, whatever the rate is called")]
    [TestCase("Shipping.FedEx", "FedEx 2Day", false, true, null, "FedEx", "Home")]
    [TestCase("Shipping.USPS", "Priority Mail", false, true, null, "USPS", "Home")]
    [TestCase("Shipping.ShipStation", "USPS Priority Mail", false, true, null, "USPS Priority Mail", "Home", TestName = "An aggregator's rate named after its carrier names it")]
    [TestCase("Shipping.FixedByWeightByTotal", "Ground", false, true, null, null, "Undefined", TestName = "A shipping method name is never taken for a carrier")]
    [TestCase("Shipping.FixedByWeightByTotal", "Ground", false, true, Table, "DHL", "Home", TestName = "The merchant's table by shipping method name")]
    [TestCase("Shipping.FixedByWeightByTotal", "Standard", false, true, Table, "PostNord", "Postal", TestName = "The merchant's table by rate computation method")]
    [TestCase("Shipping.FixedByWeightByTotal", "next day", false, true, Table, null, "Own")]
    [TestCase("Pickup.PickupInStore", "Pickup at Main street", true, true, null, null, "PickUpStore")]
    [TestCase("Pickup.PostNordServicePoints", "Service point 12", true, true, null, null, "PickUpPoint")]
    [TestCase(null, null, false, false, null, null, "Digital")]
    public void Resolve_names_the_carrier_and_one_of_klarnas_shipping_methods(string rateMethod, string shippingMethod, bool pickup, bool shipped,
        string table, string carrier, string method)
    {
        // Act
        var resolved = KlarnaShippingCarriers.Resolve(KlarnaShippingCarriers.Parse(table).Mappings, rateMethod, shippingMethod, pickup, shipped);

        // Assert
        Assert.That(resolved, Is.EqualTo((carrier, method)));
        Assert.That(SandboxRules.ShippingMethods, Does.Contain(resolved.Method));
    }

    [Test]
    public void Parse_reads_the_table_and_names_each_line_that_is_not_a_mapping()
    {
        // Act
        var (mappings, problems) = KlarnaShippingCarriers.Parse(Table + "\nExpress = DHL; Express\nnonsense\nA = B; Home; x\nLong = " + new string('x', 101));

        // Assert
        Assert.That(mappings, Has.Count.EqualTo(4));
        Assert.That(mappings[3], Is.EqualTo(new KlarnaCarrierMapping("Collect at the depot", "DB Schenker", "PickUpWarehouse")));
        Assert.That(problems.Select(p => p.Line), Is.EqualTo(new[] { 6, 7, 8, 9 }));
        Assert.That(problems.Select(p => p.Problem), Is.EqualTo(new[] { KlarnaCarrierLineProblem.UnknownShippingMethod, KlarnaCarrierLineProblem.NotAMapping,
            KlarnaCarrierLineProblem.TooManyParts, KlarnaCarrierLineProblem.CarrierTooLong }));
    }

    [Test]
    public void Klarnas_shipping_methods_are_the_sandboxs()
    {
        Assert.That(KlarnaShippingCarriers.ShippingMethods, Is.EquivalentTo(SandboxRules.ShippingMethods));
    }
}

[TestFixture]
public class KlarnaShippingInfoBuilderTests
{
    private KlarnaSettings _settings;
    private Mock<IShipmentService> _shipments;
    private KlarnaShippingInfoBuilder _builder;

    [SetUp]
    public void SetUp()
    {
        _settings = new KlarnaSettings();
        var settingService = new Mock<ISettingService>();
        settingService.Setup(s => s.LoadSettingAsync<KlarnaSettings>(It.IsAny<int>())).ReturnsAsync(() => _settings);
        _shipments = new Mock<IShipmentService>();
        var tracker = new Mock<IShipmentTracker>();
        tracker.Setup(t => t.GetUrlAsync(It.IsAny<string>(), It.IsAny<Shipment>())).ReturnsAsync((string number, Shipment _) => $"https://track.example/{number}");
        _shipments.Setup(s => s.GetShipmentTrackerAsync(It.IsAny<Shipment>())).ReturnsAsync(tracker.Object);
        _builder = new KlarnaShippingInfoBuilder(settingService.Object, _shipments.Object);
    }

    private static Order Order(string rateMethod, string shippingMethod) => new()
    {
        Id = 1, StoreId = 1, ShippingRateComputationMethodSystemName = rateMethod, ShippingMethod = shippingMethod, ShippingStatus = ShippingStatus.Shipped
    };

    [Test]
    public async Task BuildAsync_sends_the_carrier_not_the_shipping_method_name_and_a_klarna_shipping_method()
    {
        // Act: nopCommerce's "Ground" of the UPS plugin
        var info = await _builder.BuildAsync(Order("Shipping.UPS", "Ground"), new Shipment { TrackingNumber = "1Z999" });

        // Assert
        Assert.That((info.ShippingCompany, info.ShippingMethod, info.TrackingNumber, info.TrackingUri),
            Is.EqualTo(("UPS", "Home", "1Z999", "https://track.example/1Z999")));
    }

    [Test]
    public async Task BuildAsync_takes_the_merchants_table_where_nopcommerce_cannot_tell_the_carrier()
    {
        // Arrange
        _settings.ShippingCarrierMappings = "Ground = DHL Paket; Home";

        // Act
        var info = await _builder.BuildAsync(Order("Shipping.FixedByWeightByTotal", "Ground"), new Shipment { TrackingNumber = "00340434" });

        // Assert
        Assert.That((info.ShippingCompany, info.ShippingMethod), Is.EqualTo(("DHL Paket", "Home")));
    }

    [Test]
    public async Task BuildAsync_tells_nothing_without_carrier_tracking_number_or_known_way_of_delivery()
    {
        // Act
        var info = await _builder.BuildAsync(Order("Shipping.FixedByWeightByTotal", "Ground"), new Shipment());

        // Assert
        Assert.That(info, Is.Null);
    }

    [Test]
    public async Task BuildAsync_sends_a_pickup_in_store_as_such_with_no_carrier()
    {
        // Arrange
        var order = Order("Pickup.PickupInStore", "Pickup at Main street");
        order.PickupInStore = true;

        // Act
        var info = await _builder.BuildAsync(order, new Shipment());

        // Assert
        Assert.That((info.ShippingCompany, info.ShippingMethod), Is.EqualTo(((string)null, "PickUpStore")));
    }
}
