using Microsoft.AspNetCore.Mvc.ViewComponents;
using Moq;
using NUnit.Framework;
using Nop.Plugin.Payments.Klarna.Components;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Payments;
using Nop.Web.Framework.Infrastructure;
using Nop.Web.Framework.Models;

namespace Nop.Plugin.Payments.Klarna.Tests.Factories;

[TestFixture]
public class KlarnaOrderDetailsTests
{
    private SandboxFixture _sandbox;
    private AdminTestContext _context;
    private Mock<IPaymentPluginManager> _plugins;

    [OneTimeSetUp]
    public async Task StartSandbox() => _sandbox = await SandboxFixture.StartAsync();

    [OneTimeTearDown]
    public async Task StopSandbox() => await _sandbox.DisposeAsync();

    [SetUp]
    public void SetUp()
    {
        _context = new AdminTestContext(_sandbox);
        _plugins = new Mock<IPaymentPluginManager>();
        _plugins.Setup(p => p.IsPluginActiveAsync(KlarnaDefaults.SystemName, null, It.IsAny<int>())).ReturnsAsync(true);
    }

    private KlarnaOrderDetailsViewComponent Component() => new(_context.OrderDetailsFactory, _context.Harness.OrderService.Object, _plugins.Object);

    [Test]
    public async Task Component_renders_the_block_for_a_Klarna_order_in_the_order_details_zone()
    {
        var order = await _context.CreateOrderAsync();

        // every guard passed: the block's view with the order's model
        var result = await Component().InvokeAsync(AdminWidgetZones.OrderDetailsBlock, new BaseNopEntityModel { Id = order.Id });

        var view = result as Microsoft.AspNetCore.Mvc.ViewComponents.ViewViewComponentResult;
        Assert.That(view?.ViewName, Is.EqualTo(KlarnaDefaults.OrderDetailsViewPath));
        Assert.That(view!.ViewData.Model, Is.InstanceOf<Nop.Plugin.Payments.Klarna.Models.Admin.KlarnaOrderDetailsModel>()
            .With.Property(nameof(Nop.Plugin.Payments.Klarna.Models.Admin.KlarnaOrderDetailsModel.Id)).EqualTo(order.Id));
        _plugins.Verify(p => p.IsPluginActiveAsync(KlarnaDefaults.SystemName, null, order.StoreId), Times.Once);
    }

    [Test]
    public async Task Component_renders_nothing_outside_its_guards()
    {
        var order = await _context.CreateOrderAsync();
        var foreign = _context.CreateForeignOrder();

        Assert.That(await Component().InvokeAsync(AdminWidgetZones.OrderDetailsButtons, new BaseNopEntityModel { Id = order.Id }), Is.InstanceOf<ContentViewComponentResult>());
        Assert.That(await Component().InvokeAsync(AdminWidgetZones.OrderDetailsBlock, "not a model"), Is.InstanceOf<ContentViewComponentResult>());
        Assert.That(await Component().InvokeAsync(AdminWidgetZones.OrderDetailsBlock, new BaseNopEntityModel { Id = foreign.Id }), Is.InstanceOf<ContentViewComponentResult>());
        _plugins.Setup(p => p.IsPluginActiveAsync(KlarnaDefaults.SystemName, null, It.IsAny<int>())).ReturnsAsync(false);
        Assert.That(await Component().InvokeAsync(AdminWidgetZones.OrderDetailsBlock, new BaseNopEntityModel { Id = order.Id }), Is.InstanceOf<ContentViewComponentResult>());
    }

    [Test]
    public async Task Model_of_an_authorized_order_allows_capture_and_cancel_only()
    {
        var order = await _context.CreateOrderAsync();

        var model = await _context.OrderDetailsFactory.PrepareOrderDetailsModelAsync(order);

        Assert.That(model.CanCapture, Is.True);
        Assert.That(model.CanCancel, Is.True);
        Assert.That(model.CanRelease, Is.False);
        Assert.That(model.CanRefund, Is.False);
        Assert.That(model.CanManage, Is.True);
        Assert.That(model.KlarnaStatus, Is.EqualTo("AUTHORIZED"));
        Assert.That(model.RemainingAuthorizedAmountMinor, Is.EqualTo(2 * 2500 + 3 * 1000 - 300 + 490));
        Assert.That(model.RemainingAuthorizedAmount, Is.EqualTo("81.90 EUR"));
        Assert.That(model.CurrencyExponent, Is.EqualTo(2));
        var mug = model.Lines.Single(l => l.Reference == "SKU-MUG");
        Assert.That((mug.Quantity, mug.CapturableQuantity, mug.UnitPrice), Is.EqualTo((3L, 3L, "10.00 EUR")));
        Assert.That(mug.CaptureAmountsJson, Is.EqualTo("[900,1800,2700]"), "1, 2, 3 units as their capture will be: the discount prorated, all units take what is left");
        Assert.That(model.MerchantPortalUrl, Does.StartWith("https://portal.playground.klarna.com/orders/merchants/M12345/orders/"));
    }

    [Test]
    public async Task Model_after_a_partial_capture_allows_release_and_refund_but_not_cancel()
    {
        var order = await _context.CreateOrderAsync();
        await _context.OrderController.Capture(new KlarnaActionRequestModel
        {
            OrderId = order.Id, Mode = "lines", LinesJson = "[{\"reference\":\"SKU-SHIRT\",\"quantity\":1}]", IdempotencyKey = Guid.NewGuid().ToString()
        });

        var model = await _context.OrderDetailsFactory.PrepareOrderDetailsModelAsync(order);

        Assert.That(model.CanCancel, Is.False);
        Assert.That(model.CanRelease, Is.True);
        Assert.That(model.CanRefund, Is.True);
        Assert.That(model.Captures, Has.Count.EqualTo(1));
        Assert.That(model.Captures[0].Lines, Is.EqualTo(new[] { "1 x Shirt" }));
        var shirt = model.Lines.Single(l => l.Reference == "SKU-SHIRT");
        Assert.That((shirt.CapturableQuantity, shirt.RefundableQuantity, shirt.CaptureAmountsJson, shirt.RefundAmountsJson), Is.EqualTo((1L, 1L, "[2500]", "[2500]")));
        Assert.That(model.Captures[0].IsMerchantPortal, Is.False);
        Assert.That(model.Captures[0].Origin, Is.EqualTo("Admin"));
        Assert.That(model.Captures[0].InitiatedBy, Is.EqualTo("admin@shop.example"));
    }

    [Test]
    public async Task Model_hides_the_actions_from_admins_without_the_order_permission()
    {
        var order = await _context.CreateOrderAsync();
        _context.Permissions.Setup(p => p.AuthorizeAsync(Nop.Services.Security.StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)).ReturnsAsync(false);

        var model = await _context.OrderDetailsFactory.PrepareOrderDetailsModelAsync(order);

        Assert.That(model.CanManage, Is.False);
    }

    [TestCase("M1", "abc-123", KlarnaEnvironment.Production, "https://portal.klarna.com/orders/merchants/M1/orders/abc-123")]
    [TestCase("M1", "abc-123", KlarnaEnvironment.Playground, "https://portal.playground.klarna.com/orders/merchants/M1/orders/abc-123")]
    [TestCase(null, "abc-123", KlarnaEnvironment.Production, "https://portal.klarna.com/")]
    [TestCase("", "abc-123", KlarnaEnvironment.Playground, "https://portal.playground.klarna.com/")]
    public void Merchant_portal_link_points_to_the_order_or_the_portal_root(string merchantId, string orderId, KlarnaEnvironment environment, string expected)
    {
        Assert.That(KlarnaModelFactory.GetMerchantPortalUrl(merchantId, orderId, environment), Is.EqualTo(expected));
    }

    [Test]
    public void Merchant_id_is_the_one_of_the_credential_the_order_was_made_with()
    {
        var settings = new KlarnaSettings { EuropePlaygroundMerchantId = "PM111", EuropeProductionMerchantId = "M222", EuropeProductionUsername = "K999_x" };

        Assert.That(KlarnaModelFactory.GetMerchantId(settings, KlarnaRegion.Europe, KlarnaEnvironment.Playground), Is.EqualTo("PM111"));
        Assert.That(KlarnaModelFactory.GetMerchantId(settings, KlarnaRegion.Europe, KlarnaEnvironment.Production), Is.EqualTo("M222"));
        Assert.That(KlarnaModelFactory.GetMerchantId(settings, KlarnaRegion.NorthAmerica, KlarnaEnvironment.Production), Is.Null);
        Assert.That(KlarnaModelFactory.GetMerchantPortalUrl("PM111", "k-1", KlarnaEnvironment.Playground),
            Is.EqualTo("https://portal.playground.klarna.com/orders/merchants/PM111/orders/k-1"));
    }

    [TestCase("K123456_abcdef", "K123456")]
    [TestCase("PK98765_abcdef", "PK98765")]
    [TestCase("a1b2c3d4-new-style", null)]
    public void Merchant_id_falls_back_to_the_one_in_older_usernames(string username, string expected)
    {
        var settings = new KlarnaSettings { EuropeProductionUsername = username };

        Assert.That(KlarnaModelFactory.GetMerchantId(settings, KlarnaRegion.Europe, KlarnaEnvironment.Production), Is.EqualTo(expected));
    }
}
