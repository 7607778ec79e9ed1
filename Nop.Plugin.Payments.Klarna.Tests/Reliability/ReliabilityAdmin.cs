using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Nop.Core;
using Nop.Core.Domain.Customers;
using Nop.Core.Domain.Localization;
using Nop.Core.Domain.Orders;
using Nop.Core.Domain.Vendors;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Factories;
using Nop.Plugin.Payments.Klarna.Localization;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.Connection;
using Nop.Plugin.Payments.Klarna.Services.StatusSync;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Helpers;
using Nop.Services.Localization;
using Nop.Services.Messages;
using Nop.Services.Security;
using Nop.Web.Framework.Mvc.Routing;

namespace Nop.Plugin.Payments.Klarna.Tests.Reliability;

/// <summary>
/// The admin engineer's real KlarnaAdminController and KlarnaModelFactory over a ReliabilityShop (or any harness), and the checkout
/// engineer's real KlarnaPublicController over the shop's notification service; nopCommerce's own services are mocks
/// (the same set-up as Tests/Support/AdminTestContext, pointed at the suite's sandbox)
/// </summary>
public sealed class ReliabilityAdmin
{
    public ReliabilityAdmin(ReliabilityShop shop)
        : this(shop.Harness, shop.Client)
    {
    }

    /// <summary>
    /// The controllers over a harness and the client it talks to Klarna with
    /// </summary>
    public ReliabilityAdmin(OrderManagementHarness harness, IKlarnaApiClient client)
    {
        Harness = harness;
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
        StoreContext.Setup(s => s.GetActiveStoreScopeConfigurationAsync()).ReturnsAsync(() => 0);
        Permissions.Setup(p => p.AuthorizeAsync(It.IsAny<string>())).ReturnsAsync(true);
        DateTimeHelper.Setup(d => d.ConvertToUserTimeAsync(It.IsAny<DateTime>(), It.IsAny<DateTimeKind>())).ReturnsAsync((DateTime d, DateTimeKind _) => d);
        UrlHelper.Setup(u => u.RouteUrl(It.IsAny<string>(), It.IsAny<object>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>()))
            .Returns((string name, object _, string _, string _, string _) => "/route/" + name);

        Factory = new KlarnaModelFactory(Localization.Object, UrlHelper.Object, harness.SettingService.Object, StatusSync.Object);
        OrderDetailsFactory = new KlarnaOrderDetailsModelFactory(DateTimeHelper.Object, Localization.Object, harness.MoneyFormatter, UrlHelper.Object,
            harness.Reader, Permissions.Object, harness.SettingService.Object, harness.Texts, WorkContext.Object);
        Controller = new KlarnaAdminController(new KlarnaConnectionTester(client), Factory, Localization.Object,
            Notifications.Object, harness.SettingService.Object, StoreContext.Object, WorkContext.Object, StatusSync.Object)
        {
            ControllerContext = new ControllerContext { HttpContext = new DefaultHttpContext() }
        };
        OrderController = new TestableOrderAdminController(harness.Executor, OrderDetailsFactory, harness.MoneyFormatter, harness.OrderService.Object,
            harness.Texts, WorkContext.Object)
        {
            ControllerContext = new ControllerContext { HttpContext = new DefaultHttpContext() }
        };
    }

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
    public TestableOrderAdminController OrderController { get; }
    public Vendor Vendor { get; set; }

    /// <summary>
    /// The checkout engineer's notification endpoint with a request body as Klarna would post it
    /// </summary>
    public KlarnaPublicController NotificationController(string body, bool announceLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body ?? string.Empty);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(bytes);
        if (announceLength)
            context.Request.ContentLength = bytes.Length;

        return new KlarnaPublicController(Harness.NotificationService) { ControllerContext = new ControllerContext { HttpContext = context } };
    }

    /// <summary>
    /// Reads an action result: HTTP status and the text of its body (JSON for JsonResult, the value for ObjectResult)
    /// </summary>
    public static (int Status, string Body) Read(IActionResult result) => result switch
    {
        JsonResult json => (json.StatusCode ?? 200, JsonConvert.SerializeObject(json.Value)),
        ObjectResult obj => (obj.StatusCode ?? 200, obj.Value as string ?? JsonConvert.SerializeObject(obj.Value)),
        StatusCodeResult code => (code.StatusCode, string.Empty),
        ViewResult view => (view.StatusCode ?? 200, JsonConvert.SerializeObject(view.Model)),
        ViewComponentResult component => (component.StatusCode ?? 200, JsonConvert.SerializeObject(component.Arguments)),
        _ => (-1, result?.GetType().Name)
    };

    public static string ErrorOf(string body)
    {
        try
        {
            return JObject.Parse(body).Value<string>("error");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
