using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;
using Newtonsoft.Json;
using NUnit.Framework;
using Nop.Core.Domain.Payments;
using Nop.Core.Domain.Vendors;
using Nop.Plugin.Payments.Klarna.Controllers;
using Nop.Plugin.Payments.Klarna.Domain;
using Nop.Plugin.Payments.Klarna.Models.Admin;
using Nop.Plugin.Payments.Klarna.Services.Api;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Security;
using Nop.Web.Framework;
using Nop.Web.Framework.Mvc.Filters;

namespace Nop.Plugin.Payments.Klarna.Tests.Controllers;

[TestFixture]
public class KlarnaAdminControllerTests
{
    private SandboxFixture _sandbox;
    private AdminTestContext _context;

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        _sandbox = await SandboxFixture.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        await _sandbox.DisposeAsync();
    }

    [SetUp]
    public void SetUp()
    {
        _context = new AdminTestContext(_sandbox);
    }

    private static KlarnaActionRequestModel Request(int orderId, string mode = "full", string amount = null, object lines = null, string description = null) => new()
    {
        OrderId = orderId,
        Mode = mode,
        Amount = amount,
        LinesJson = lines == null ? null : lines as string ?? JsonConvert.SerializeObject(lines),
        Description = description,
        IdempotencyKey = Guid.NewGuid().ToString()
    };

    #region Attributes (the nopCommerce filters themselves run only inside nopCommerce)

    [Test]
    public void Controller_is_an_admin_area_controller_validating_antiforgery_tokens()
    {
        var type = typeof(KlarnaAdminController);

        Assert.That(type.GetCustomAttribute<AuthorizeAdminAttribute>(), Is.Not.Null);
        Assert.That(type.GetCustomAttribute<AreaAttribute>()?.RouteValue, Is.EqualTo(AreaNames.ADMIN));
        Assert.That(type.GetCustomAttribute<AutoValidateAntiforgeryTokenAttribute>(), Is.Not.Null);
        Assert.That(type.GetCustomAttributes<IgnoreAntiforgeryTokenAttribute>(true), Is.Empty);
    }

    [TestCase(nameof(KlarnaAdminController.Configure), StandardPermission.Configuration.MANAGE_PAYMENT_METHODS)]
    [TestCase(nameof(KlarnaAdminController.TestConnection), StandardPermission.Configuration.MANAGE_PAYMENT_METHODS)]
    [TestCase(nameof(KlarnaAdminController.Capture), StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    [TestCase(nameof(KlarnaAdminController.Refund), StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    [TestCase(nameof(KlarnaAdminController.Cancel), StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    [TestCase(nameof(KlarnaAdminController.Release), StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    [TestCase(nameof(KlarnaAdminController.RefreshBlock), StandardPermission.Orders.ORDERS_VIEW)]
    public void Every_action_checks_its_nopCommerce_permission(string action, string permission)
    {
        var methods = typeof(KlarnaAdminController).GetMethods().Where(m => m.Name == action).ToList();

        Assert.That(methods, Is.Not.Empty);
        foreach (var method in methods)
        {
            var permissions = method.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(CheckPermissionAttribute))
                .Select(a => a.ConstructorArguments[0].Value as string)
                .ToList();
            Assert.That(permissions, Is.EqualTo(new[] { permission }), $"{action} ({method})");
        }
    }

    [TestCase(nameof(KlarnaAdminController.Capture))]
    [TestCase(nameof(KlarnaAdminController.Refund))]
    [TestCase(nameof(KlarnaAdminController.Cancel))]
    [TestCase(nameof(KlarnaAdminController.Release))]
    [TestCase(nameof(KlarnaAdminController.TestConnection))]
    public void Order_actions_accept_only_POST(string action)
    {
        var method = typeof(KlarnaAdminController).GetMethod(action);

        Assert.That(method.GetCustomAttribute<HttpPostAttribute>(), Is.Not.Null);
    }

    #endregion

    #region Refusals

    [Test]
    public async Task Actions_refuse_vendors_with_403()
    {
        var order = await _context.CreateOrderAsync();
        _context.Vendor = new Vendor { Id = 3 };

        foreach (var result in new[]
                 {
                     await _context.Controller.Capture(Request(order.Id)),
                     await _context.Controller.Refund(Request(order.Id)),
                     await _context.Controller.Cancel(Request(order.Id)),
                     await _context.Controller.Release(Request(order.Id)),
                     await _context.Controller.RefreshBlock(order.Id)
                 })
        {
            var (status, body) = AdminTestContext.Read(result);
            Assert.That(status, Is.EqualTo(StatusCodes.Status403Forbidden));
            Assert.That((string)body["error"], Is.EqualTo("Vendors cannot manage Klarna payments."));
        }
        Assert.That(_sandbox.State.Requests.Count(r => r.Method == "POST" && r.Path.Contains(order.Id.ToString())), Is.Zero);
    }

    [Test]
    public async Task Actions_refuse_orders_not_paid_with_Klarna_and_unknown_orders_with_404()
    {
        var foreign = _context.CreateForeignOrder();

        var (status, body) = AdminTestContext.Read(await _context.Controller.Capture(Request(foreign.Id)));
        Assert.That(status, Is.EqualTo(404));
        Assert.That((string)body["error"], Is.EqualTo("The order was not paid with Klarna."));

        (status, _) = AdminTestContext.Read(await _context.Controller.Refund(Request(999_999)));
        Assert.That(status, Is.EqualTo(404));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-a-guid")]
    public async Task Capture_refuses_a_request_without_a_valid_idempotency_key(string key)
    {
        var order = await _context.CreateOrderAsync();
        var request = Request(order.Id);
        request.IdempotencyKey = key;

        var (status, _) = AdminTestContext.Read(await _context.Controller.Capture(request));

        Assert.That(status, Is.EqualTo(400));
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
    }

    [TestCase("-1", "Plugins.Payments.Klarna.Admin.Error.AmountFormat")]
    [TestCase("0", "Plugins.Payments.Klarna.Admin.Error.AmountPositive")]
    [TestCase("0.00", "Plugins.Payments.Klarna.Admin.Error.AmountPositive")]
    [TestCase("abc", "Plugins.Payments.Klarna.Admin.Error.AmountFormat")]
    [TestCase("1.234,56", "Plugins.Payments.Klarna.Admin.Error.AmountFormat")]
    [TestCase("1,5", "Plugins.Payments.Klarna.Admin.Error.AmountFormat")]
    [TestCase("1 000", "Plugins.Payments.Klarna.Admin.Error.AmountFormat")]
    [TestCase("1e3", "Plugins.Payments.Klarna.Admin.Error.AmountFormat")]
    [TestCase("+5", "Plugins.Payments.Klarna.Admin.Error.AmountFormat")]
    [TestCase("12.345", "Plugins.Payments.Klarna.Admin.Error.AmountDecimals")]
    [TestCase("", "Plugins.Payments.Klarna.Admin.Error.AmountRequired")]
    [TestCase("1000.00", "Plugins.Payments.Klarna.Admin.Error.AmountTooHigh")]
    public async Task Capture_by_amount_refuses_invalid_amounts_without_calling_Klarna(string amount, string resource)
    {
        var order = await _context.CreateOrderAsync();
        var expected = string.Format(await _context.Localization.Object.GetResourceAsync(resource), 2);

        var (status, body) = AdminTestContext.Read(await _context.Controller.Capture(Request(order.Id, "amount", amount)));

        Assert.That(status, Is.EqualTo(400));
        Assert.That((string)body["error"], Is.EqualTo(expected));
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
    }

    [TestCase("[]")]
    [TestCase("{not json")]
    [TestCase("[{\"reference\":\"NOPE\",\"quantity\":1}]")]
    [TestCase("[{\"reference\":\"SKU-SHIRT\",\"quantity\":0}]")]
    [TestCase("[{\"reference\":\"SKU-SHIRT\",\"quantity\":-1}]")]
    [TestCase("[{\"reference\":\"SKU-SHIRT\",\"quantity\":3}]")]
    [TestCase("[{\"reference\":\"SKU-SHIRT\",\"quantity\":1},{\"reference\":\"SKU-SHIRT\",\"quantity\":1}]")]
    public async Task Capture_by_lines_refuses_invalid_lines_without_calling_Klarna(string linesJson)
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.Controller.Capture(Request(order.Id, "lines", lines: linesJson)));

        Assert.That(status, Is.EqualTo(400));
        Assert.That((string)body["error"], Is.Not.Empty);
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
    }

    [Test]
    public async Task Refund_refuses_an_order_with_nothing_captured()
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.Controller.Refund(Request(order.Id, "amount", "1.00")));

        Assert.That(status, Is.EqualTo(409));
        Assert.That((string)body["error"], Is.EqualTo("Nothing captured is left to refund."));
    }

    [Test]
    public async Task Capture_returns_Klarnas_error_code_message_and_correlation_id_when_the_service_fails()
    {
        var service = new Mock<IKlarnaOrderManagementService>();
        var context = new AdminTestContext(_sandbox, service.Object);
        var order = await context.CreateOrderAsync();
        service.Setup(s => s.GetOrderOverviewAsync(order.Id)).ReturnsAsync(new KlarnaOrderOverview
        {
            CanCapture = true, RemainingAuthorizedAmountMinor = 10_000, CurrencyCode = "EUR", Lines = new List<KlarnaLineState>()
        });
        service.Setup(s => s.CaptureAsync(It.IsAny<KlarnaCaptureCommand>()))
            .ReturnsAsync(KlarnaOperationResult.Fail("Capture not allowed.", "CAPTURE_NOT_ALLOWED", "corr-123"));

        var (status, body) = AdminTestContext.Read(await context.Controller.Capture(Request(order.Id, "amount", "12.50")));

        Assert.That(status, Is.EqualTo(409));
        Assert.That((string)body["error"], Is.EqualTo("Capture not allowed."));
        Assert.That((string)body["errorCode"], Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That((string)body["correlationId"], Is.EqualTo("corr-123"));
        service.Verify(s => s.CaptureAsync(It.Is<KlarnaCaptureCommand>(c => c.AmountMinor == 1250 && c.Lines == null
            && c.Initiator == KlarnaInitiator.Admin && c.InitiatedBy == "admin@shop.example")), Times.Once);
    }

    #endregion

    #region Happy paths against the sandbox

    [Test]
    public async Task Capture_full_captures_everything_in_Klarna()
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.Controller.Capture(Request(order.Id)));

        Assert.That(status, Is.EqualTo(200), body.ToString());
        Assert.That((bool)body["success"], Is.True);
        var klarnaOrder = await _sandbox.Client.GetOrderAsync(_sandbox.Credentials, _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId);
        Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(2 * 2500 + 3 * 1000 - 300 + 490));
    }

    [Test]
    public async Task Capture_by_lines_captures_the_selected_quantities()
    {
        var order = await _context.CreateOrderAsync();
        var lines = new[] { new { reference = "SKU-SHIRT", quantity = 1 }, new { reference = "SKU-MUG", quantity = 3 } };

        var (status, body) = AdminTestContext.Read(await _context.Controller.Capture(Request(order.Id, "lines", lines: lines, description: "First parcel")));

        Assert.That(status, Is.EqualTo(200), body.ToString());
        var klarnaOrder = await _sandbox.Client.GetOrderAsync(_sandbox.Credentials, _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId);
        Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.PartCaptured));
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(2500 + 3000 - 300));
        Assert.That(klarnaOrder.Captures.Single().Description, Is.EqualTo("First parcel"));
    }

    [Test]
    public async Task Capture_by_amount_converts_the_typed_amount_to_minor_units()
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.Controller.Capture(Request(order.Id, "amount", "12.5")));

        Assert.That(status, Is.EqualTo(200), body.ToString());
        var klarnaOrder = await _sandbox.Client.GetOrderAsync(_sandbox.Credentials, _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId);
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(1250));
    }

    [Test]
    public async Task A_double_click_with_the_same_idempotency_key_captures_once()
    {
        var order = await _context.CreateOrderAsync();
        var request = Request(order.Id, "amount", "10.00");

        var first = AdminTestContext.Read(await _context.Controller.Capture(request));
        var second = AdminTestContext.Read(await _context.Controller.Capture(request));

        Assert.That(first.Status, Is.EqualTo(200), first.Body.ToString());
        var klarnaOrder = await _sandbox.Client.GetOrderAsync(_sandbox.Credentials, _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId);
        Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(1000));
        Assert.That(second.Status, Is.AnyOf(200, 409));
    }

    [Test]
    public async Task Refund_by_lines_and_by_amount_after_a_capture()
    {
        var order = await _context.CreateOrderAsync();
        AdminTestContext.Read(await _context.Controller.Capture(Request(order.Id)));

        var byLines = AdminTestContext.Read(await _context.Controller.Refund(Request(order.Id, "lines",
            lines: new[] { new { reference = "SKU-SHIRT", quantity = 1 } }, description: "Returned shirt")));
        var byAmount = AdminTestContext.Read(await _context.Controller.Refund(Request(order.Id, "amount", "4.90")));

        Assert.That(byLines.Status, Is.EqualTo(200), byLines.Body.ToString());
        Assert.That(byAmount.Status, Is.EqualTo(200), byAmount.Body.ToString());
        var klarnaOrder = await _sandbox.Client.GetOrderAsync(_sandbox.Credentials, _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId);
        Assert.That(klarnaOrder.RefundedAmount, Is.EqualTo(2500 + 490));
        Assert.That(klarnaOrder.Refunds.Select(r => r.Description), Does.Contain("Returned shirt"));
    }

    [Test]
    public async Task Cancel_cancels_an_uncaptured_order_and_is_refused_after_a_capture()
    {
        var order = await _context.CreateOrderAsync();
        var captured = await _context.CreateOrderAsync();
        AdminTestContext.Read(await _context.Controller.Capture(Request(captured.Id, "amount", "5.00")));

        var cancel = AdminTestContext.Read(await _context.Controller.Cancel(Request(order.Id)));
        var refused = AdminTestContext.Read(await _context.Controller.Cancel(Request(captured.Id)));

        Assert.That(cancel.Status, Is.EqualTo(200), cancel.Body.ToString());
        var klarnaOrder = await _sandbox.Client.GetOrderAsync(_sandbox.Credentials, _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId);
        Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
        Assert.That(refused.Status, Is.EqualTo(409));
    }

    [Test]
    public async Task Release_releases_the_remaining_authorization_after_a_partial_capture()
    {
        var order = await _context.CreateOrderAsync();
        AdminTestContext.Read(await _context.Controller.Capture(Request(order.Id, "amount", "5.00")));

        var (status, body) = AdminTestContext.Read(await _context.Controller.Release(Request(order.Id)));

        Assert.That(status, Is.EqualTo(200), body.ToString());
        var klarnaOrder = await _sandbox.Client.GetOrderAsync(_sandbox.Credentials, _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId);
        Assert.That(klarnaOrder.RemainingAuthorizedAmount, Is.Zero);
    }

    [Test]
    public async Task RefreshBlock_renders_the_order_details_view_component()
    {
        var order = await _context.CreateOrderAsync();

        var result = await _context.Controller.RefreshBlock(order.Id);

        Assert.That(result, Is.InstanceOf<ViewComponentResult>());
        Assert.That(((ViewComponentResult)result).ViewComponentType, Is.EqualTo(typeof(Nop.Plugin.Payments.Klarna.Components.KlarnaOrderDetailsViewComponent)));
    }

    #endregion

    #region Test connection

    [Test]
    public async Task TestConnection_reports_success_for_credentials_Klarna_accepts()
    {
        var result = await _context.Controller.TestConnection(new KlarnaTestConnectionModel
        {
            RegionId = (int)KlarnaRegion.Europe, EnvironmentId = (int)KlarnaEnvironment.Playground,
            Username = SandboxFixture.Username, Password = SandboxFixture.Password, ApiUrlOverride = _sandbox.Sandbox.BaseUri.ToString()
        });

        var (_, body) = AdminTestContext.Read(result);
        Assert.That((bool)body["success"], Is.True, body.ToString());
    }

    [Test]
    public async Task TestConnection_uses_the_stored_password_when_the_field_is_empty()
    {
        var result = await _context.Controller.TestConnection(new KlarnaTestConnectionModel
        {
            RegionId = (int)KlarnaRegion.Europe, EnvironmentId = (int)KlarnaEnvironment.Playground,
            Username = SandboxFixture.Username, Password = "", ApiUrlOverride = _sandbox.Sandbox.BaseUri.ToString()
        });

        Assert.That((bool)AdminTestContext.Read(result).Body["success"], Is.True);
    }

    [Test]
    public async Task TestConnection_shows_Klarnas_error_for_wrong_credentials()
    {
        var result = await _context.Controller.TestConnection(new KlarnaTestConnectionModel
        {
            RegionId = (int)KlarnaRegion.Europe, EnvironmentId = (int)KlarnaEnvironment.Playground,
            Username = SandboxFixture.Username, Password = "wrong", ApiUrlOverride = _sandbox.Sandbox.BaseUri.ToString()
        });

        var (_, body) = AdminTestContext.Read(result);
        Assert.That((bool)body["success"], Is.False);
        Assert.That((string)body["error"], Does.StartWith("Klarna refused the credentials:"));
        Assert.That((string)body["errorCode"], Is.Not.Empty);
    }

    #endregion
}
