using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Moq;
using Nop.Core.Domain.Customers;
using Nop.Plugin.Payments.Klarna.Components;
using Nop.Plugin.Payments.Klarna.Models.Public;
using Nop.Plugin.Payments.Klarna.Tests.Support;
using Nop.Services.Payments;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Components;

[TestFixture]
public class KlarnaCheckoutScriptsViewComponentTests
{
    private CheckoutHarness _checkout;
    private Mock<IPaymentPluginManager> _plugins;

    [SetUp]
    public void SetUp()
    {
        _checkout = new CheckoutHarness();
        _plugins = new Mock<IPaymentPluginManager>();
        _plugins.Setup(p => p.IsPluginActiveAsync(KlarnaDefaults.SystemName, It.IsAny<Customer>(), It.IsAny<int>())).ReturnsAsync(true);
        _checkout.Attributes[NopCustomerDefaults.SelectedPaymentMethodAttribute] = KlarnaDefaults.SystemName;
    }

    private async Task<IViewComponentResult> InvokeAsync(string zone = "opc_content_before") =>
        await new KlarnaCheckoutScriptsViewComponent(_checkout.GenericAttributes.Object, _plugins.Object, _checkout.SettingService.Object, _checkout.StoreContext.Object,
            _checkout.WebHelper.Object, _checkout.WorkContext.Object).InvokeAsync(zone, null);

    [TestCase("opc_content_before")]
    [TestCase("checkout_payment_info_top")]
    public async Task The_checkout_page_loads_klarnas_library_and_the_plugins_script(string zone)
    {
        // Act
        var result = await InvokeAsync(zone) as ViewViewComponentResult;

        // Assert
        Assert.That(result?.ViewName, Is.EqualTo(KlarnaDefaults.Checkout.ScriptsView));
        var model = (KlarnaCheckoutScriptsModel)result!.ViewData.Model;
        Assert.That(model.LibraryUrl, Is.EqualTo("https://x.klarnacdn.net/kp/lib/v1/api.js"));
        Assert.That(model.ScriptUrl, Is.EqualTo("http://shop.test/Plugins/Payments.Klarna/Content/klarna-checkout.js"));
        _plugins.Verify(p => p.IsPluginActiveAsync(KlarnaDefaults.SystemName, _checkout.Customer, _checkout.Store.Id), Times.Once);
    }

    [TestCase("http://127.0.0.1:5099/kp/lib/v1/api.js", "http://127.0.0.1:5099/kp/lib/v1/api.js")]
    [TestCase(" https://cdn.example.com/api.js ", "https://cdn.example.com/api.js")]
    [TestCase("", "https://x.klarnacdn.net/kp/lib/v1/api.js")]
    [TestCase(null, "https://x.klarnacdn.net/kp/lib/v1/api.js")]
    [TestCase("https://cdn.example.com/a\"onload=\"x.js", "https://cdn.example.com/a%22onload=%22x.js")]
    public async Task The_library_comes_from_the_stores_library_url_or_klarnas_cdn(string setting, string expected)
    {
        // Arrange
        _checkout.Settings.KlarnaLibraryUrl = setting;

        // Act
        var result = (ViewViewComponentResult)await InvokeAsync();

        // Assert
        Assert.That(((KlarnaCheckoutScriptsModel)result.ViewData.Model).LibraryUrl, Is.EqualTo(expected));
    }

    [Test]
    public async Task Nothing_is_loaded_where_the_customer_cannot_pay_with_klarna()
    {
        // Arrange
        _plugins.Setup(p => p.IsPluginActiveAsync(KlarnaDefaults.SystemName, It.IsAny<Customer>(), It.IsAny<int>())).ReturnsAsync(false);

        // Act
        var result = await InvokeAsync();

        // Assert
        Assert.That(result, Is.InstanceOf<ContentViewComponentResult>().With.Property(nameof(ContentViewComponentResult.Content)).Empty);
    }

    [TestCase("Payments.CheckMoneyOrder")]
    [TestCase(null)]
    public async Task The_multi_step_payment_info_page_of_another_payment_method_loads_nothing_of_klarna(string selected)
    {
        // Arrange: the customer chose another payment method on the step before (or none yet)
        if (selected is null)
            _checkout.Attributes.Remove(NopCustomerDefaults.SelectedPaymentMethodAttribute);
        else
            _checkout.Attributes[NopCustomerDefaults.SelectedPaymentMethodAttribute] = selected;

        // Act
        var result = await InvokeAsync("checkout_payment_info_top");

        // Assert
        Assert.That(result, Is.InstanceOf<ContentViewComponentResult>().With.Property(nameof(ContentViewComponentResult.Content)).Empty);
        _checkout.GenericAttributes.Verify(g => g.GetAttributeAsync<string>(_checkout.Customer, NopCustomerDefaults.SelectedPaymentMethodAttribute, _checkout.Store.Id, It.IsAny<string>()), Times.Once);
    }

    [Test]
    public async Task The_multi_step_payment_info_page_loads_klarna_when_the_customer_chose_it_in_any_letter_case()
    {
        // Arrange
        _checkout.Attributes[NopCustomerDefaults.SelectedPaymentMethodAttribute] = KlarnaDefaults.SystemName.ToLowerInvariant();

        // Act
        var result = await InvokeAsync("checkout_payment_info_top") as ViewViewComponentResult;

        // Assert
        Assert.That(result?.ViewName, Is.EqualTo(KlarnaDefaults.Checkout.ScriptsView));
    }

    [Test]
    public async Task The_one_page_checkout_loads_klarna_whichever_payment_method_was_chosen_before_since_the_customer_may_choose_it_on_the_page()
    {
        // Arrange
        _checkout.Attributes[NopCustomerDefaults.SelectedPaymentMethodAttribute] = "Payments.CheckMoneyOrder";

        // Act
        var result = await InvokeAsync("opc_content_before") as ViewViewComponentResult;

        // Assert
        Assert.That(result?.ViewName, Is.EqualTo(KlarnaDefaults.Checkout.ScriptsView));
    }
}
