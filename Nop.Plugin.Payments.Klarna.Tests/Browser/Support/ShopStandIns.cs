using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection;
using Nop.Core;
using Nop.Core.Domain.Customers;
using Nop.Services.Cms;
using Nop.Services.Common;
using Nop.Services.Payments;

namespace Nop.Plugin.Payments.Klarna.Tests.Browser.Support;

/// <summary>
/// Stand-in of nopCommerce's admin StoreScopeConfiguration view component (the store switch on settings pages)
/// </summary>
public class StoreScopeConfigurationViewComponent : ViewComponent
{
    private readonly NopShopState _state;

    public StoreScopeConfigurationViewComponent(NopShopState state) => _state = state;

    public IViewComponentResult Invoke() => View(new StoreScopeStandInModel { StoreId = _state.StoreScope });
}

/// <summary>
/// The store switch's model: the shop has two stores
/// </summary>
public class StoreScopeStandInModel
{
    public int StoreId { get; set; }

    public IList<(int Id, string Name)> Stores { get; } = new List<(int, string)> { (1, "Main store"), (2, "Second store") };
}

/// <summary>
/// Stand-in of nopCommerce's admin SettingController.ChangeStoreScopeConfiguration
/// </summary>
public class SettingController : Controller
{
    private readonly NopShopState _state;

    public SettingController(NopShopState state) => _state = state;

    [HttpGet("/Admin/Setting/ChangeStoreScopeConfiguration")]
    public IActionResult ChangeStoreScopeConfiguration(int storeid, string returnUrl)
    {
        _state.StoreScope = storeid;
        return Redirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/Admin/Klarna/Configure");
    }
}

/// <summary>
/// Stand-in of nopCommerce's public WidgetViewComponent: every active widget plugin whose zones contain the zone
/// (case-insensitive) has the view component of the zone invoked with { widgetZone, additionalData }
/// </summary>
public class WidgetViewComponent : ViewComponent
{
    private readonly IEnumerable<IWidgetPlugin> _widgets;

    public WidgetViewComponent(IEnumerable<IWidgetPlugin> widgets) => _widgets = widgets;

    public async Task<IViewComponentResult> InvokeAsync(string widgetZone, object additionalData = null)
    {
        var helper = HttpContext.RequestServices.GetRequiredService<IViewComponentHelper>();
        ((IViewContextAware)helper).Contextualize(ViewContext);
        var content = new HtmlContentBuilder();
        foreach (var widget in _widgets)
        {
            var zones = await widget.GetWidgetZonesAsync();
            if (!zones.Any(zone => zone.Equals(widgetZone, StringComparison.InvariantCultureIgnoreCase)))
                continue;

            var component = widget.GetWidgetViewComponent(widgetZone);
            if (component != null)
                content.AppendHtml(await helper.InvokeAsync(component, new { widgetZone, additionalData }));
        }

        return new HtmlContentViewComponentResult(content);
    }
}

/// <summary>
/// The model of the stand-in checkout pages: the payment method's view component (CheckoutPaymentInfoModel.PaymentViewComponent)
/// </summary>
public class CheckoutStandInModel
{
    /// <summary>Gets or sets the view component of the payment method's info (null: another payment method than Klarna)</summary>
    public Type PaymentViewComponent { get; set; }

    public int OrderNumber { get; set; }
}

/// <summary>
/// Stand-in of nopCommerce's CheckoutController for a guest with a cart. One-page checkout: the page, then each step
/// answered as JSON { update_section { name, html }, goto_section } with the step's partial view rendered for the AJAX
/// request, as nopCommerce's OpcSave* actions do. Multi-step: full pages, form posts and redirects; the payment method the
/// customer chose is kept as nopCommerce keeps it (the customer's generic attribute SelectedPaymentMethod for the store)
/// and the payment info page is that method's (another method than Klarna: a stand-in card form). The payment goes
/// through the plugin's IPaymentMethod as nopCommerce calls it (ValidatePaymentForm, GetPaymentInfo, ProcessPayment).
/// </summary>
public class CheckoutController : Controller
{
    private const decimal OrderTotal = 624m;

    /// <summary>The other payment method of the stand-in shop (one with a payment info page, like nopCommerce's Payments.Manual)</summary>
    public const string OtherPaymentMethod = "Payments.Manual";

    private readonly IGenericAttributeService _genericAttributeService;
    private readonly IPaymentMethod _paymentMethod;
    private readonly ICompositeViewEngine _viewEngine;
    private readonly NopShopState _state;
    private readonly IStoreContext _storeContext;
    private readonly IWorkContext _workContext;

    public CheckoutController(IGenericAttributeService genericAttributeService, IPaymentMethod paymentMethod, ICompositeViewEngine viewEngine,
        NopShopState state, IStoreContext storeContext, IWorkContext workContext)
    {
        _genericAttributeService = genericAttributeService;
        _paymentMethod = paymentMethod;
        _viewEngine = viewEngine;
        _state = state;
        _storeContext = storeContext;
        _workContext = workContext;
    }

    private CheckoutStandInModel Model(bool klarna = true) =>
        new() { PaymentViewComponent = klarna ? _paymentMethod.GetPublicViewComponent() : null, OrderNumber = _state.PlacedOrders.Count };

    /// <summary>
    /// nopCommerce's choice of payment method: the customer's generic attribute for the store
    /// </summary>
    private async Task SelectPaymentMethodAsync(string paymentMethod) =>
        await _genericAttributeService.SaveAttributeAsync(await _workContext.GetCurrentCustomerAsync(), NopCustomerDefaults.SelectedPaymentMethodAttribute,
            paymentMethod, (await _storeContext.GetCurrentStoreAsync()).Id);

    private async Task<string> SelectedPaymentMethodAsync() =>
        await _genericAttributeService.GetAttributeAsync<string>(await _workContext.GetCurrentCustomerAsync(), NopCustomerDefaults.SelectedPaymentMethodAttribute,
            (await _storeContext.GetCurrentStoreAsync()).Id);

    /// <summary>
    /// nopCommerce's BaseController.RenderPartialViewToStringAsync: the partial rendered with this request's context
    /// </summary>
    private async Task<string> RenderPartialViewToStringAsync(string viewName, object model)
    {
        var view = _viewEngine.FindView(ControllerContext, viewName, false).View
            ?? throw new InvalidOperationException($"The view {viewName} was not found");
        await using var writer = new StringWriter();
        var viewContext = new ViewContext(ControllerContext, view, new ViewDataDictionary(ViewData) { Model = model }, TempData, writer, new HtmlHelperOptions());
        await view.RenderAsync(viewContext);
        return writer.ToString();
    }

    private async Task<IList<string>> SavePaymentInfoAsync()
    {
        var form = await Request.ReadFormAsync();
        var warnings = await _paymentMethod.ValidatePaymentFormAsync(form);
        foreach (var warning in warnings)
            ModelState.AddModelError(string.Empty, warning);
        if (warnings.Count == 0)
        {
            var request = await _paymentMethod.GetPaymentInfoAsync(form);
            request.CustomerId = 5;
            request.StoreId = 1;
            request.OrderGuid = Guid.NewGuid();
            request.OrderTotal = OrderTotal;
            request.PaymentMethodSystemName = KlarnaDefaults.SystemName;
            _state.PaymentRequest = request;
        }

        return warnings;
    }

    private async Task<IList<string>> PlaceOrderAsync()
    {
        if (_state.PaymentRequest is not { } request)
            return new List<string> { "Payment information is not entered" };

        // nopCommerce's ProcessPaymentResult.Success: no error (the reference declares Success without behaviour)
        var result = await _paymentMethod.ProcessPaymentAsync(request);
        var errors = result.Errors ?? new List<string>();
        if (errors.Count == 0)
        {
            _state.PlacedOrders.Enqueue((request, result));
            _state.PaymentRequest = null;
        }

        return errors;
    }

    [HttpGet("/onepagecheckout")]
    public IActionResult OnePageCheckout() => View(Model());

    [HttpPost("/checkout/OpcSavePaymentMethod/")]
    public async Task<IActionResult> OpcSavePaymentMethod(string paymentmethod)
    {
        if (paymentmethod != KlarnaDefaults.SystemName)
            return Json(new { error = 1, message = "Selected payment method can't be parsed" });

        await SelectPaymentMethodAsync(paymentmethod);
        var html = await RenderPartialViewToStringAsync("OpcPaymentInfo", Model());
        _state.PaymentInfoAnswers.Enqueue(html);
        return Json(new { update_section = new { name = "payment-info", html }, goto_section = "payment_info" });
    }

    [HttpPost("/checkout/OpcSavePaymentInfo/")]
    public async Task<IActionResult> OpcSavePaymentInfo()
    {
        if ((await SavePaymentInfoAsync()).Count > 0)
        {
            // nopCommerce answers the payment info step again, with the warnings
            var again = await RenderPartialViewToStringAsync("OpcPaymentInfo", Model());
            _state.PaymentInfoAnswers.Enqueue(again);
            return Json(new { update_section = new { name = "payment-info", html = again }, goto_section = "payment_info" });
        }

        var html = await RenderPartialViewToStringAsync("OpcConfirmOrder", Model());
        return Json(new { update_section = new { name = "confirm-order", html }, goto_section = "confirm_order" });
    }

    [HttpPost("/checkout/OpcConfirmOrder/")]
    public async Task<IActionResult> OpcConfirmOrder()
    {
        var errors = await PlaceOrderAsync();
        return errors.Count > 0 ? Json(new { error = 1, message = errors }) : Json(new { success = 1 });
    }

    [HttpGet("/checkout/paymentmethod")]
    public IActionResult PaymentMethod() => View(Model());

    [HttpPost("/checkout/paymentmethod")]
    public async Task<IActionResult> SelectPaymentMethod(string paymentmethod)
    {
        if (paymentmethod != KlarnaDefaults.SystemName && paymentmethod != OtherPaymentMethod)
            return View("PaymentMethod", Model());

        await SelectPaymentMethodAsync(paymentmethod);
        return RedirectToAction(nameof(PaymentInfo));
    }

    [HttpGet("/checkout/paymentinfo")]
    public async Task<IActionResult> PaymentInfo()
    {
        var selected = await SelectedPaymentMethodAsync();
        if (selected == KlarnaDefaults.SystemName)
            return View(Model());

        return selected == OtherPaymentMethod ? View(Model(klarna: false)) : RedirectToAction(nameof(PaymentMethod));
    }

    [HttpPost("/checkout/paymentinfo")]
    public async Task<IActionResult> EnterPaymentInfo()
    {
        if (await SelectedPaymentMethodAsync() != KlarnaDefaults.SystemName)
            return RedirectToAction(nameof(PaymentMethod));

        return (await SavePaymentInfoAsync()).Count > 0 ? View("PaymentInfo", Model()) : RedirectToAction(nameof(Confirm));
    }

    [HttpGet("/checkout/confirm")]
    public IActionResult Confirm() => View(Model());

    [HttpPost("/checkout/confirm")]
    public async Task<IActionResult> ConfirmOrder()
    {
        foreach (var error in await PlaceOrderAsync())
            ModelState.AddModelError(string.Empty, error);
        return ModelState.IsValid ? RedirectToAction(nameof(Completed)) : View("Confirm", Model());
    }

    [HttpGet("/checkout/completed")]
    public IActionResult Completed() => View(Model());
}
