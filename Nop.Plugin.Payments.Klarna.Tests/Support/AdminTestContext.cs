using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;
using Newtonsoft.Json.Linq;
using Nop.Core;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Localization;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.Vendors;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Services.Helpers;
using Nop.Services.Localization;
using Nop.Services.Messages;
using Nop.Services.Security;
using Nop.Web.Framework.Mvc.Routing;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// The admin controller and model factory wired to the real order management services (OrderManagementHarness) over the
/// project's Klarna sandbox, with nopCommerce's own services mocked
/// </summary>
public sealed class AdminTestContext
{
    private static int _nextOrderId = 5000;

    public AdminTestContext(SandboxFixture sandbox, IKlarnaOperationExecutor executorOverride = null)
    {
        Sandbox = sandbox;
        Harness = new OrderManagementHarness(sandbox?.Client);
        Harness.Settings.EuropePlaygroundUsername = SandboxFixture.Username;
        Harness.Settings.EuropePlaygroundPassword = SandboxFixture.Password;
        Harness.Settings.ApiUrlOverride = sandbox?.Sandbox.BaseUri.ToString();
        Harness.Settings.EuropePlaygroundMerchantId = "M12345";

        var resources = KlarnaLocaleResources.GetAll();
        Localization.Setup(l => l.GetResourceAsync(It.IsAny<string>()))
            .ReturnsAsync((string key) => resources.TryGetValue(key, out var value) ? value : key);
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaRegion>(), It.IsAny<int?>())).ReturnsAsync((KlarnaRegion v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaEnvironment>(), It.IsAny<int?>())).ReturnsAsync((KlarnaEnvironment v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<OrderStatus>(), It.IsAny<int?>())).ReturnsAsync((OrderStatus v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaCaptureUponFulfillmentMode>(), It.IsAny<int?>())).ReturnsAsync((KlarnaCaptureUponFulfillmentMode v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaOperationKind>(), It.IsAny<int?>())).ReturnsAsync((KlarnaOperationKind v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaOperationStatus>(), It.IsAny<int?>())).ReturnsAsync((KlarnaOperationStatus v, int? _) => v.ToString());
        Localization.Setup(l => l.GetLocalizedEnumAsync(It.IsAny<KlarnaInitiator>(), It.IsAny<int?>())).ReturnsAsync((KlarnaInitiator v, int? _) => v.ToString());

        WorkContext.Setup(w => w.GetCurrentVendorAsync()).ReturnsAsync(() => Vendor);
        WorkContext.Setup(w => w.GetCurrentCustomerAsync()).ReturnsAsync(new Customer { Id = 7, Email = "admin@shop.example" });
        WorkContext.Setup(w => w.GetWorkingLanguageAsync()).ReturnsAsync(new Language { Id = 1 });
        StoreContext.Setup(s => s.GetActiveStoreScopeConfigurationAsync()).ReturnsAsync(() => StoreScope);
        Permissions.Setup(p => p.AuthorizeAsync(It.IsAny<string>())).ReturnsAsync(true);
        DateTimeHelper.Setup(d => d.ConvertToUserTimeAsync(It.IsAny<DateTime>(), It.IsAny<DateTimeKind>())).ReturnsAsync((DateTime d, DateTimeKind _) => d);
        UrlHelper.Setup(u => u.RouteUrl(It.IsAny<string>(), It.IsAny<object>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>()))
            .Returns((string name, object _, string _, string _, string _) => "/route/" + name);

        Factory = new KlarnaModelFactory(Localization.Object, UrlHelper.Object, Harness.SettingService.Object, StatusSync.Object);
        OrderDetailsFactory = new KlarnaOrderDetailsModelFactory(DateTimeHelper.Object, Localization.Object, Harness.MoneyFormatter, UrlHelper.Object,
            Harness.Reader, Permissions.Object, Harness.SettingService.Object, Harness.Texts, WorkContext.Object);
        Controller = new KlarnaAdminController(new KlarnaConnectionTester(sandbox?.Client ?? Harness.Klarna), Factory, Localization.Object,
            Notifications.Object, Harness.SettingService.Object, StoreContext.Object, WorkContext.Object, StatusSync.Object)
        {
            ControllerContext = new ControllerContext { HttpContext = new DefaultHttpContext() }
        };
        OrderController = new TestableOrderAdminController(executorOverride ?? Harness.Executor, OrderDetailsFactory, Harness.MoneyFormatter,
            Harness.OrderService.Object, Harness.Texts, WorkContext.Object)
        {
            ControllerContext = new ControllerContext { HttpContext = new DefaultHttpContext() }
        };
    }

    public SandboxFixture Sandbox { get; }
    public OrderManagementHarness Harness { get; }
    public Mock<ILocalizationService> Localization { get; } = new();
    public Mock<IKlarnaStatusSyncService> StatusSync { get; } = new();
    public Mock<IWorkContext> WorkContext { get; } = new();
    public Mock<IStoreContext> StoreContext { get; } = new();
    public Mock<IPermissionService> Permissions { get; } = new();
    public Mock<IDateTimeHelper> DateTimeHelper { get; } = new();
    public Mock<INopUrlHelper> UrlHelper { get; } = new();
    public Mock<INotificationService> Notifications { get; } = new();
    public KlarnaModelFactory Factory { get; }
    public KlarnaOrderDetailsModelFactory OrderDetailsFactory { get; }
    public KlarnaAdminController Controller { get; }

    /// <summary>
    /// Gets the order block's controller (rendering the block records its model instead of running nopCommerce's Razor)
    /// </summary>
    public TestableOrderAdminController OrderController { get; }
    public Vendor Vendor { get; set; }
    public int StoreScope { get; set; }

    /// <summary>
    /// Creates an authorized order in the sandbox and its nopCommerce order + Klarna record
    /// </summary>
    public async Task<Order> CreateOrderAsync(params KlarnaOrderLine[] lines)
    {
        lines = lines.Length > 0 ? lines : new[]
        {
            SandboxFixture.Line("Shirt", 2, 2500, reference: "SKU-SHIRT"),
            SandboxFixture.Line("Mug", 3, 1000, discount: 300, reference: "SKU-MUG"),
            SandboxFixture.Line("Shipping", 1, 490, type: KlarnaOrderLineType.ShippingFee, reference: "SHIPPING")
        };
        var klarnaOrderId = await Sandbox.CreateOrderAsync(SandboxFixture.Cart(lines));
        var amount = lines.Sum(l => l.TotalAmount);
        var orderId = Interlocked.Increment(ref _nextOrderId);
        var order = new Order
        {
            Id = orderId,
            StoreId = 1,
            OrderGuid = Guid.NewGuid(),
            CustomOrderNumber = orderId.ToString(),
            PaymentMethodSystemName = KlarnaDefaults.SystemName,
            CustomerCurrencyCode = "EUR",
            CurrencyRate = 1m,
            OrderTotal = KlarnaAmount.FromMinor(amount, "EUR"),
            OrderStatusId = (int)OrderStatus.Processing,
            PaymentStatusId = (int)PaymentStatus.Authorized,
            CreatedOnUtc = DateTime.UtcNow
        };
        Harness.Orders[orderId] = order;
        await Harness.RecordTable.InsertAsync(new KlarnaOrderRecord
        {
            OrderId = orderId,
            StoreId = 1,
            KlarnaOrderId = klarnaOrderId,
            Region = KlarnaRegion.Europe,
            Environment = KlarnaEnvironment.Playground,
            CurrencyCode = "EUR",
            KlarnaStatus = KlarnaOrderStatus.Authorized,
            FraudStatus = KlarnaFraudStatus.Accepted,
            OrderAmountMinor = amount,
            RemainingAuthorizedAmountMinor = amount,
            AppliedStatusEvents = nameof(KlarnaStatusEvent.Authorized),
            CreatedOnUtc = DateTime.UtcNow,
            UpdatedOnUtc = DateTime.UtcNow
        });

        return order;
    }

    /// <summary>
    /// Adds a nopCommerce order paid with another method
    /// </summary>
    public Order CreateForeignOrder()
    {
        var orderId = Interlocked.Increment(ref _nextOrderId);
        var order = new Order { Id = orderId, StoreId = 1, PaymentMethodSystemName = "Payments.Manual", CustomerCurrencyCode = "EUR" };
        Harness.Orders[orderId] = order;
        return order;
    }

    /// <summary>
    /// Reads a JSON action result: (HTTP status, body)
    /// </summary>
    public static (int Status, JObject Body) Read(IActionResult result)
    {
        var json = result as JsonResult ?? throw new NUnit.Framework.AssertionException($"Expected a JSON result, got {result?.GetType().Name}");
        return (json.StatusCode ?? StatusCodes.Status200OK, JObject.FromObject(json.Value));
    }
}

/// <summary>
/// The order block's controller with the block rendered as a marker of its model: nopCommerce renders the partial view
/// (RenderPartialViewToStringAsync), which the reference assemblies cannot do. The model the real view would get is kept
/// </summary>
public class TestableOrderAdminController : KlarnaOrderAdminController
{
    public TestableOrderAdminController(IKlarnaOperationExecutor executor, IKlarnaOrderDetailsModelFactory orderDetailsModelFactory,
        KlarnaMoneyFormatter moneyFormatter, Nop.Services.Orders.IOrderService orderService, KlarnaTexts texts, IWorkContext workContext)
        : base(executor, orderDetailsModelFactory, moneyFormatter, orderService, texts, workContext)
    {
    }

    /// <summary>
    /// Gets the models of the blocks rendered (one per action answer that carried the block)
    /// </summary>
    public List<KlarnaOrderDetailsModel> RenderedBlocks { get; } = new();

    protected override Task<string> RenderOrderBlockAsync(KlarnaOrderDetailsModel model)
    {
        RenderedBlocks.Add(model);
        return Task.FromResult($"<div id=\"klarna-order-block\" data-order-id=\"{model.Id}\" data-status=\"{model.KlarnaStatus}\"></div>");
    }
}
