using Nop.Plugin.Payments.Klarna.Services.Api.Requests;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.Api;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Sandbox;

/// <summary>
/// Shipping info rules (API.md §8): Klarna's shipping_method values, the carrier's length, and where shipping info can be
/// added (a capture of the order)
/// </summary>
[TestFixture]
public class SandboxShippingInfoTests : SandboxOrderManagementTestBase
{
    [TestCase("Ground")]
    [TestCase("home")]
    [TestCase("Express")]
    public async Task Shipping_info_with_a_shipping_method_outside_klarnas_list_is_400_BAD_VALUE(string method)
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var shipping = new KlarnaShippingInfo { ShippingCompany = "DHL", ShippingMethod = method, TrackingNumber = "123" };

        // Act & Assert: on the capture and on an existing capture
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100, ShippingInfo = [shipping] }, Key()),
            400, "BAD_VALUE", "Bad value: shipping_info[0].shipping_method");
        var captureId = await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100 }, Key());
        AssertKlarnaError(() => _client.AddShippingInfoAsync(_credentials, orderId, captureId, [shipping], Key()),
            400, "BAD_VALUE", "Bad value: shipping_info[0].shipping_method");
        Assert.That(_fixture.State.GetOrder(orderId).Captures.Single().ShippingInfo, Is.Empty);
    }

    [TestCase("Home")]
    [TestCase("PickUpStore")]
    [TestCase("DHLPackstation")]
    [TestCase("PalletDelivery")]
    public async Task Shipping_info_with_one_of_klarnas_shipping_methods_is_accepted(string method)
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act
        await _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest
        {
            CapturedAmount = 100, ShippingInfo = [new KlarnaShippingInfo { ShippingCompany = "DHL", ShippingMethod = method }]
        }, Key());

        // Assert
        Assert.That(_fixture.State.GetOrder(orderId).Captures.Single().ShippingInfo.Single().ShippingMethod, Is.EqualTo(method));
    }

    [Test]
    public async Task Capture_shipping_company_longer_than_100_characters_is_422_UNPROCESSABLE_ENTITY()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();
        var shipping = new KlarnaShippingInfo { ShippingCompany = new string('D', 101) };

        // Act & Assert
        AssertKlarnaError(() => _client.CaptureAsync(_credentials, orderId, new KlarnaCaptureRequest { CapturedAmount = 100, ShippingInfo = [shipping] }, Key()),
            422, "UNPROCESSABLE_ENTITY", "The size of the shipping_info/shipping_company value must be between 0 and 100");
    }

    [Test]
    public async Task Shipping_info_on_an_order_without_captures_is_403_NOT_ALLOWED()
    {
        // Arrange
        var orderId = await _fixture.CreateOrderAsync();

        // Act & Assert
        AssertKlarnaError(() => _client.AddShippingInfoAsync(_credentials, orderId, Guid.NewGuid().ToString(), [new KlarnaShippingInfo { ShippingCompany = "DHL" }], Key()),
            403, "NOT_ALLOWED");
    }

    [Test]
    public async Task Shipping_info_on_an_unknown_capture_is_404_NO_SUCH_CAPTURE()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(100);

        // Act & Assert
        AssertKlarnaError(() => _client.AddShippingInfoAsync(_credentials, orderId, "no-capture", [new KlarnaShippingInfo { ShippingCompany = "DHL" }], Key()),
            404, "NO_SUCH_CAPTURE", "Shipping info cannot be added to capture no-capture");
    }

    [Test]
    public async Task Empty_shipping_info_is_400_BAD_VALUE()
    {
        // Arrange
        var orderId = await CapturedOrderAsync(100);
        var captureId = _fixture.State.GetOrder(orderId).Captures[0].CaptureId;

        // Act & Assert
        AssertKlarnaError(() => _client.AddShippingInfoAsync(_credentials, orderId, captureId, new List<KlarnaShippingInfo>(), Key()), 400, "BAD_VALUE", "Bad value: shipping_info");
    }
}
