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
using Nop.Plugin.Payments.Klarna.Services.Api.Models;
using Nop.Plugin.Payments.Klarna.Services.OrderManagement;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Security;
using Nop.Web.Framework;
using Nop.Web.Framework.Mvc.Filters;

namespace Nop.Plugin.Payments.Klarna.Tests.Controllers;

/// <summary>
/// The order block's actions: one click = the order loaded once, the input parsed once, one command through the engine
/// (one lock, one read, one write) and the refreshed block in the answer
/// </summary>
[TestFixture]
public class KlarnaOrderAdminControllerTests
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
        _sandbox.Reset();
        _context = new AdminTestContext(_sandbox);
    }

    [TearDown]
    public void TearDown() => _context.Harness.Dispose();

    private static KlarnaActionRequestModel Request(int orderId, string mode = "full", string amount = null, object lines = null, string description = null) => new()
    {
        OrderId = orderId,
        Mode = mode,
        Amount = amount,
        LinesJson = lines == null ? null : lines as string ?? JsonConvert.SerializeObject(lines),
        Description = description,
        IdempotencyKey = Guid.NewGuid().ToString()
    };

    private Task<KlarnaOrder> KlarnaOrderOf(Nop.Core.Domain.Orders.Order order) =>
        _sandbox.Client.GetOrderAsync(_sandbox.Credentials, _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId);

    private int KlarnaRequestsOf(Nop.Core.Domain.Orders.Order order)
    {
        var klarnaOrderId = _context.Harness.RecordTable.Rows.Single(r => r.OrderId == order.Id).KlarnaOrderId;
        return _sandbox.State.Requests.Count(r => r.Path.Contains(klarnaOrderId));
    }

    #region Attributes (the nopCommerce filters themselves run only inside nopCommerce)

    [Test]
    public void Controller_is_an_admin_area_controller_validating_antiforgery_tokens()
    {
        var type = typeof(KlarnaOrderAdminController);

        Assert.That(type.GetCustomAttribute<AuthorizeAdminAttribute>(), Is.Not.Null);
        Assert.That(type.GetCustomAttribute<AreaAttribute>()?.RouteValue, Is.EqualTo(AreaNames.ADMIN));
        Assert.That(type.GetCustomAttribute<AutoValidateAntiforgeryTokenAttribute>(), Is.Not.Null);
        Assert.That(type.GetCustomAttributes<IgnoreAntiforgeryTokenAttribute>(true), Is.Empty);
    }

    [TestCase(nameof(KlarnaOrderAdminController.Capture), StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    [TestCase(nameof(KlarnaOrderAdminController.Refund), StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    [TestCase(nameof(KlarnaOrderAdminController.Cancel), StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    [TestCase(nameof(KlarnaOrderAdminController.Release), StandardPermission.Orders.ORDERS_CREATE_EDIT_DELETE)]
    [TestCase(nameof(KlarnaOrderAdminController.RefreshBlock), StandardPermission.Orders.ORDERS_VIEW)]
    public void Every_action_checks_its_nopCommerce_permission(string action, string permission)
    {
        var method = typeof(KlarnaOrderAdminController).GetMethod(action);

        var permissions = method!.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(CheckPermissionAttribute))
            .Select(a => a.ConstructorArguments[0].Value as string)
            .ToList();
        Assert.That(permissions, Is.EqualTo(new[] { permission }));
    }

    [TestCase(nameof(KlarnaOrderAdminController.Capture))]
    [TestCase(nameof(KlarnaOrderAdminController.Refund))]
    [TestCase(nameof(KlarnaOrderAdminController.Cancel))]
    [TestCase(nameof(KlarnaOrderAdminController.Release))]
    public void Order_actions_accept_only_POST(string action)
    {
        var method = typeof(KlarnaOrderAdminController).GetMethod(action);

        Assert.That(method!.GetCustomAttribute<HttpPostAttribute>(), Is.Not.Null);
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
                     await _context.OrderController.Capture(Request(order.Id)),
                     await _context.OrderController.Refund(Request(order.Id)),
                     await _context.OrderController.Cancel(Request(order.Id)),
                     await _context.OrderController.Release(Request(order.Id)),
                     await _context.OrderController.RefreshBlock(order.Id)
                 })
        {
            var (status, body) = AdminTestContext.Read(result);
            Assert.That(status, Is.EqualTo(StatusCodes.Status403Forbidden));
            Assert.That((string)body["error"], Is.EqualTo("Vendors cannot manage Klarna payments."));
        }
        Assert.That(KlarnaRequestsOf(order), Is.Zero);
    }

    [Test]
    public async Task Actions_refuse_orders_not_paid_with_Klarna_and_unknown_orders_with_404()
    {
        var foreign = _context.CreateForeignOrder();

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Capture(Request(foreign.Id)));
        Assert.That(status, Is.EqualTo(404));
        Assert.That((string)body["error"], Is.EqualTo("This order was not paid with Klarna."));

        (status, _) = AdminTestContext.Read(await _context.OrderController.Refund(Request(999_999)));
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

        var (status, _) = AdminTestContext.Read(await _context.OrderController.Capture(request));

        Assert.That(status, Is.EqualTo(400));
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
        Assert.That(KlarnaRequestsOf(order), Is.Zero);
    }

    [TestCase("-1", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("0", KlarnaRefusalCode.AmountNotPositive)]
    [TestCase("0.00", KlarnaRefusalCode.AmountNotPositive)]
    [TestCase("abc", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("1.234,56", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("1,5", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("1 000", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("1e3", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("+5", KlarnaRefusalCode.AmountMalformed)]
    [TestCase("12.345", KlarnaRefusalCode.AmountTooManyDecimals)]
    [TestCase("", KlarnaRefusalCode.AmountRequired)]
    public async Task Capture_by_amount_refuses_malformed_amounts_without_asking_Klarna(string amount, KlarnaRefusalCode code)
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id, "amount", amount)));

        Assert.That(status, Is.EqualTo(400));
        Assert.That((string)body["errorCode"], Is.EqualTo(code.ToString()));
        var text = await _context.Localization.Object.GetResourceAsync(KlarnaRefusal.ResourceKeyOf(code));
        Assert.That((string)body["error"], Is.EqualTo(code == KlarnaRefusalCode.AmountMalformed ? string.Format(text, "1,234.56") : string.Format(text, 2, "1,234.56")),
            "the expected format in the admin's culture");
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
        Assert.That(KlarnaRequestsOf(order), Is.Zero);
    }

    [Test]
    public async Task Capture_by_amount_above_what_is_left_is_refused_with_the_real_maximum_and_nothing_written()
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id, "amount", "1000.00")));

        Assert.That(status, Is.EqualTo(400));
        Assert.That((string)body["errorCode"], Is.EqualTo(nameof(KlarnaRefusalCode.CaptureAmountTooHigh)));
        Assert.That((string)body["error"], Is.EqualTo("1000.00 EUR is more than what can still be captured: at most 81.90 EUR."));
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
        Assert.That(_sandbox.State.Requests.Count(r => r.Method == "POST"), Is.Zero);
    }

    [TestCase("[]", "Select at least one line.")]
    [TestCase("{not json", "Select at least one line.")]
    [TestCase("[{\"reference\":\"NOPE\",\"quantity\":1}]", "The order has no Klarna line with reference \"NOPE\".")]
    [TestCase("[{\"reference\":\"SKU-SHIRT\",\"quantity\":0}]", "The quantity of \"SKU-SHIRT\" must be greater than zero.")]
    [TestCase("[{\"reference\":\"SKU-SHIRT\",\"quantity\":-1}]", "The quantity of \"SKU-SHIRT\" must be greater than zero.")]
    [TestCase("[{\"reference\":\"SKU-SHIRT\",\"quantity\":3}]", "Only 2 of \"Shirt\" are left.")]
    [TestCase("[{\"reference\":\"SKU-SHIRT\",\"quantity\":1},{\"reference\":\"SKU-SHIRT\",\"quantity\":1}]", "The order has no Klarna line with reference \"SKU-SHIRT\".")]
    public async Task Capture_by_lines_refuses_invalid_lines_without_writing_to_Klarna(string linesJson, string error)
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id, "lines", lines: linesJson)));

        Assert.That(status, Is.EqualTo(400));
        Assert.That((string)body["error"], Is.EqualTo(error));
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
        Assert.That(_sandbox.State.Requests.Count(r => r.Method == "POST"), Is.Zero);
    }

    [Test]
    public async Task Refund_of_an_order_with_nothing_captured_is_refused_with_409_and_the_policys_reason()
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Refund(Request(order.Id, "amount", "1.00")));

        Assert.That(status, Is.EqualTo(409));
        Assert.That((string)body["error"], Is.EqualTo("Nothing was captured: there is nothing to refund."));
        Assert.That((string)body["errorCode"], Is.EqualTo(nameof(KlarnaRefusalCode.NothingCaptured)));
    }

    [Test]
    public async Task Capture_passes_Klarnas_error_code_message_and_correlation_id_through()
    {
        var executor = new Mock<IKlarnaOperationExecutor>();
        var context = new AdminTestContext(_sandbox, executor.Object);
        var order = await context.CreateOrderAsync();
        executor.Setup(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(KlarnaOperationResult.Failed(new KlarnaOperation { Kind = KlarnaOperationKind.Capture },
                new KlarnaFailure { StatusCode = 403, ErrorCode = "CAPTURE_NOT_ALLOWED", Messages = new[] { "Capture not allowed." }, CorrelationId = "corr-123" }));

        var (status, body) = AdminTestContext.Read(await context.OrderController.Capture(Request(order.Id, "amount", "12.50")));

        Assert.That(status, Is.EqualTo(409));
        Assert.That((string)body["error"], Is.EqualTo("Klarna refused the Capture. Klarna's error code: CAPTURE_NOT_ALLOWED; Klarna's message: Capture not allowed. (correlation id corr-123)."));
        Assert.That((string)body["errorCode"], Is.EqualTo("CAPTURE_NOT_ALLOWED"));
        Assert.That((string)body["correlationId"], Is.EqualTo("corr-123"));
        executor.Verify(e => e.ExecuteAsync(It.Is<KlarnaCaptureCommand>(c => c.AmountMinor == 1250 && c.CurrencyCode == "EUR" && c.Lines == null
            && c.Order == order && c.Initiator == KlarnaInitiator.Admin && c.InitiatedBy == "admin@shop.example"), It.IsAny<CancellationToken>()), Times.Once);
        context.Harness.Dispose();
    }

    [Test]
    public async Task A_click_carries_the_operations_the_block_showed_without_an_outcome_to_the_engine()
    {
        var executor = new Mock<IKlarnaOperationExecutor>();
        var context = new AdminTestContext(_sandbox, executor.Object);
        var order = await context.CreateOrderAsync();
        executor.Setup(e => e.ExecuteAsync(It.IsAny<IKlarnaCommand>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(KlarnaOperationResult.Refused(KlarnaRefusalCode.EarlierOperationCompleted, KlarnaOperationKind.Capture, new KlarnaMoney(1234, "EUR")));
        var request = Request(order.Id, "amount", "12.34");
        request.Unsettled = "12, 15,x,-3,0,12,,+7";

        await context.OrderController.Capture(request);

        executor.Verify(e => e.ExecuteAsync(It.Is<KlarnaCaptureCommand>(c => c.UnsettledSeen.SequenceEqual(new[] { 12, 15 })), It.IsAny<CancellationToken>()), Times.Once);
        context.Harness.Dispose();
    }

    #endregion

    #region One click against the sandbox

    [Test]
    public async Task A_capture_click_costs_one_lock_one_read_one_write_one_order_load_and_answers_with_the_refreshed_block()
    {
        var order = await _context.CreateOrderAsync();
        _context.Harness.OrderLoads = 0;

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id)));

        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo(200), body.ToString());
            Assert.That((bool)body["success"], Is.True);
            Assert.That(_context.Harness.Locker.Acquisitions, Is.EqualTo(1));
            Assert.That(_context.Harness.OrderLoads, Is.EqualTo(1));
            Assert.That(_sandbox.State.Requests.Where(r => r.Path.StartsWith("/ordermanagement")).Select(r => r.Method), Is.EqualTo(new[] { "GET", "POST" }));
            Assert.That((string)body["html"], Does.Contain("data-status=\"CAPTURED\""));
            var block = _context.OrderController.RenderedBlocks.Single();
            Assert.That(block.CapturedAmount, Is.EqualTo("81.90 EUR"));
            Assert.That(block.CanCapture, Is.False);
            Assert.That(block.CanRefund, Is.True);
            var klarnaOrder = await KlarnaOrderOf(order);
            Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.Captured));
            Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(2 * 2500 + 3 * 1000 - 300 + 490));
        });
    }

    [Test]
    public async Task A_refused_click_answers_with_the_block_as_it_is_now()
    {
        var order = await _context.CreateOrderAsync();
        await _context.OrderController.Capture(Request(order.Id));

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id)));

        Assert.That(status, Is.EqualTo(409));
        Assert.That((string)body["errorCode"], Is.EqualTo(nameof(KlarnaRefusalCode.NothingToCapture)));
        Assert.That((string)body["html"], Does.Contain("data-status=\"CAPTURED\""));
    }

    [Test]
    public async Task Capture_by_lines_captures_the_selected_quantities()
    {
        var order = await _context.CreateOrderAsync();
        var lines = new[] { new { reference = "SKU-SHIRT", quantity = 1 }, new { reference = "SKU-MUG", quantity = 3 } };

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id, "lines", lines: lines, description: "First parcel")));

        Assert.That(status, Is.EqualTo(200), body.ToString());
        var klarnaOrder = await KlarnaOrderOf(order);
        Assert.That(klarnaOrder.Status, Is.EqualTo(KlarnaOrderStatus.PartCaptured));
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(2500 + 3000 - 300));
        Assert.That(klarnaOrder.Captures.Single().Description, Is.EqualTo("First parcel"));
    }

    [Test]
    public async Task Capture_by_amount_converts_the_typed_amount_to_minor_units()
    {
        var order = await _context.CreateOrderAsync();

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id, "amount", "12.5")));

        Assert.That(status, Is.EqualTo(200), body.ToString());
        Assert.That((await KlarnaOrderOf(order)).CapturedAmount, Is.EqualTo(1250));
    }

    [Test]
    public async Task A_double_click_with_the_same_idempotency_key_captures_once_and_answers_the_first_result()
    {
        var order = await _context.CreateOrderAsync();
        var request = Request(order.Id, "amount", "10.00");

        var first = AdminTestContext.Read(await _context.OrderController.Capture(request));
        var second = AdminTestContext.Read(await _context.OrderController.Capture(request));

        var klarnaOrder = await KlarnaOrderOf(order);
        Assert.That(first.Status, Is.EqualTo(200), first.Body.ToString());
        Assert.That(second.Status, Is.EqualTo(200), second.Body.ToString());
        Assert.That(klarnaOrder.Captures, Has.Count.EqualTo(1));
        Assert.That(klarnaOrder.CapturedAmount, Is.EqualTo(1000));
        Assert.That(_sandbox.State.Requests.Count(r => r.Method == "POST"), Is.EqualTo(1));
    }

    [Test]
    public async Task Refund_by_lines_and_by_amount_after_a_capture()
    {
        var order = await _context.CreateOrderAsync();
        AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id)));

        var byLines = AdminTestContext.Read(await _context.OrderController.Refund(Request(order.Id, "lines",
            lines: new[] { new { reference = "SKU-SHIRT", quantity = 1 } }, description: "Returned shirt")));
        var byAmount = AdminTestContext.Read(await _context.OrderController.Refund(Request(order.Id, "amount", "4.90")));

        Assert.That(byLines.Status, Is.EqualTo(200), byLines.Body.ToString());
        Assert.That(byAmount.Status, Is.EqualTo(200), byAmount.Body.ToString());
        var klarnaOrder = await KlarnaOrderOf(order);
        Assert.That(klarnaOrder.RefundedAmount, Is.EqualTo(2500 + 490));
        Assert.That(klarnaOrder.Refunds.Select(r => r.Description), Does.Contain("Returned shirt"));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.PartiallyRefunded));
    }

    [Test]
    public async Task Cancel_cancels_an_uncaptured_order_and_is_refused_after_a_capture()
    {
        var order = await _context.CreateOrderAsync();
        var captured = await _context.CreateOrderAsync();
        AdminTestContext.Read(await _context.OrderController.Capture(Request(captured.Id, "amount", "5.00")));

        var cancel = AdminTestContext.Read(await _context.OrderController.Cancel(Request(order.Id)));
        var refused = AdminTestContext.Read(await _context.OrderController.Cancel(Request(captured.Id)));

        Assert.That(cancel.Status, Is.EqualTo(200), cancel.Body.ToString());
        Assert.That((await KlarnaOrderOf(order)).Status, Is.EqualTo(KlarnaOrderStatus.Cancelled));
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Voided));
        Assert.That(refused.Status, Is.EqualTo(409));
        Assert.That((string)refused.Body["errorCode"], Is.EqualTo(nameof(KlarnaRefusalCode.CancelNotAllowedAfterCapture)));
    }

    [Test]
    public async Task Release_releases_the_remaining_authorization_after_a_partial_capture()
    {
        var order = await _context.CreateOrderAsync();
        AdminTestContext.Read(await _context.OrderController.Capture(Request(order.Id, "amount", "5.00")));

        var (status, body) = AdminTestContext.Read(await _context.OrderController.Release(Request(order.Id)));

        Assert.That(status, Is.EqualTo(200), body.ToString());
        Assert.That((await KlarnaOrderOf(order)).RemainingAuthorizedAmount, Is.Zero);
        Assert.That(order.PaymentStatusId, Is.EqualTo((int)PaymentStatus.Paid));
    }

    [Test]
    public async Task A_click_whose_browser_went_away_before_the_write_writes_nothing()
    {
        var order = await _context.CreateOrderAsync();
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        _context.OrderController.ControllerContext.HttpContext.RequestAborted = aborted.Token;

        Assert.That(async () => await _context.OrderController.Capture(Request(order.Id)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_context.Harness.OperationsOf(order), Is.Empty);
        Assert.That(_sandbox.State.Requests.Count(r => r.Method == "POST"), Is.Zero);
    }

    [Test]
    public async Task RefreshBlock_renders_the_order_details_view_component()
    {
        var order = await _context.CreateOrderAsync();

        var result = await _context.OrderController.RefreshBlock(order.Id);

        Assert.That(result, Is.InstanceOf<ViewComponentResult>());
        Assert.That(((ViewComponentResult)result).ViewComponentType, Is.EqualTo(typeof(Nop.Plugin.Payments.Klarna.Components.KlarnaOrderDetailsViewComponent)));
    }

    #endregion
}
